# Shared by run_client_bench.sh and run_stream_bench.sh (sourced, not run): builds the emulator
# and llmm_client_bench in $build, sets up CPU pinning and the descriptor limit, starts one
# emulator on a free loopback port and defines emulator_cpu_us / emulator_requests.
# Expects: repo, build, pin, emulator_threads, results, and die/log defined by the caller.
# Sets: emulator, bench, server_cpu, client_cpu, wrk_threads, work (removed on exit),
# emulator_pid, port, url.

# ---- build ---------------------------------------------------------------------------------------
if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMM_BUILD_BENCH=ON \
    -DLLMM_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" bedrock_emulator llmm_client_bench llmm_catalog_bench >&2
fi
emulator=$build/apps/bedrock-emulator/bedrock-emulator
bench=$build/bench/llmm_client_bench
[[ -x $emulator && -x $bench ]] || die "missing $emulator or $bench"

# ---- pinning -------------------------------------------------------------------------------------
server_cpu=() client_cpu=() wrk_threads=2
if [[ $pin == 1 ]]; then
  command -v taskset >/dev/null || die "taskset not found (BENCH_PIN=0 to run unpinned)"
  (( $(nproc) >= 2 )) || die "pinning wants 2 CPUs (BENCH_PIN=0 to run unpinned)"
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1) wrk_threads=1
fi

# 1,000 in-flight calls need 1,000 sockets here and as many in the emulator.
hard=$(ulimit -Hn)
want=16384
if [[ $hard != unlimited && $hard -lt $want ]]; then want=$hard; fi
ulimit -n "$want" || die "cannot raise ulimit -n to $want"

mkdir -p "$results"
work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [[ -n $emulator_pid ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$emulator_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# ---- the emulator --------------------------------------------------------------------------------
mkfifo "$work/stdout"
"${server_cpu[@]}" "$emulator" --host 127.0.0.1 --port 0 --threads "$emulator_threads" --mode echo \
  --log-capacity 10000 >"$work/stdout" 2>"$work/stderr" &
emulator_pid=$!
exec 3<"$work/stdout"
read -r -t 15 first_line <&3 || die "no 'listening on' line within 15 s: $(tail -5 "$work/stderr")"
cat <&3 >/dev/null &
[[ $first_line =~ ^listening\ on\ ([^ ]+):([0-9]+)$ ]] || die "unexpected first line: $first_line"
port=${BASH_REMATCH[2]}
url="http://127.0.0.1:$port"
log "emulator pid $emulator_pid on $url ($emulator_threads thread(s)); results in $results"

# The emulator's CPU time in µs (utime + stime from /proc/PID/stat) and its request count.
emulator_cpu_us() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000000 / hz}' "/proc/$emulator_pid/stat"
}
emulator_requests() {
  curl -sf "$url/_emulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsTotal"])'
}

