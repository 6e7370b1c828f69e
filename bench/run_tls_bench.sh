#!/usr/bin/env bash
# HTTPS and HTTP/2 against the emulator (started with --tls), in one run, as ratios: at
# concurrency 1/64/256, requests/s and client CPU µs per call for
#   * llmm over HTTP/2 (http_version auto: ALPN picks h2) and over HTTP/1.1 (http_version 1.1),
#   * the official AWS SDK for JavaScript v3 with its default NodeHttp2Handler and with
#     NodeHttpHandler (HTTP/1.1 over a keep-alive https.Agent),
# plus TLS handshakes per 10,000 llmm calls (connection reuse), llmm's memory per in-flight call
# over HTTP/2 with 1,000 in flight (and over HTTP/1.1 for comparison), and the time to first
# token over TLS + HTTP/2 against plaintext HTTP/1.1. Prints a markdown table, keeps every JSON
# line in the results directory; writes nothing to docs/.
#
#   bench/run_tls_bench.sh
#
# Environment (as run_client_bench.sh): BENCH_PIN=1, BENCH_CONCURRENCY="1 64 256",
# BENCH_REQUESTS=20000 (BENCH_REQUESTS_C1=5000), BENCH_REPEAT=3, BENCH_EMULATOR_THREADS=1,
# BENCH_IN_FLIGHT=1000, BENCH_DELAY_MS=3000, BENCH_TTFT_CALLS=200, BENCH_NO_BUILD=1,
# BENCH_MAX_LOAD, BENCH_RESULTS, BENCH_BUILD_DIR (default build-bench; with BENCH_NO_BUILD=1 an
# existing build configured with -DLLMM_BUILD_BENCH=ON).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build-bench}
pin=${BENCH_PIN:-1}
concurrencies=${BENCH_CONCURRENCY:-"1 64 256"}
requests=${BENCH_REQUESTS:-20000}
requests_c1=${BENCH_REQUESTS_C1:-5000}
repeat=${BENCH_REPEAT:-3}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
in_flight=${BENCH_IN_FLIGHT:-1000}
delay_ms=${BENCH_DELAY_MS:-3000}
ttft_calls=${BENCH_TTFT_CALLS:-200}
model=anthropic.claude-3-haiku-20240307-v1:0
region=us-east-1
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/tls-$stamp}

die() { echo "run_tls_bench: $*" >&2; exit 1; }
log() { echo "run_tls_bench: $*" >&2; }
command -v node >/dev/null || die "node not found: run scripts/bootstrap"
command -v python3 >/dev/null || die "python3 not found"

emulator_tls=1
source "$repo/bench/bench_common.sh"
ca=$work/tls/ca.pem
[[ -f $ca ]] || die "the emulator wrote no CA at $ca"
export NODE_EXTRA_CA_CERTS=$ca

tls_handshakes() {
  curl -sf "$url/_emulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tls"]["handshakes"])'
}

# measure (bench_common.sh) plus the TLS handshakes the run made.
measure_tls() {
  local out=$1; shift
  local before after
  before=$(tls_handshakes)
  measure "$out" "$@"
  after=$(tls_handshakes)
  python3 - "$out" "$before" "$after" <<'PY'
import json, sys
path, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path).read().splitlines()
r = json.loads(lines[-1])
r["tls_handshakes"] = after - before
lines[-1] = json.dumps(r)
open(path, "w").write("\n".join(lines) + "\n")
PY
}

for c in $concurrencies; do
  n=$requests
  (( c == 1 )) && n=$requests_c1
  warm=$(( 4 * c > 1000 ? 4 * c : 1000 ))
  for rep in $(seq "$repeat"); do
    for version in auto 1.1; do
      measure_tls "$results/llmm-$version.jsonl" "$bench" --endpoint "$https_url" --ca-bundle "$ca" \
        --http-version "$version" --mode throughput --concurrency "$c" --requests "$n" --warmup "$warm" \
        --model "$model" --region "$region" --label "rep $rep"
    done
    for handler in h2 h1; do
      measure_tls "$results/js-$handler.jsonl" node "$repo/bench/js_sdk_bench.mjs" --endpoint "$https_url" \
        --handler "$handler" --concurrency "$c" --requests "$n" --warmup "$warm" --model "$model" \
        --region "$region" --label "rep $rep"
    done
  done
