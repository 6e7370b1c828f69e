#!/usr/bin/env bash
# Streaming figures of issue 5 in one run: builds llmm_client_bench and the emulator in
# build-bench/ (Release, -DLLMM_BUILD_BENCH=ON), starts one emulator, and
#   * at concurrency 1/16/64 (BENCH_STREAM_CONCURRENCY), BENCH_REPEAT times, back to back:
#       - wrk replaying one pre-signed ConverseStream POST (on one core this is wrk's limit rather
#         than the emulator's at C >= 16: llmm went faster), and the Converse ceiling (one
#         pre-signed Converse POST), the reference the ratios use,
#       - llmm: llmm_client_bench --mode stream (LLMManager::converse_stream_async, C in flight),
#       - the official AWS SDK for JavaScript v3: js_sdk_bench.mjs --mode stream
#         (ConverseStreamCommand, iterating response.stream);
#   * time to first token against a scenario with latency.timeToFirstTokenMs = T (BENCH_TTFT_MS,
#     "0 100"), sequential: llmm --mode ttft (pull interface), the JS SDK --mode ttft, and a bare
#     socket (python3, the same pre-signed request replayed on one keep-alive connection; the
#     time until the bytes of the first contentBlockDelta arrive) as the floor of emulator timer,
#     scheduling and loopback. Overhead = measured - T.
# Prints a markdown table and keeps every JSON line in the results directory; writes nothing to docs/.
#
#   bench/run_stream_bench.sh
#
# Needs what run_client_bench.sh needs (cmake, ninja, g++, wrk, node + tests/conformance/node_modules,
# python3, curl, taskset when pinning).
# Environment:
#   BENCH_PIN=1                   emulator on CPU 0, every client on CPU 1 (0: no pinning)
#   BENCH_STREAM_CONCURRENCY      "1 16 64"
#   BENCH_REQUESTS=10000          llmm streams per run (BENCH_REQUESTS_C1=2000 at concurrency 1)
#   BENCH_JS_REQUESTS=2000        JS SDK streams per run (BENCH_JS_REQUESTS_C1=500 at concurrency 1)
#   BENCH_REPEAT=3                repetitions per concurrency (table: medians)
#   BENCH_WRK_DURATION=5s
#   BENCH_EMULATOR_THREADS=1
#   BENCH_TTFT_MS="0 100"         configured times to first token for the ttft runs
#   BENCH_TTFT_CALLS=200          sequential streams per ttft run and client
#   BENCH_MODEL, BENCH_NO_BUILD=1, BENCH_RESULTS, BENCH_MAX_LOAD, BENCH_MAX_WAIT (as run_client_bench.sh)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-bench
pin=${BENCH_PIN:-1}
concurrencies=${BENCH_STREAM_CONCURRENCY:-"1 16 64"}
requests=${BENCH_REQUESTS:-10000}
requests_c1=${BENCH_REQUESTS_C1:-2000}
js_requests=${BENCH_JS_REQUESTS:-2000}
js_requests_c1=${BENCH_JS_REQUESTS_C1:-500}
repeat=${BENCH_REPEAT:-3}
wrk_duration=${BENCH_WRK_DURATION:-5s}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
ttft_values=${BENCH_TTFT_MS:-"0 100"}
ttft_calls=${BENCH_TTFT_CALLS:-200}
model=${BENCH_MODEL:-anthropic.claude-3-haiku-20240307-v1:0}
region=us-east-1
node_modules=$repo/tests/conformance/node_modules
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/stream-$stamp}

die() { echo "run_stream_bench: $*" >&2; exit 1; }
log() { echo "run_stream_bench: $*" >&2; }
for tool in wrk node python3 curl; do command -v $tool >/dev/null || die "$tool not found"; done
[[ -f $node_modules/@aws-sdk/client-bedrock-runtime/package.json ]] ||
  die "@aws-sdk/client-bedrock-runtime missing in $node_modules: run scripts/bootstrap"

# ---- build, pinning, the emulator (bench_common.sh) ----------------------------------------------
source "$repo/bench/bench_common.sh"

