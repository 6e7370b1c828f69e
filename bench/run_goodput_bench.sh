#!/usr/bin/env bash
# Goodput under quota (issue 15): how close each client gets to what the quotas allow, and how
# many of its attempts the service throttles on the way. One emulator enforces a requests-per-
# minute quota per (region, model) (`--quota`, docs/emulator.md); N Converse calls with C in
# flight are spread over 3 regions by
#   * llmm batch, --rate-control off (retries, backoff and failover only),
#   * llmm batch, --rate-control adaptive (the CUBIC limiter per target, its default),
#   * the official AWS SDK for JavaScript v3, retryMode "standard" and "adaptive"
#     (bench/js_sdk_goodput.mjs: one client per region, requests round robin),
# each after POST /_emulator/reset (buckets full, counters zero). The emulator counts what it
# admitted and throttled (GET /_emulator/quotas), the same for every client. Prints a markdown
# table; writes nothing to docs/. The Python original is not run: it cannot be installed here.
#
#   bench/run_goodput_bench.sh
#
# Environment: BENCH_REQUESTS (20000), BENCH_CONCURRENCY (256), BENCH_RPM (12000 per region and
# model), BENCH_REGIONS ("us-east-1 us-west-2 eu-west-1"), BENCH_PIN (1: emulator on CPU 0,
# clients on CPU 1), BENCH_EMULATOR_THREADS (1), BENCH_SHARDS (1; N > 1 adds a row: llmm batch
# adaptive as N --shard processes at the same -c each, sharing the quota), BENCH_NO_BUILD=1,
# BENCH_RESULTS.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build-bench}
pin=${BENCH_PIN:-1}
requests=${BENCH_REQUESTS:-20000}
concurrency=${BENCH_CONCURRENCY:-256}
rpm=${BENCH_RPM:-12000}
read -r -a regions <<<"${BENCH_REGIONS:-us-east-1 us-west-2 eu-west-1}"
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
shards=${BENCH_SHARDS:-1}
model=anthropic.claude-3-haiku-20240307-v1:0
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/goodput-$stamp}
node_modules=$repo/tests/conformance/node_modules

die() { echo "run_goodput_bench: $*" >&2; exit 1; }
log() { echo "run_goodput_bench: $*" >&2; }
command -v node >/dev/null || die "node not found: run scripts/bootstrap"
command -v curl >/dev/null || die "curl not found"
[[ -f $node_modules/@aws-sdk/client-bedrock-runtime/package.json ]] || die "run scripts/bootstrap"

emulator_flags=(--quota "*:*:rpm=$rpm")
bench_without_client=1
source "$repo/bench/bench_common.sh"
[[ ${BENCH_NO_BUILD:-0} == 1 ]] || ninja -C "$build" llmm_cli >&2
llmm=$build/apps/llmm/llmm
[[ -x $llmm ]] || die "missing $llmm"

python3 - "$work/in.jsonl" "$requests" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(int(sys.argv[2])):
        out.write(json.dumps({"id": f"g{i}", "prompt": f"goodput {i}"}) + "\n")
PY

region_flags=()
for region in "${regions[@]}"; do region_flags+=(--region "$region"); done
ceiling=$(python3 -c "print(${#regions[@]} * $rpm / 60)")

# What the emulator admitted and throttled since the last reset: "admitted throttled".
quota_counts() {
  curl -sf "$url/_emulator/quotas" | python3 -c '
import json, sys
buckets = json.load(sys.stdin).get("buckets", [])
print(sum(b["admitted"] for b in buckets), sum(b["throttledRpm"] + b["throttledTpm"] for b in buckets))'
}

