#!/usr/bin/env bash
# `llmm batch` at scale (issue 15): records per second and peak RSS of one batch of N short
# records against the emulator (echo mode, no quota), for several N in one run, so that the
# memory's independence from the record count is seen beside the rate. Each size runs once;
# RSS is the batch process's own peak (getrusage of the child), not the emulator's.
#
#   bench/run_batch_bench.sh
#
# Environment: BENCH_SIZES ("10000 100000 1000000"), BENCH_CONCURRENCY (64), BENCH_PIN (1:
# emulator on CPU 0, llmm on CPU 1), BENCH_EMULATOR_THREADS (1), BENCH_NO_BUILD=1 with
# BENCH_BUILD_DIR (a build holding apps/llmm/llmm and the emulator), BENCH_RESULTS.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build-bench}
pin=${BENCH_PIN:-1}
read -r -a sizes <<<"${BENCH_SIZES:-10000 100000 1000000}"
concurrency=${BENCH_CONCURRENCY:-64}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
model=anthropic.claude-3-haiku-20240307-v1:0
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/batch-$stamp}

die() { echo "run_batch_bench: $*" >&2; exit 1; }
log() { echo "run_batch_bench: $*" >&2; }

bench_without_client=1
source "$repo/bench/bench_common.sh"
[[ ${BENCH_NO_BUILD:-0} == 1 ]] || ninja -C "$build" llmm_cli >&2
llmm=$build/apps/llmm/llmm
[[ -x $llmm ]] || die "missing $llmm"

rows=()
for size in "${sizes[@]}"; do
  log "$size records, $concurrency in flight"
  python3 - "$work/in.jsonl" "$size" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(int(sys.argv[2])):
        out.write(json.dumps({"id": f"r{i}", "prompt": f"record {i}"}) + "\n")
PY
  rows+=("$("${client_cpu[@]}" python3 - "$llmm" "$work" "$url" "$model" "$concurrency" "$size" <<'PY'
import json, resource, subprocess, sys, time
llmm, work, url, model, concurrency, size = sys.argv[1:7]
env = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
       "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"}
command = [llmm, "batch", f"{work}/in.jsonl", "-o", f"{work}/out.jsonl", "--overwrite", "--endpoint", url,
           "--model", model, "--region", "us-east-1", "-c", concurrency, "--offline", "-q",
           "--json-summary", f"{work}/summary.json"]
started = time.monotonic()
code = subprocess.run(command, env=env, check=False, stderr=subprocess.DEVNULL).returncode
seconds = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
summary = json.load(open(f"{work}/summary.json"))
ok = summary["succeeded"]
print(f"| {int(size):,} | {ok:,} | {code} | {seconds:.1f} | {ok / seconds:,.0f} | "
      f"{usage.ru_maxrss / 1024:.1f} | {usage.ru_utime + usage.ru_stime:.1f} |")
PY
)")
  rm -f "$work/in.jsonl" "$work/out.jsonl"
done

commit=$(git -C "$repo" rev-parse --short HEAD)
echo
echo "llmm batch, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) CPUs, pinning $pin, -c $concurrency,"
echo "short records ({\"id\",\"prompt\"}), emulator in echo mode with $emulator_threads thread(s):"
echo
echo "| records | succeeded | exit | wall s | records/s | peak RSS MB | llmm CPU s |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
