#!/usr/bin/env bash
# What logging and metrics cost a call (issue 16), in one run: builds llmm_client_bench and the
# emulator in build-bench/ (Release, -DLLMM_BUILD_BENCH=ON), starts one emulator, and at
# concurrency 64 runs llmm_client_bench --mode throughput with --telemetry off (no sink, no
# registry: the manager does not wrap its calls), info (Info records into a sink that discards
# them: each call's end line built and handed over) and metrics (a MetricsRegistry counting
# every attempt and call), interleaved, BENCH_REPEAT times. Prints client CPU µs per call and
# requests/s (medians) and each variant's difference to off; writes nothing to docs/.
#
#   bench/run_telemetry_bench.sh
#
# Environment: BENCH_PIN=1, BENCH_CONCURRENCY=64, BENCH_REQUESTS=20000, BENCH_REPEAT=5,
# BENCH_EMULATOR_THREADS=1, BENCH_NO_BUILD=1, BENCH_MAX_LOAD, BENCH_RESULTS (as
# run_client_bench.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-bench
pin=${BENCH_PIN:-1}
concurrency=${BENCH_CONCURRENCY:-64}
requests=${BENCH_REQUESTS:-20000}
repeat=${BENCH_REPEAT:-5}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
model=anthropic.claude-3-haiku-20240307-v1:0
region=us-east-1
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/telemetry-$stamp}

die() { echo "run_telemetry_bench: $*" >&2; exit 1; }
log() { echo "run_telemetry_bench: $*" >&2; }
command -v python3 >/dev/null || die "python3 not found"

source "$repo/bench/bench_common.sh"

for rep in $(seq "$repeat"); do
  for variant in off info metrics; do
    measure "$results/llmm.jsonl" "$bench" --endpoint "$url" --mode throughput \
      --concurrency "$concurrency" --requests "$requests" --model "$model" --region "$region" \
      --telemetry "$variant" --label "rep $rep"
  done
done

record_machine
python3 - "$results/llmm.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in runs:
    by.setdefault(r.get("telemetry"), []).append(r)
med = lambda rs, k: statistics.median(r[k] for r in rs if isinstance(r.get(k), (int, float)))
base = med(by["off"], "cpu_us_per_call")
print("| telemetry | client CPU µs/call (median) | every run | over off | requests/s (median) | errors |")
print("|---|---:|---|---:|---:|---:|")
for v in ("off", "info", "metrics"):
    rs = by.get(v, [])
    if not rs:
        continue
    cpu = med(rs, "cpu_us_per_call")
    every = ", ".join(f"{r['cpu_us_per_call']:.1f}" for r in rs)
    print(f"| {v} | {cpu:.1f} | {every} | {cpu - base:+.1f} | {med(rs, 'requests_per_second'):,.0f} "
          f"| {sum(r.get('errors', 0) for r in rs)} |")
PY
cat "$results/machine.txt"