rows=()
run_variant() {
  local name=$1; shift
  curl -sf -X POST "$url/_emulator/reset" >/dev/null
  log "$name: $requests calls, $concurrency in flight"
  local out=$results/$name.json samples=$results/$name.samples
  # The emulator's counts twice a second while the client runs: the steady state is read from
  # the middle half of the run, away from the first burst (full buckets, nothing known of the
  # quota yet) and the tail (the last retries in their backoff).
  (while :; do echo "$(date +%s.%N) $(quota_counts)"; sleep 0.5; done) >"$samples" 2>/dev/null &
  local sampler=$!
  "$@" >"$out"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  read -r admitted throttled < <(quota_counts)
  rows+=("$(python3 - "$name" "$out" "$admitted" "$throttled" "$ceiling" "$requests" "$samples" <<'PY'
import json, sys
name, path, admitted, throttled, ceiling, requests, samples = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
data = json.loads(open(path).read().strip().splitlines()[-1])
ok, seconds, cpu = data["succeeded"], data["seconds"], data["cpu_seconds"]
goodput = ok / seconds if seconds else 0
share = throttled / (admitted + throttled) if admitted + throttled else 0
points = [tuple(map(float, line.split())) for line in open(samples) if len(line.split()) == 3]
steady = "n/a | n/a"
if len(points) >= 4:
    start, end = points[0][0], points[-1][0]
    middle = [p for p in points if start + (end - start) / 4 <= p[0] <= end - (end - start) / 4]
    if len(middle) >= 2:
        (t0, a0, r0), (t1, a1, r1) = middle[0], middle[-1]
        rate = (a1 - a0) / (t1 - t0)
        refused = (r1 - r0) / ((a1 - a0) + (r1 - r0)) if (a1 - a0) + (r1 - r0) else 0
        steady = f"{100 * rate / ceiling:.1f} % | {100 * refused:.1f} %"
print(f"| {name} | {ok} | {requests - ok} | {seconds:.1f} | {goodput:.0f} | {100 * goodput / ceiling:.1f} % | "
      f"{steady} | {admitted + throttled} | {throttled} ({100 * share:.1f} %) | {cpu:.1f} |")
PY
)")
}

# llmm batch, its rusage read by a python wrapper: one JSON line like the JS script's. With a
# second argument N > 1, N shard processes (--shard K/N) share the quota and the counts add up.
llmm_batch() {
  local mode=$1 shards=${2:-1}
  # taskset on the wrapper pins llmm too (children inherit the affinity).
  "${client_cpu[@]}" python3 - "$mode" "$shards" "$llmm" "$work" "$url" "$model" "$concurrency" "${region_flags[@]}" <<'PY'
import json, resource, subprocess, sys, time
mode, shards, llmm, work, url, model, concurrency, regions = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8:]
env = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
       "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"}
def command(k):
    shard = ["--shard", f"{k}/{shards}"] if shards > 1 else []
    return [llmm, "batch", f"{work}/in.jsonl", "-o", f"{work}/out-{k}.jsonl", "--overwrite", "--endpoint", url,
            "--model", model, *regions, "-c", concurrency, "--rate-control", mode, "--offline", "-q",
            "--json-summary", f"{work}/summary-{k}.json", *shard]
started = time.monotonic()
running = [subprocess.Popen(command(k), env=env, stderr=subprocess.DEVNULL) for k in range(shards)]
for process in running:
    process.wait()
seconds = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
summaries = [json.load(open(f"{work}/summary-{k}.json")) for k in range(shards)]
total = lambda key: sum(summary[key] for summary in summaries)
print(json.dumps({"client": "llmm", "rate_control": mode, "shards": shards, "succeeded": total("succeeded"),
                  "failed": total("failed") + total("timed_out"), "attempts": total("attempts"),
                  "throttled_attempts": total("throttled_attempts"), "seconds": round(seconds, 3),
                  "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2), "max_rss_kib": usage.ru_maxrss}))
PY
}

js_sdk() {
  "${client_cpu[@]}" node "$repo/bench/js_sdk_goodput.mjs" --endpoint "$url" \
    --regions "$(IFS=,; echo "${regions[*]}")" --requests "$requests" --concurrency "$concurrency" \
    --retry-mode "$1" --model "$model"
}

run_variant "llmm, rate control off" llmm_batch off
run_variant "llmm, rate control adaptive" llmm_batch adaptive
if ((shards > 1)); then
  run_variant "llmm, rate control adaptive, $shards shards sharing the quota" llmm_batch adaptive "$shards"
fi
run_variant "JS SDK v3, retryMode standard" js_sdk standard
run_variant "JS SDK v3, retryMode adaptive" js_sdk adaptive

commit=$(git -C "$repo" rev-parse --short HEAD)
echo
echo "Goodput under quota, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) CPUs, pinning $pin:"
echo "$requests Converse calls, $concurrency in flight, ${#regions[@]} regions (${regions[*]}), quota $rpm requests/min"
echo "per region and model (ceiling $ceiling calls/s); counts of admitted and throttled attempts from the emulator."
echo
echo "Steady state: the middle half of each run, admitted per second as a share of the ceiling and"
echo "the share of attempts throttled, from the emulator's counts sampled twice a second."
echo
echo "| client | succeeded | failed | wall s | goodput calls/s | of the ceiling | steady state: of the ceiling | steady state: throttled | attempts | throttled | client CPU s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "JSON lines: $results"