# ---- pre-signed requests: $work/{converse,stream}.lua for wrk, $work/stream.json for python ------
# Signed with the emulator's default key pair by @smithy/signature-v4; the emulator accepts an
# x-amz-date within 5 minutes of its clock, so this runs again before each use.
sign() {
  NODE_PATH=$node_modules PORT=$port MODEL=$model REGION=$region OUT=$work node - <<'EOF'
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const fs = require("fs");
const { PORT, MODEL, REGION, OUT } = process.env;
const host = `127.0.0.1:${PORT}`;
const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "Benchmark hello" }] }],
                              inferenceConfig: { maxTokens: 64 } });
const signer = new SignatureV4({
  service: "bedrock", region: REGION, sha256: Sha256, uriEscapePath: true,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
});
(async () => {
  for (const [name, operation] of [["converse", "converse"], ["stream", "converse-stream"]]) {
    const path = `/model/${encodeURIComponent(MODEL)}/${operation}`;
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(PORT),
                                       path, query: {}, headers: { host, "content-type": "application/json" }, body });
    const lua = [`wrk.method = "POST"`, `wrk.path = [==[${path}]==]`, `wrk.body = [==[${body}]==]`];
    for (const [key, value] of Object.entries(signed.headers)) {
      lua.push(`wrk.headers[ [==[${key.toLowerCase() === "host" ? "Host" : key}]==] ] = [==[${value}]==]`);
    }
    fs.writeFileSync(`${OUT}/${name}.lua`, lua.join("\n") + "\n");
    fs.writeFileSync(`${OUT}/${name}.json`, JSON.stringify({ path, body, headers: signed.headers }));
  }
})().catch((error) => { console.error(error); process.exit(1); });
EOF
}

# The bare-socket client: N sequential replays of the signed ConverseStream request on one
# keep-alive connection; per stream the time from sending to the arrival of the bytes holding the
# first contentBlockDelta frame (the first text), then read to the terminating chunk.
bare_ttft() {  # $1 = configured ms, $2 = calls, $3 = label
  "${client_cpu[@]}" python3 - "$work/stream.json" "$port" "$1" "$2" "$3" <<'EOF'
import json, socket, sys, time
req = json.load(open(sys.argv[1]))
port, configured_ms, calls, label = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
body = req["body"].encode()
raw = (f"POST {req['path']} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in req["headers"].items())
       + f"content-length: {len(body)}\r\n\r\n").encode() + body
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
def one():
    t0 = time.perf_counter_ns()
    s.sendall(raw)
    data, first = b"", None
    while True:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
        if first is None and b"contentBlockDelta" in data:
            first = time.perf_counter_ns()
        if data.endswith(b"\r\n0\r\n\r\n"):
            break
    if not data.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(data[:300])
    return (first - t0) / 1000
for _ in range(5):
    one()
values = sorted(one() for _ in range(calls))
at = lambda q: round(values[min(len(values) - 1, round(q * (len(values) - 1)))], 1)
over = [v - configured_ms * 1000 for v in values]
ot = lambda q: round(over[min(len(over) - 1, round(q * (len(over) - 1)))], 1)
print(json.dumps({"client": "bare-socket", "mode": "ttft", "label": label, "configured_ttft_ms": configured_ms,
                  "ok": len(values), "first_text_us": {"p50": at(.5), "p90": at(.9), "p99": at(.99), "max": values[-1]},
                  "overhead_us": {"p50": ot(.5), "p90": ot(.9), "p99": ot(.99), "min": round(over[0], 1),
                                  "max": round(over[-1], 1), "samples": len(over)}}))
EOF
}

run_wrk() {  # $1 = converse|stream, $2 = concurrency, $3 = rep
  local kind=$1 c=$2 rep=$3 t=$wrk_threads
  (( c < t )) && t=$c
  sign
  log "wrk $kind -t$t -c$c -d$wrk_duration (rep $rep)"
  "${client_cpu[@]}" wrk -t"$t" -c"$c" -d"$wrk_duration" --latency -s "$work/$kind.lua" "$url" \
    >"$results/wrk-$kind-$c-$rep.txt"
  python3 - "$results/wrk-$kind-$c-$rep.txt" "$kind" "$c" "$rep" "$(cut -d' ' -f1 /proc/loadavg)" \
    >>"$results/wrk.jsonl" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
p50 = re.search(r"^\s*50%\s+(\S+)", text, re.M)
non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors = re.search(r"Socket errors:\s*(.*)", text)
print(json.dumps({"client": "wrk", "operation": sys.argv[2], "concurrency": int(sys.argv[3]),
                  "label": f"rep {sys.argv[4]}", "requests_per_second": rps,
                  "latency_p50": p50.group(1) if p50 else None, "non2xx": int(non2xx.group(1)) if non2xx else 0,
                  "socket_errors": errors.group(1).strip() if errors else "none",
                  "load_1min_after": float(sys.argv[5])}))
EOF
  tail -1 "$results/wrk.jsonl" >&2
}

