# Shared by run_client_bench.sh and run_stream_bench.sh (sourced, not run): builds the emulator
# and llmm_client_bench in $build, sets up CPU pinning and the descriptor limit, starts one
# emulator on a free loopback port and defines emulator_cpu_us / emulator_requests.
# Expects: repo, build, pin, emulator_threads, results, stamp, and die/log defined by the caller;
# emulator_tls=1 (optional) starts it with --tls, its CA in $work/tls/ca.pem, https_url set;
# emulator_flags=(...) (optional) are added to its command line.
# Sets: emulator, bench, server_cpu, client_cpu, wrk_threads, work (removed on exit),
# emulator_pid, port, url, load_before (after waiting for BENCH_MAX_LOAD, if set).

# ---- build ---------------------------------------------------------------------------------------
if [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMM_BUILD_BENCH=ON \
    -DLLMM_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" bedrock_emulator llmm_client_bench llmm_catalog_bench llmm_credentials_soak >&2
fi
emulator=$build/apps/bedrock-emulator/bedrock-emulator
bench=$build/bench/llmm_client_bench
[[ -x $emulator ]] || die "missing $emulator"
# The goodput and batch benchmarks drive the llmm CLI instead (bench_without_client=1).
[[ ${bench_without_client:-0} == 1 || -x $bench ]] || die "missing $bench"

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
emulator_extra=()
[[ ${emulator_tls:-0} == 1 ]] && emulator_extra=(--tls --tls-dir "$work/tls")
emulator_extra+=(${emulator_flags[@]+"${emulator_flags[@]}"})
"${server_cpu[@]}" "$emulator" --host 127.0.0.1 --port 0 --threads "$emulator_threads" --mode echo \
  --log-capacity 10000 "${emulator_extra[@]}" >"$work/stdout" 2>"$work/stderr" &
emulator_pid=$!
exec 3<"$work/stdout"
read -r -t 15 first_line <&3 || die "no 'listening on' line within 15 s: $(tail -5 "$work/stderr")"
cat <&3 >/dev/null &
[[ $first_line =~ ^listening\ on\ ([^ ]+):([0-9]+)$ ]] || die "unexpected first line: $first_line"
port=${BASH_REMATCH[2]}
url="http://127.0.0.1:$port"
https_url="https://127.0.0.1:$port"  # with emulator_tls=1 (the same port also answers plaintext)
log "emulator pid $emulator_pid on $url ($emulator_threads thread(s)); results in $results"

# The emulator's CPU time in µs (utime + stime from /proc/PID/stat) and its request count.
emulator_cpu_us() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000000 / hz}' "/proc/$emulator_pid/stat"
}
emulator_requests() {
  curl -sf "$url/_emulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestsTotal"])'
}


# Node's version nags on a client's stderr, dropped (the rest goes on to stderr).
filter_node_warnings() {
  grep -v -e NodeVersionSupportWarning -e 'versions published after' -e 'will require node' \
    -e 'upgrade to node' -e 'continue receiving updates' -e 'a.co/' -e 'trace-warnings' -e '^$' >&2
}

# Runs a client pinned to the client CPU; appends its JSON line to $1 with what the emulator
# spent meanwhile (emulator_cpu_us, emulator_requests, emulator_cpu_us_per_request) and the
# 1-minute load after it (load_1min_after).
measure() {
  local out=$1; shift
  local cpu0 req0 cpu1 req1 line
  cpu0=$(emulator_cpu_us); req0=$(emulator_requests)
  line=$("${client_cpu[@]}" "$@" 2> >(filter_node_warnings)) || { log "failed: $*"; echo "$line" >&2; line=${line:-'{}'}; }
  cpu1=$(emulator_cpu_us); req1=$(emulator_requests)
  python3 - "$line" "$cpu0" "$cpu1" "$req0" "$req1" "$(cut -d' ' -f1 /proc/loadavg)" >>"$out" <<'EOF'
import json, sys
r = json.loads(sys.argv[1] or "{}")
cpu0, cpu1, req0, req1 = map(float, sys.argv[2:6])
r["emulator_cpu_us"] = round(cpu1 - cpu0)
if req1 >= req0:  # a client that resets the emulator (ttft, memory, throttle) resets its count
    r["emulator_requests"] = int(req1 - req0)
if req1 > req0:
    r["emulator_cpu_us_per_request"] = round((cpu1 - cpu0) / (req1 - req0), 1)
r["load_1min_after"] = float(sys.argv[6])
print(json.dumps(r))
EOF
  tail -1 "$out" >&2
}

# ---- a quiet machine -----------------------------------------------------------------------------
if [[ -n ${BENCH_MAX_LOAD:-} ]]; then
  for _ in $(seq $(( ${BENCH_MAX_WAIT:-1200} / 5 ))); do
    awk -v max="$BENCH_MAX_LOAD" '{exit !($1 < max)}' /proc/loadavg && break
    log "load average $(cut -d' ' -f1 /proc/loadavg) >= $BENCH_MAX_LOAD: waiting"
    sleep 5
  done
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The machine and the run, for the report: sets cpu, commit and load_after, writes
# $results/machine.txt (stamp, commit, cores, CPU, pinning, loads, node and g++ versions).
record_machine() {
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  commit=$(git -C "$repo" describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)
  {
    echo "stamp=$stamp commit=$commit cores=$(nproc) cpu=$cpu pin=$pin emulator_threads=$emulator_threads"
    echo "load_before=$load_before load_after=$load_after node=$(node --version) g++=$(g++ -dumpversion)"
  } >"$results/machine.txt"
}
