#!/usr/bin/env bash
# The client benchmarks of DESIGN.md §8 in one run, as ratios: builds llmm_client_bench and the
# emulator in build-bench/ (Release, -DLLMM_BUILD_BENCH=ON), starts one emulator, and at
# concurrency 1/16/64/256 measures
#   * the emulator's ceiling: wrk replaying one pre-signed Converse request (as emulator_wrk.sh),
#   * llmm: llmm_client_bench --mode throughput (LLMManager::converse_async, C in flight),
#   * the official AWS SDK for JavaScript v3: bench/js_sdk_bench.mjs doing the same job,
# then llmm's memory per in-flight request (1,000 calls held by a delay rule), blocking-call
# latency at concurrency 1, and the time from a throttle to the next region's request. Prints a
# markdown table and keeps every JSON line in the results directory; writes nothing to docs/.
#
#   bench/run_client_bench.sh
#
# Needs: cmake, ninja, g++, wrk, node + tests/conformance/node_modules (scripts/bootstrap),
# python3, taskset (util-linux) when pinning.
# Environment:
#   BENCH_PIN=1            emulator on CPU 0, every client (wrk, llmm, node) on CPU 1 (0: no pinning)
#   BENCH_CONCURRENCY      "1 16 64 256"
#   BENCH_REQUESTS=20000   calls per client run (BENCH_REQUESTS_C1=5000 at concurrency 1)
#   BENCH_REPEAT=3         repetitions per concurrency, each wrk then llmm then the JS SDK back to
#                          back; the table shows medians over the repetitions (ratios: the median
#                          of the per-repetition ratios)
#   BENCH_WRK_DURATION=5s  wrk run per repetition
#   BENCH_EMULATOR_THREADS=1
#   BENCH_IN_FLIGHT=1000   memory mode: calls held in flight; BENCH_DELAY_MS=3000 their delay
#   BENCH_THROTTLE_CALLS=200
#   BENCH_MODEL            anthropic.claude-3-haiku-20240307-v1:0
#   BENCH_NO_BUILD=1       use the existing build-bench binaries
#   BENCH_MAX_LOAD         wait (at most BENCH_MAX_WAIT s, default 1200) until the 1-minute load
#                          average is below this before measuring
#   BENCH_RESULTS          results directory (default build-bench/bench-results/<UTC stamp>)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-bench
pin=${BENCH_PIN:-1}
concurrencies=${BENCH_CONCURRENCY:-"1 16 64 256"}
requests=${BENCH_REQUESTS:-20000}
requests_c1=${BENCH_REQUESTS_C1:-5000}
repeat=${BENCH_REPEAT:-3}
wrk_duration=${BENCH_WRK_DURATION:-5s}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
in_flight=${BENCH_IN_FLIGHT:-1000}
delay_ms=${BENCH_DELAY_MS:-3000}
throttle_calls=${BENCH_THROTTLE_CALLS:-200}
model=${BENCH_MODEL:-anthropic.claude-3-haiku-20240307-v1:0}
region=us-east-1
node_modules=$repo/tests/conformance/node_modules
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/$stamp}

die() { echo "run_client_bench: $*" >&2; exit 1; }
log() { echo "run_client_bench: $*" >&2; }
command -v wrk >/dev/null || die "wrk not found (Debian package wrk)"
command -v node >/dev/null || die "node not found: run scripts/bootstrap"
command -v python3 >/dev/null || die "python3 not found"
[[ -f $node_modules/@aws-sdk/client-bedrock-runtime/package.json ]] ||
  die "@aws-sdk/client-bedrock-runtime missing in $node_modules: run scripts/bootstrap"

# ---- build, pinning, the emulator (bench_common.sh) ----------------------------------------------
source "$repo/bench/bench_common.sh"

# ---- one signed Converse request for wrk (as emulator_wrk.sh) ------------------------------------
sign() {
  NODE_PATH=$node_modules PORT=$port MODEL=$model REGION=$region OUT=$work node - <<'EOF'
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const fs = require("fs");
const { PORT, MODEL, REGION, OUT } = process.env;
const host = `127.0.0.1:${PORT}`;
const path = `/model/${encodeURIComponent(MODEL)}/converse`;
const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "Benchmark hello" }] }],
                              inferenceConfig: { maxTokens: 64 } });