# One replay of the signed ConverseStream request must answer 200 with an event stream.
sign
check=$(python3 - "$work/stream.json" "$port" <<'EOF'
import http.client, json, sys
r = json.load(open(sys.argv[1]))
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]), timeout=10)
c.request("POST", r["path"], body=r["body"].encode(), headers=r["headers"])
resp = c.getresponse()
body = resp.read()
print(f"{resp.status} {resp.getheader('content-type')} {len(body)} bytes, contentBlockDelta: {b'contentBlockDelta' in body}")
EOF
)
[[ $check == "200 application/vnd.amazon.eventstream"* ]] || die "the signed ConverseStream request: $check"
log "signed ConverseStream replay: $check"

# ---- throughput: ceiling, llmm, JS SDK -------------------------------------------------------------
for c in $concurrencies; do
  n=$requests jn=$js_requests
  (( c == 1 )) && n=$requests_c1 jn=$js_requests_c1
  warm=$(( 4 * c > 1000 ? 4 * c : 1000 ))
  for rep in $(seq "$repeat"); do
    run_wrk stream "$c" "$rep"
    run_wrk converse "$c" "$rep"
    measure "$results/llmm-stream.jsonl" "$bench" --endpoint "$url" --mode stream --concurrency "$c" \
      --requests "$n" --warmup "$warm" --model "$model" --region "$region" --label "rep $rep"
    measure "$results/js-stream.jsonl" node "$repo/bench/js_sdk_bench.mjs" --mode stream --endpoint "$url" \
      --concurrency "$c" --requests "$jn" --warmup "$warm" --model "$model" --region "$region" --label "rep $rep"
  done
done

# ---- time to first token over a configured one ---------------------------------------------------
for t in $ttft_values; do
  measure "$results/ttft.jsonl" "$bench" --endpoint "$url" --mode ttft --ttft-ms "$t" --requests "$ttft_calls" \
    --model "$model" --region "$region" --label "T=$t"
  measure "$results/ttft.jsonl" node "$repo/bench/js_sdk_bench.mjs" --mode ttft --ttft-ms "$t" --endpoint "$url" \
    --requests "$ttft_calls" --model "$model" --region "$region" --label "T=$t"
  curl -sf -X POST "$url/_emulator/reset" >/dev/null
  curl -sf -X PUT --data-binary "{\"latency\": {\"timeToFirstTokenMs\": $t, \"tokensPerSecond\": 0}}" \
    "$url/_emulator/scenario" >/dev/null
  sign
  bare_ttft "$t" "$ttft_calls" "T=$t" >>"$results/ttft.jsonl"
  tail -1 "$results/ttft.jsonl" >&2
  curl -sf -X POST "$url/_emulator/reset" >/dev/null
done

# ---- report --------------------------------------------------------------------------------------
record_machine
python3 - "$results" <<'EOF'
import json, statistics, sys
results = sys.argv[1]
def lines(name):
    try:
        return [json.loads(l) for l in open(f"{results}/{name}") if l.strip()]
    except FileNotFoundError:
        return []