done

# Over HTTP/2 the default pool of 10 connections carries the calls as streams (128 per connection).
measure "$results/memory-h2.jsonl" "$bench" --endpoint "$https_url" --ca-bundle "$ca" --http-version auto \
  --pool 10 --mode memory --concurrency "$in_flight" --delay-ms "$delay_ms" --model "$model" --region "$region"
measure "$results/memory-h1.jsonl" "$bench" --endpoint "$https_url" --ca-bundle "$ca" --http-version 1.1 \
  --mode memory --concurrency "$in_flight" --delay-ms "$delay_ms" --model "$model" --region "$region"
measure "$results/ttft-h2.jsonl" "$bench" --endpoint "$https_url" --ca-bundle "$ca" --http-version auto \
  --mode ttft --requests "$ttft_calls" --model "$model" --region "$region"
measure "$results/ttft-plain.jsonl" "$bench" --endpoint "$url" --mode ttft --requests "$ttft_calls" \
  --model "$model" --region "$region"

record_machine
python3 - "$results" <<'PY'
import json, statistics, sys
results = sys.argv[1]

def lines(name):
    try:
        return [json.loads(l) for l in open(f"{results}/{name}") if l.strip()]
    except FileNotFoundError:
        return []

runs = {name: lines(f"{name}.jsonl") for name in ("llmm-auto", "llmm-1.1", "js-h2", "js-h1")}
conc = sorted({r.get("concurrency") for r in runs["llmm-auto"] if r.get("concurrency")})
med = lambda vs: statistics.median([v for v in vs if isinstance(v, (int, float))]) if any(isinstance(v, (int, float)) for v in vs) else None
fmt = lambda v: f"{v:,.0f}" if isinstance(v, (int, float)) else "n/a"
one = lambda v: f"{v:,.1f}" if isinstance(v, (int, float)) else "n/a"
two = lambda v: f"{v:.2f}" if isinstance(v, (int, float)) else "n/a"

def at(name, c, key):
    return med([r.get(key) for r in runs[name] if r.get("concurrency") == c])

def handshakes_per_10k(name, c):
    rs = [r for r in runs[name] if r.get("concurrency") == c and r.get("ok")]
    total = sum(r.get("ok", 0) + r.get("warmup", 0) for r in rs)
    return 10000 * sum(r.get("tls_handshakes", 0) for r in rs) / total if total else None

print("| concurrency | llmm h2 req/s | llmm h1.1 req/s | JS h2 req/s | JS h1.1 req/s | llmm h2 / JS h2 | llmm h1.1 / JS h1.1 "
      "| llmm h2 CPU µs/call | llmm h1.1 CPU µs/call | JS h2 CPU µs/call | JS h1.1 CPU µs/call "
      "| llmm TLS handshakes per 10k calls h2 / h1.1 | errors llmm h2/h1.1, JS h2/h1.1 |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
for c in conc:
    rps = {n: at(n, c, "requests_per_second") for n in runs}
    cpu = {n: at(n, c, "cpu_us_per_call") for n in runs}
    ratio = lambda a, b: rps[a] / rps[b] if rps[a] and rps[b] else None
    errors = ", ".join(str(sum(r.get("errors", 0) for r in runs[n] if r.get("concurrency") == c)) for n in runs)
    print(f"| {c} | {fmt(rps['llmm-auto'])} | {fmt(rps['llmm-1.1'])} | {fmt(rps['js-h2'])} | {fmt(rps['js-h1'])} "
          f"| {two(ratio('llmm-auto', 'js-h2'))} | {two(ratio('llmm-1.1', 'js-h1'))} "
          f"| {one(cpu['llmm-auto'])} | {one(cpu['llmm-1.1'])} | {one(cpu['js-h2'])} | {one(cpu['js-h1'])} "
          f"| {one(handshakes_per_10k('llmm-auto', c))} / {one(handshakes_per_10k('llmm-1.1', c))} | {errors} |")
print()
for name in ("memory-h2", "memory-h1", "ttft-h2", "ttft-plain"):
    for r in lines(f"{name}.jsonl"):
        print(f"- {name}: {json.dumps(r)}")
PY
log "results in $results"
