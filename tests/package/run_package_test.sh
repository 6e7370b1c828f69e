#!/usr/bin/env bash
# The package tests (ctest label package). Every check that fails names itself; nothing is
# skipped.
#   install: ctest package_install. `cmake --install` into a scratch prefix; builds examples/
#            against it as a separate CMake project through find_package(llmm), once with the
#            static and once with the shared library; runs every example against the installed
#            bedrock-emulator.
#   deb:     ctest package_deb. `cpack -G DEB`, checks the packages' Depends, `dpkg -x` into a
#            scratch root, builds examples/converse against it (static and shared) and runs it
#            against the packaged emulator.
#   run_package_test.sh install|deb SOURCE_DIR BUILD_DIR WORK_DIR VERSION [CXX_COMPILER_LAUNCHER]
set -euo pipefail
mode=$1 src=$2 build=$3 work=$4 version=$5 launcher=${6:-}
soversion=${version%.*}

fail() { echo "package_$mode: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

if [[ $mode == install ]]; then
  prefix=$work/prefix
  step "cmake --install into $prefix"
  cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install (see $work/install.log)"
  examples=()  # all of them
elif [[ $mode == deb ]]; then
  step "cpack -G DEB"
  (cd "$build" && cpack -G DEB -B "$work/debs") >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
  arch=$(dpkg --print-architecture)
  for package in llmm "libllmm$soversion" libllmm-dev; do
    deb=$work/debs/${package}_${version}_${arch}.deb
    [[ -f $deb ]] || fail "no $deb"
    dpkg-deb -f "$deb" Depends >"$work/$package.depends"
    echo "$package: Depends: $(cat "$work/$package.depends")"
  done
  # dpkg-shlibdeps found what the binaries link; the -dev package needs its library and what
  # find_package(llmm) looks for with the static library.
  for dep in libc6 libstdc++6 libcurl4 libssl3 libnghttp2-14; do
    grep -qE "(^|, )${dep//+/\\+}( |,|$)" "$work/llmm.depends" || fail "llmm does not depend on $dep"
  done
  # The curl options the library sets need more than its symbols tell dpkg-shlibdeps (7.68).
  for package in llmm "libllmm$soversion"; do
    grep -qE "(^|, )libcurl4 \(>= 7\.8[0-9]\)" "$work/$package.depends" ||
      fail "$package does not ask for libcurl4 (>= 7.80 or 7.85)"
  done
  for dep in "libllmm$soversion (= $version)" "libcurl4-openssl-dev" "libssl-dev"; do
    grep -qF "$dep" "$work/libllmm-dev.depends" || fail "libllmm-dev does not depend on $dep"
  done
  step "dpkg -x into $work/root"
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
  prefix=$work/root/usr
  examples=(--target converse)
else
  fail "mode must be install or deb"
fi

for f in include/llmm/llm_manager.hpp include/llmm/version.hpp lib/libllmm.a lib/libllmm.so \
         "lib/libllmm.so.$soversion" lib/cmake/llmm/llmmConfig.cmake \
         lib/cmake/llmm/llmmConfigVersion.cmake lib/cmake/llmm/llmm-static-targets.cmake \
         lib/cmake/llmm/llmm-shared-targets.cmake lib/pkgconfig/llmm.pc bin/llmm bin/bedrock-emulator; do
  [[ -e $prefix/$f ]] || fail "not installed: $f"
done
# No private header is installed, and the public ones include no third-party header.
others=$(find "$prefix/include" -type f ! -name '*.hpp')
[[ -z $others ]] || fail "non-header files under include/: $others"
if grep -lE '#include <(curl|openssl|nlohmann|boost|CLI|nghttp2)/' -r "$prefix/include"; then
  fail "a public header includes a third-party header"
fi
soname=$(readelf -d "$prefix/lib/libllmm.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[[ $soname == "libllmm.so.$soversion" ]] || fail "soname '$soname', expected libllmm.so.$soversion"
got=$("$prefix/bin/llmm" --version)
[[ $got == "llmm $version" ]] || fail "llmm --version printed '$got', expected 'llmm $version'"
grep -q "^Version: $version\$" "$prefix/lib/pkgconfig/llmm.pc" || fail "llmm.pc does not say Version: $version"

# The README's library snippet is examples/converse.cpp: every line of it appears there.
example=$(sed -E 's/^ +//' "$src/examples/converse.cpp")
# shellcheck disable=SC2016 # the backticks are markdown fences, not expansions
snippet=$(sed -n '/^## Using the library/,/^## Tests/p' "$src/README.md" | sed -n '/^```cpp$/,/^```$/p' | sed '/^```/d')
[[ -n $snippet ]] || fail "no C++ snippet under README.md's '## Using the library'"
while IFS= read -r line; do
  line=$(sed -E 's/^ +//' <<<"$line")
  [[ -z $line ]] && continue
  grep -qxF -- "$line" <<<"$example" ||
    fail "README.md's library snippet line not in examples/converse.cpp: $line"
done <<<"$snippet"

# Warnings as errors, as in our own build (CMake >= 3.24 reads this; examples/ asks only 3.22).
configure_args=(-G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON)
[[ -n $launcher ]] && configure_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
for kind in static shared; do
  step "examples against the $kind library"
  shared=OFF
  [[ $kind == shared ]] && shared=ON
  cmake -S "$src/examples" -B "$work/$kind" "${configure_args[@]}" -Dllmm_SHARED_LIBS=$shared \
    >"$work/$kind.log" || fail "configuring examples ($kind; see $work/$kind.log)"
  grep -q "($kind library) from $prefix/" "$work/$kind.log" ||
    fail "find_package(llmm) did not pick the $kind library under $prefix: $(grep 'llmm ' "$work/$kind.log")"
  cmake --build "$work/$kind" "${examples[@]}" >>"$work/$kind.log" 2>&1 || { cat "$work/$kind.log"; fail "building examples ($kind)"; }
done
# (Output captured first: `cmd | grep -q` fails under pipefail when grep stops reading early.)
static_dynamic=$(readelf -d "$work/static/converse")
shared_dynamic=$(readelf -d "$work/shared/converse")
shared_loaded=$(ldd "$work/shared/converse")
if grep -q 'libllmm\.so' <<<"$static_dynamic"; then fail "the static example links libllmm.so"; fi
grep -q "NEEDED.*\[$soname\]" <<<"$shared_dynamic" || fail "the shared example does not need $soname"
grep -qF "=> $prefix/lib/$soname " <<<"$shared_loaded" || fail "the shared example does not load $prefix/lib/$soname: $shared_loaded"

if [[ $mode == install ]]; then
  step "examples/converse through pkg-config (libllmm.so)"
  pc_flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs llmm) || fail "pkg-config llmm"
  # shellcheck disable=SC2086 # the flags are words
  c++ -std=c++20 "$src/examples/converse.cpp" -o "$work/pkg-config-converse" $pc_flags \
    -Wl,-rpath,"$prefix/lib" >"$work/pkg-config.log" 2>&1 || { cat "$work/pkg-config.log"; fail "building with pkg-config flags: $pc_flags"; }
  pc_loaded=$(ldd "$work/pkg-config-converse")
  grep -qF "=> $prefix/lib/$soname " <<<"$pc_loaded" || fail "the pkg-config build does not load $prefix/lib/$soname"
fi

step "the installed emulator, us-east-1 throttled"
emulator_out=$work/emulator.out
"$prefix/bin/bedrock-emulator" --port 0 --scenario "$src/tests/data/scenarios/throttled-region.json" \
  >"$emulator_out" 2>"$work/emulator.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$emulator_out" && break
  kill -0 "$emulator_pid" 2>/dev/null || fail "bedrock-emulator exited: $(cat "$work/emulator.err")"
  sleep 0.1
done
listening=$(grep -m 1 '^listening on ' "$emulator_out" || true)
address=${listening#listening on }
[[ -n $address ]] || fail "bedrock-emulator did not say where it listens"

# The examples see only this: the emulator's endpoint, a scratch HOME, cache and shared files,
# no proxy, no instance metadata; the keys are given per run.
mkdir -p "$work/home/.aws" "$work/cache"
cat >"$work/home/.aws/credentials" <<CREDS
[example]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
CREDS
cat >"$work/home/.aws/config" <<CONFIG
[profile example]
region = us-west-2
CONFIG
for v in $(env | sed -n 's/^\(AWS_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset https_proxy http_proxy HTTPS_PROXY HTTP_PROXY all_proxy ALL_PROXY
export HOME=$work/home XDG_CACHE_HOME=$work/cache AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$work/home/.aws/config AWS_SHARED_CREDENTIALS_FILE=$work/home/.aws/credentials
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
export AWS_ENDPOINT_URL=http://$address
keys=(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY)

# run NAME EXPECTED_STATUS PATTERN COMMAND...: the exit status, and a line of the output matches.
run() {
  local name=$1 expected=$2 pattern=$3 status=0
  shift 3
  timeout 60 "$@" >"$work/$name.out" 2>&1 || status=$?
  if [[ $status != "$expected" ]] || ! grep -qE -- "$pattern" "$work/$name.out"; then
    cat "$work/$name.out" >&2
    fail "$name: exit $status (expected $expected), output should match /$pattern/"
  fi
  echo "ok $name"
}

for kind in static shared; do
  run "$kind-converse" 0 '[a-z]' env "${keys[@]}" "$work/$kind/converse"
done
if [[ $mode == install ]]; then
  run pkg-config-converse 0 '[a-z]' env "${keys[@]}" "$work/pkg-config-converse"
  bin=$work/static
  run failover_deadline 0 '^answered in us-west-2 ' env "${keys[@]}" "$bin/failover_deadline" 20
  grep -qE '^attempt 1: us-east-1 .*ThrottlingException' "$work/failover_deadline.out" ||
    fail "failover_deadline: the first attempt should be throttled in us-east-1"
  run stream 0 'text events from us-(east|west)-[12], stop reason end_turn' env "${keys[@]}" "$bin/stream"
  run parallel_batch 0 '^12/12 succeeded$' env "${keys[@]}" "$bin/parallel_batch"
  run profile_credentials 0 '^region: us-west-2$' "$bin/profile_credentials" example
  grep -q '^credentials: shared-file ' "$work/profile_credentials.out" ||
    fail "profile_credentials: the keys should come from the shared file"
  run profile_missing 2 "profile 'nosuch' .*not found" "$bin/profile_credentials" nosuch us-east-1
  # A 1x1 PNG; a text file is refused before anything is sent.
  base64 -d >"$work/pixel.png" <<<'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='
  run image_message 0 '[a-z]' env "${keys[@]}" "$bin/image_message" "$work/pixel.png"
  run image_refused 2 '^refused: ' env "${keys[@]}" "$bin/image_message" "$work/home/.aws/config"
fi
kill "$emulator_pid"
wait "$emulator_pid" 2>/dev/null || true
trap - EXIT
# Passed: the scratch tree (about 1 GB: debug info) goes; a failure leaves it for a look.
rm -rf "$work"
echo "package_$mode: all checks passed"