wrk, llmm, js, ttft = lines("wrk.jsonl"), lines("llmm-stream.jsonl"), lines("js-stream.jsonl"), lines("ttft.jsonl")
def med(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(values) if values else None
fmt = lambda v: f"{v:,.0f}" if isinstance(v, (int, float)) else "n/a"
us = lambda v: f"{v:,.1f}" if isinstance(v, (int, float)) else "n/a"
two = lambda v: f"{v:.2f}" if isinstance(v, (int, float)) else "n/a"
ms = lambda v: f"{v / 1000:.2f}" if isinstance(v, (int, float)) else "n/a"
at = lambda runs, c, **kw: {r.get("label"): r for r in runs if r.get("concurrency") == c
                            and all(r.get(k) == v for k, v in kw.items())}
print("| concurrency | wrk ConverseStream streams/s | Converse ceiling (wrk) req/s | llmm streams/s | JS SDK streams/s "
      "| llmm / wrk stream | llmm / Converse ceiling | llmm / JS SDK | llmm CPU µs/stream | JS SDK CPU µs/stream | JS / llmm CPU "
      "| llmm first text p50 / p99 ms | JS SDK first text p50 / p99 ms | errors llmm/JS | load (1 min) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|")
for c in sorted({r["concurrency"] for r in wrk}):
    ws, wc, a, b = at(wrk, c, operation="stream"), at(wrk, c, operation="converse"), at(llmm, c), at(js, c)
    reps = sorted(ws)
    rps = lambda d: [d.get(k, {}).get("requests_per_second") for k in reps]
    cpu = lambda d: [d.get(k, {}).get("cpu_us_per_call") for k in reps]
    r_ceiling = [x / y for x, y in zip(rps(a), rps(ws)) if x and y]
    r_converse = [x / y for x, y in zip(rps(a), rps(wc)) if x and y]
    r_js = [x / y for x, y in zip(rps(a), rps(b)) if x and y]
    r_cpu = [y / x for x, y in zip(cpu(a), cpu(b)) if x and y]
    ft = lambda d, q: med([r.get("first_text_us", {}).get(q) for r in d.values()])
    loads = [d.get("load_1min_after") for d in list(ws.values()) + list(a.values()) + list(b.values())]
    loads = [l for l in loads if l is not None]
    errors = f"{sum(d.get('errors', 0) for d in a.values())}/{sum(d.get('errors', 0) for d in b.values())}"
    print(f"| {c} | {fmt(med(rps(ws)))} | {fmt(med(rps(wc)))} | {fmt(med(rps(a)))} | {fmt(med(rps(b)))} "
          f"| {two(med(r_ceiling))} | {two(med(r_converse))} | {two(med(r_js))} | {us(med(cpu(a)))} | {us(med(cpu(b)))} | {two(med(r_cpu))} "
          f"| {ms(ft(a, 'p50'))} / {ms(ft(a, 'p99'))} | {ms(ft(b, 'p50'))} / {ms(ft(b, 'p99'))} | {errors} "
          f"| {min(loads):.2f}–{max(loads):.2f} |" if loads else "")
print()
print("Every repetition (streams/s wrk stream / wrk converse / llmm / JS SDK; emulator CPU µs/req llmm / JS):")
for c in sorted({r["concurrency"] for r in wrk}):
    ws, wc, a, b = at(wrk, c, operation="stream"), at(wrk, c, operation="converse"), at(llmm, c), at(js, c)
    print(f"- c={c}: " + "; ".join(
        f"{k}: {fmt(ws[k].get('requests_per_second'))} / {fmt(wc.get(k, {}).get('requests_per_second'))} / "
        f"{fmt(a.get(k, {}).get('requests_per_second'))} / {fmt(b.get(k, {}).get('requests_per_second'))} "
        f"(emu {a.get(k, {}).get('emulator_cpu_us_per_request')} / {b.get(k, {}).get('emulator_cpu_us_per_request')}; "
        f"load {a.get(k, {}).get('load_1min_after')})" for k in sorted(ws)))
print()
print("| configured TTFT | client | first text p50 ms | overhead p50 µs | overhead p90 µs | overhead p99 µs | overhead min µs | CPU µs/stream | streams | load after |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in ttft:
    o, f = r.get("overhead_us", {}), r.get("first_text_us", {})
    print(f"| {r.get('configured_ttft_ms')} ms | {r.get('client')} | {ms(f.get('p50'))} | {us(o.get('p50'))} | {us(o.get('p90'))} "
          f"| {us(o.get('p99'))} | {us(o.get('min'))} | {us(r.get('cpu_us_per_call'))} | {r.get('ok')} | {r.get('load_1min_after', '')} |")
EOF
cat "$results/machine.txt"
