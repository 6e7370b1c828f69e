#!/usr/bin/env bash
# What logging and metrics cost a call (issue 16), in one run: builds llmm_client_bench and the
# emulator in build-bench/ (Release, -DLLMM_BUILD_BENCH=ON), starts one emulator, and at
# concurrency 64 runs llmm_client_bench --mode throughput with --telemetry off (no sink, no
# registry: the manager does not wrap its calls), info (Info records into a sink that discards
# them: each call's end line built and handed over) and metrics (a MetricsRegistry counting
# every attempt and call), interleaved, BENCH_REPEAT times; with BENCH_BASELINE=PATH also that
# llmm_client_bench (an earlier commit's, built the same way) as "baseline", before each
# repetition's three. Prints client CPU µs per call and requests/s (medians) and each variant's
# difference to off and to the baseline. CPU time of one run varies by +-15 us a call on a
# shared 2-core VM, more than what is measured here, so the same variants are also counted
# under valgrind's callgrind (BENCH_CALLGRIND=1, the default): instructions per call, from the
# difference of two runs of BENCH_CALLGRIND_CALLS="1000 5000" calls (setup and warm-up cancel
# out), deterministic to a fraction of a percent. Writes nothing to docs/.
#
#   bench/run_telemetry_bench.sh
#   BENCH_BASELINE=../base/build-bench/bench/llmm_client_bench bench/run_telemetry_bench.sh
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

baseline=${BENCH_BASELINE:-}
[[ -z $baseline || -x $baseline ]] || die "BENCH_BASELINE: no executable $baseline"

for rep in $(seq "$repeat"); do
  if [[ -n $baseline ]]; then
    # An earlier build knows no --telemetry: its line is marked here.
    measure "$results/baseline.jsonl" "$baseline" --endpoint "$url" --mode throughput \
      --concurrency "$concurrency" --requests "$requests" --model "$model" --region "$region" \
      --label "rep $rep"
    python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); r["telemetry"]="baseline"; print(json.dumps(r))' \
      <<<"$(tail -1 "$results/baseline.jsonl")" >>"$results/llmm.jsonl"
  fi
  for variant in off info metrics; do
    measure "$results/llmm.jsonl" "$bench" --endpoint "$url" --mode throughput \
      --concurrency "$concurrency" --requests "$requests" --model "$model" --region "$region" \
      --telemetry "$variant" --label "rep $rep"
  done
done

# Instructions per call under callgrind, each variant (and the baseline) at two call counts.
if [[ ${BENCH_CALLGRIND:-1} == 1 ]] && command -v valgrind >/dev/null; then
  read -r small large <<<"${BENCH_CALLGRIND_CALLS:-1000 5000}"
  variants=(off info metrics)
  [[ -n $baseline ]] && variants=(baseline "${variants[@]}")
  for variant in "${variants[@]}"; do
    for n in "$small" "$large"; do
      program=("$bench") extra=(--telemetry "$variant")
      [[ $variant == baseline ]] && program=("$baseline") extra=()
      collected=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "${program[@]}" \
        --endpoint "$url" --mode throughput --concurrency "$concurrency" --requests "$n" \
        "${extra[@]}" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
      echo "{\"variant\": \"$variant\", \"calls\": $n, \"instructions\": ${collected:-null}}" \
        >>"$results/callgrind.jsonl"
      tail -1 "$results/callgrind.jsonl" >&2
    done
  done
fi

record_machine
python3 - "$results/llmm.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in runs:
    by.setdefault(r.get("telemetry"), []).append(r)
med = lambda rs, k: statistics.median(r[k] for r in rs if isinstance(r.get(k), (int, float)))
base = med(by["off"], "cpu_us_per_call")
before = med(by["baseline"], "cpu_us_per_call") if by.get("baseline") else None
print("| telemetry | client CPU µs/call (median) | every run | over off | over baseline | requests/s (median) | errors |")
print("|---|---:|---|---:|---:|---:|---:|")
for v in ("baseline", "off", "info", "metrics"):
    rs = by.get(v, [])
    if not rs:
        continue
    cpu = med(rs, "cpu_us_per_call")
    every = ", ".join(f"{r['cpu_us_per_call']:.1f}" for r in rs)
    over_baseline = f"{cpu - before:+.1f}" if before is not None else "n/a"
    print(f"| {v} | {cpu:.1f} | {every} | {cpu - base:+.1f} | {over_baseline} "
          f"| {med(rs, 'requests_per_second'):,.0f} | {sum(r.get('errors', 0) for r in rs)} |")
PY
if [[ -f $results/callgrind.jsonl ]]; then
  python3 - "$results/callgrind.jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
per = {}
for v in dict.fromkeys(r["variant"] for r in runs):
    rs = sorted((r for r in runs if r["variant"] == v and r["instructions"]), key=lambda r: r["calls"])
    if len(rs) == 2:
        per[v] = (rs[1]["instructions"] - rs[0]["instructions"]) / (rs[1]["calls"] - rs[0]["calls"])
print()
print("| telemetry | instructions per call (callgrind) | over off | over baseline |")
print("|---|---:|---:|---:|")
for v, n in per.items():
    off = f"{n - per['off']:+,.0f}" if "off" in per else "n/a"
    base = f"{n - per['baseline']:+,.0f}" if "baseline" in per else "n/a"
    print(f"| {v} | {n:,.0f} | {off} | {base} |")
PY
fi
cat "$results/machine.txt"