const signer = new SignatureV4({
  service: "bedrock", region: REGION, sha256: Sha256, uriEscapePath: true,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
});
signer.sign({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(PORT), path,
              query: {}, headers: { host, "content-type": "application/json" }, body })
  .then((signed) => {
    const lua = [`wrk.method = "POST"`, `wrk.path = [==[${path}]==]`, `wrk.body = [==[${body}]==]`];
    for (const [name, value] of Object.entries(signed.headers)) {
      const key = name.toLowerCase() === "host" ? "Host" : name;
      lua.push(`wrk.headers[ [==[${key}]==] ] = [==[${value}]==]`);
    }
    fs.writeFileSync(`${OUT}/post.lua`, lua.join("\n") + "\n");
  })
  .catch((error) => { console.error(error); process.exit(1); });
EOF
}

# ---- per concurrency: wrk ceiling, llmm, JS SDK ---------------------------------------------------
# Interleaved: each repetition measures the ceiling, then llmm, then the JS SDK, back to back, so
# the ratios of one repetition come from the same few seconds of a possibly shared machine.
run_wrk() {
  local c=$1 rep=$2 t=$wrk_threads
  (( c < t )) && t=$c
  sign
  log "wrk -t$t -c$c -d$wrk_duration (rep $rep)"
  "${client_cpu[@]}" wrk -t"$t" -c"$c" -d"$wrk_duration" --latency -s "$work/post.lua" "$url" \
    >"$results/wrk-$c-$rep.txt"
  python3 - "$results/wrk-$c-$rep.txt" "$c" "$rep" "$(cut -d' ' -f1 /proc/loadavg)" >>"$results/wrk.jsonl" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
p50 = re.search(r"^\s*50%\s+(\S+)", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors = re.search(r"Socket errors:\s*(.*)", text)
print(json.dumps({"client": "wrk", "concurrency": int(sys.argv[2]), "label": f"rep {sys.argv[3]}",
                  "requests_per_second": rps, "latency_p50": p50.group(1) if p50 else None,
                  "non2xx": int(non2xx.group(1)) if non2xx else 0,
                  "socket_errors": errors.group(1).strip() if errors else "none",
                  "load_1min_after": float(sys.argv[4])}))
EOF
  tail -1 "$results/wrk.jsonl" >&2
}

for c in $concurrencies; do
  n=$requests
  (( c == 1 )) && n=$requests_c1
  warm=$(( 4 * c > 1000 ? 4 * c : 1000 ))
  for rep in $(seq "$repeat"); do
    run_wrk "$c" "$rep"
    measure "$results/llmm.jsonl" "$bench" --endpoint "$url" --mode throughput --concurrency "$c" \
      --requests "$n" --warmup "$warm" --model "$model" --region "$region" --label "rep $rep"
    measure "$results/js.jsonl" node "$repo/bench/js_sdk_bench.mjs" --endpoint "$url" --concurrency "$c" \
      --requests "$n" --warmup "$warm" --model "$model" --region "$region" --label "rep $rep"
  done
done

# ---- blocking calls, memory per in-flight call, throttle → next region ---------------------------
measure "$results/llmm-latency.jsonl" "$bench" --endpoint "$url" --mode latency --concurrency 1 \
  --requests "$requests_c1" --model "$model" --region "$region"
measure "$results/llmm-memory.jsonl" "$bench" --endpoint "$url" --mode memory --concurrency "$in_flight" \
  --delay-ms "$delay_ms" --model "$model" --region "$region"
measure "$results/llmm-throttle.jsonl" "$bench" --endpoint "$url" --mode throttle --requests "$throttle_calls" \
  --model "$model" --region us-east-1 --second-region us-west-2


# ---- report --------------------------------------------------------------------------------------
record_machine
python3 - "$results" "$pin" "$emulator_threads" <<'EOF'
import json, statistics, sys
results, pin, emulator_threads = sys.argv[1], sys.argv[2] == "1", sys.argv[3]

def lines(name):
    try:
        return [json.loads(l) for l in open(f"{results}/{name}") if l.strip()]
    except FileNotFoundError:
        return []

wrk, llmm, js = lines("wrk.jsonl"), lines("llmm.jsonl"), lines("js.jsonl")
conc = sorted({r["concurrency"] for r in wrk})

def at(runs, c):
    return {r.get("label"): r for r in runs if r.get("concurrency") == c}

def med(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(values) if values else None

fmt = lambda v: f"{v:,.0f}" if isinstance(v, (int, float)) else "n/a"
us = lambda v: f"{v:,.1f}" if isinstance(v, (int, float)) else "n/a"
two = lambda v: f"{v:.2f}" if isinstance(v, (int, float)) else "n/a"
ms = lambda v: f"{v / 1000:.2f}" if isinstance(v, (int, float)) else "n/a"

print("| concurrency | emulator ceiling (wrk) req/s | llmm req/s | JS SDK req/s | llmm / ceiling | llmm / JS SDK "
      "| llmm CPU µs/call | JS SDK CPU µs/call | JS / llmm CPU | llmm p50 ms | JS SDK p50 ms "
      "| emulator CPU µs/req (llmm / JS runs) | errors llmm/JS | load (1 min) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
for c in conc:
    w, a, b = at(wrk, c), at(llmm, c), at(js, c)
    reps = sorted(w)
    rps = lambda d: [d.get(k, {}).get("requests_per_second") for k in reps]
    cpu = lambda d: [d.get(k, {}).get("cpu_us_per_call") for k in reps]
    ratio_ceiling = [x / y for x, y in zip(rps(a), rps(w)) if x and y]
    ratio_js = [x / y for x, y in zip(rps(a), rps(b)) if x and y]
    ratio_cpu = [y / x for x, y in zip(cpu(a), cpu(b)) if x and y]
    loads = [d.get("load_1min_after") for d in list(w.values()) + list(a.values()) + list(b.values())]
    loads = [l for l in loads if l is not None]
    load_text = f"{min(loads):.2f}–{max(loads):.2f}" if loads else "n/a"
    errors = f"{sum(d.get('errors', 0) for d in a.values())}/{sum(d.get('errors', 0) for d in b.values())}"
    p50 = lambda d: med([r.get("latency_us", {}).get("p50") for r in d.values()])
    emu = lambda d: us(med([r.get("emulator_cpu_us_per_request") for r in d.values()]))
    print(f"| {c} | {fmt(med(rps(w)))} | {fmt(med(rps(a)))} | {fmt(med(rps(b)))} | {two(med(ratio_ceiling))} "
          f"| {two(med(ratio_js))} | {us(med(cpu(a)))} | {us(med(cpu(b)))} | {two(med(ratio_cpu))} "
          f"| {ms(p50(a))} | {ms(p50(b))} | {emu(a)} / {emu(b)} | {errors} | {load_text} |")
print()
print("Every repetition (requests/s wrk / llmm / JS SDK; 1-minute load after each):")
for c in conc:
    w, a, b = at(wrk, c), at(llmm, c), at(js, c)
    parts = []
    for k in sorted(w):
        parts.append(f"{k}: {fmt(w[k].get('requests_per_second'))} / {fmt(a.get(k, {}).get('requests_per_second'))} / "
                     f"{fmt(b.get(k, {}).get('requests_per_second'))} (load {w[k].get('load_1min_after')}, "
                     f"{a.get(k, {}).get('load_1min_after')}, {b.get(k, {}).get('load_1min_after')})")
    print(f"- c={c}: " + "; ".join(parts))
print()
for name in ("llmm-latency.jsonl", "llmm-memory.jsonl", "llmm-throttle.jsonl"):
    for r in lines(name):
        print(f"{name}: {json.dumps(r)}")
print()
print(f"pinned: {'emulator on CPU 0, clients on CPU 1' if pin else 'no'}; emulator threads: {emulator_threads}")
EOF
cat "$results/machine.txt"
