#!/usr/bin/env bash
# LLMManager cold start (its constructor loads the model catalog), as ratios within one run: builds
# llmm_catalog_bench and the emulator in build-bench/ (Release, -DLLMM_BUILD_BENCH=ON), starts one
# emulator (it serves the bundled catalog in every region on one port) and measures
#   * llmm: llmm_catalog_bench: constructing an LLMManager (Claude 3 Haiku, the 17 regions of the
#     bundled data) from the bundled data, from a warm file cache and by live discovery, BENCH_REPEAT
#     times each, plus the first construction of the process; then the discovery variant again with
#     a pool of 34 connections (all 34 catalog calls in flight at once);
#   * the official AWS SDK for JavaScript v3: js_sdk_bench.mjs --mode discovery, the same
#     ListFoundationModels + ListInferenceProfiles calls in the same 17 regions, all at once;
#   * the emulator's own CPU per discovery (/proc/PID/stat over each run): with one emulator
#     thread no client can discover faster, so it is the ceiling.
# Prints a markdown section and, unless BENCH_NO_WRITE=1, appends it to docs/BENCHMARKS.md; keeps
# the JSON lines in the results directory.
#
#   bench/run_catalog_bench.sh
#   BENCH_NO_WRITE=1 BENCH_REPEAT=5 bench/run_catalog_bench.sh
#
# Needs: cmake, ninja, g++, node + tests/conformance/node_modules (scripts/bootstrap), python3,
# curl, taskset (util-linux) when pinning.
# Environment:
#   BENCH_PIN=1            emulator on CPU 0, the clients on CPU 1 (0: no pinning)
#   BENCH_REPEAT=30        constructions per variant (discoveries for the JS SDK)
#   BENCH_POOL=34          max_pool_connections of the second llmm discovery run (empty: skip it)
#   BENCH_EMULATOR_THREADS=1
#   BENCH_MODEL            "Claude 3 Haiku"
#   BENCH_NO_BUILD=1       use the existing build-bench binaries
#   BENCH_NO_WRITE=1       print the section, do not touch docs/
#   BENCH_MAX_LOAD         wait (at most BENCH_MAX_WAIT s, default 1200) until the 1-minute load
#                          average is below this before measuring
#   BENCH_RESULTS          results directory (default build-bench/bench-results/catalog-<UTC stamp>)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build-bench
pin=${BENCH_PIN:-1}
repeat=${BENCH_REPEAT:-30}
pool=${BENCH_POOL-34}
emulator_threads=${BENCH_EMULATOR_THREADS:-1}
model=${BENCH_MODEL:-Claude 3 Haiku}
node_modules=$repo/tests/conformance/node_modules
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/catalog-$stamp}

die() { echo "run_catalog_bench: $*" >&2; exit 1; }
log() { echo "run_catalog_bench: $*" >&2; }
command -v node >/dev/null || die "node not found: run scripts/bootstrap"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"
[[ -f $node_modules/@aws-sdk/client-bedrock/package.json ]] ||
  die "@aws-sdk/client-bedrock missing in $node_modules: run scripts/bootstrap"

# ---- build, pinning, the emulator (bench_common.sh) ----------------------------------------------
source "$repo/bench/bench_common.sh"
catalog_bench=$build/bench/llmm_catalog_bench
[[ -x $catalog_bench ]] || die "missing $catalog_bench"

# ---- the runs ------------------------------------------------------------------------------------
measure "$results/llmm.jsonl" "$catalog_bench" --endpoint "$url" --repeat "$repeat" --model "$model"
measure "$results/js.jsonl" node "$repo/bench/js_sdk_bench.mjs" --endpoint "$url" --mode discovery --repeat "$repeat"
if [[ -n $pool ]]; then
  measure "$results/llmm-pool.jsonl" "$catalog_bench" --endpoint "$url" --repeat "$repeat" --model "$model" \
    --pool "$pool" --label "pool $pool"
fi

# ---- report --------------------------------------------------------------------------------------
record_machine
section=$results/section.md
python3 - "$results" "$pin" "$emulator_threads" "$commit" "$(nproc)" "$cpu" "$load_before" "$load_after" \
  "$(node --version)" "$(g++ -dumpfullversion 2>/dev/null || g++ -dumpversion)" "$pool" >"$section" <<'EOF'
import json, sys, time
results, pin, threads, commit, cores, cpu, load_before, load_after, node, gxx, pool = sys.argv[1:12]
pin = pin == "1"

def first(name):
    try:
        for line in open(f"{results}/{name}"):
            if line.strip():
                return json.loads(line)
    except FileNotFoundError:
        pass
    return {}

llmm, js, pooled = first("llmm.jsonl"), first("js.jsonl"), first("llmm-pool.jsonl")
for name, r in (("llmm", llmm), ("JS SDK", js), ("llmm pool", pooled)):
    if r.get("error"):
        print(f"**{name} failed:** {r['error']}\n")

num = lambda v: isinstance(v, (int, float))
f2 = lambda v: f"{v:,.2f}" if num(v) else "—"
ratio = lambda a, b: f"{a / b:.2f}" if num(a) and num(b) and b else "n/a"

def get(r, *path):
    for key in path:
        r = r.get(key) if isinstance(r, dict) else None
    return r

repeat = llmm.get("repeat", js.get("repeat"))

def per_discovery(r):
    # Discoveries in an llmm run: the cache fill plus `repeat` discovery constructions (the bundled
    # and cache constructions send nothing); in a JS run the untimed first one plus `repeat`.
    n = (r.get("repeat") or 0) + 1
    req, cpu_us = r.get("emulator_requests"), r.get("emulator_cpu_us")
    if not n or not num(req) or not num(cpu_us):
        return None, None
    return req / n, cpu_us / n / 1000

llmm_req, llmm_emu_ms = per_discovery(llmm)
js_req, js_emu_ms = per_discovery(js)
pool_req, pool_emu_ms = per_discovery(pooled)
ceiling = min(v for v in (llmm_emu_ms, js_emu_ms, pool_emu_ms, float("inf")) if num(v))
ceiling = ceiling if ceiling != float("inf") else None

stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
print(f"## LLMManager cold start: bundled data, warm cache, live discovery of 17 regions, {stamp}\n")
print(f"`bench/run_catalog_bench.sh` (`bench/README.md` has the details), tree at {commit}, Release build in "
      f"`build-bench/`. Machine: {cores} cores ({cpu}), g++ {gxx}, node {node}, "
      f"`@aws-sdk/client-bedrock` {js.get('sdk_version', 'n/a')}. "
      + ("One emulator (`--threads " + threads + " --mode echo`) pinned to CPU 0, the clients to CPU 1. "
         if pin else "One emulator (`--threads " + threads + "`), nothing pinned. ")
      + f"Load average (1/5/15 min) {load_before} before, {load_after} after.\n")
print(f"**Method.** `llmm_catalog_bench` constructs `LLMManager({{\"{llmm.get('model', 'Claude 3 Haiku')}\"}}, "
      f"<the {llmm.get('regions', 17)} regions of data/bedrock_catalog.json>, <emulator keys>, RetryConfig{{}}, "
      "ClientConfig{}, CatalogConfig)` and times the constructor alone (what a user waits for before the first "
      "call); the destructor runs after the clock stops and is shown on its own. "
      f"{repeat} constructions per variant, the three variants interleaved. CPU = `getrusage(RUSAGE_SELF)` "
      "user + sys over the constructor, every thread of the process (the emulator is another process). "
      "*bundled*: `CacheMode::None`, `live_discovery = false`. *warm file cache*: `CacheMode::File` in a "
      "private temporary directory filled by one discovering construction first (that one is *first discovery* "
      "below); each timed construction checked `source() == Cache`. *live discovery*: `CacheMode::None`, "
      "ListFoundationModels + ListInferenceProfiles in the 17 regions in parallel on the event loop; each "
      "checked `source() == Discovery` over 17 regions. *first construction of the process*: the bundled "
      "variant once before anything else, parsing the bundled catalog included. The JS SDK "
      "(`js_sdk_bench.mjs --mode discovery`) creates one `BedrockClient` per region and sends the same two "
      "calls (`typeEquals: SYSTEM_DEFINED`, following `nextToken`) in all 17 regions at once (`Promise.all`), "
      f"{repeat} times after one untimed first run, timed from creating the clients to the last answer. "
      "The emulator's CPU per discovery comes from its `/proc/PID/stat` over each run divided by the "
      "discoveries in it: with one emulator thread no client can discover faster, so it is the ceiling.\n")

def row(label, r, extra=""):
    w, c, d = r.get("wall_ms", {}), r.get("cpu_ms", {}), r.get("destroy_ms", {})
    cat = r.get("catalog", {})
    counts = f"{cat.get('models', 'n/a')} / {cat.get('profiles', 'n/a')} ({cat.get('source', 'n/a')})" if cat else extra
    if num(w):  # a single construction
        return f"| {label} | {f2(w)} | | | | {f2(c)} | {f2(d)} | {counts} |"
    return (f"| {label} | {f2(w.get('p50'))} | {f2(w.get('mean'))} | {f2(w.get('min'))} | {f2(w.get('max'))} "
            f"| {f2(c.get('p50'))} | {f2(d.get('p50'))} | {counts} |")

print("| LLMManager construction (ms) | p50 | mean | min | max | CPU ms p50 | destroy ms p50 | models / profiles (source) |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
print(row("first construction of the process (bundled; parsing the bundled catalog included), once",
          llmm.get("cold_process", {})))
print(row("**bundled data**", llmm.get("bundled", {})))
print(row("**warm file cache**", llmm.get("file_cache", {})))
print(row("**live discovery, 17 regions**", llmm.get("discovery", {})))
print(row("first discovery of the process (fills the cache; `CacheMode::File`), once", llmm.get("first_discovery", {})))
if pooled.get("discovery"):
    print(row(f"live discovery, `max_pool_connections` = {pool} (separate run)", pooled.get("discovery", {})))
js_counts = f"{js.get('models', 'n/a')} / {js.get('profiles', 'n/a')} (distinct ids)"
print(row("JS SDK: the same 34 calls, 17 `BedrockClient`s", js, js_counts))
print(row("JS SDK: its first discovery in the process, once", js.get("first_discovery", {}), js_counts))
print()

disc = get(llmm, "discovery", "wall_ms", "p50")
disc_cpu = get(llmm, "discovery", "cpu_ms", "p50")
bundled = get(llmm, "bundled", "wall_ms", "p50")
cache = get(llmm, "file_cache", "wall_ms", "p50")
js_wall, js_cpu = get(js, "wall_ms", "p50"), get(js, "cpu_ms", "p50")
pool_wall, pool_cpu = get(pooled, "discovery", "wall_ms", "p50"), get(pooled, "discovery", "cpu_ms", "p50")
print("| ratio (p50 over p50, same run) | |")
print("|---|---:|")
print(f"| warm file cache / bundled data | {ratio(cache, bundled)} |")
print(f"| live discovery / bundled data | {ratio(disc, bundled)} |")
print(f"| live discovery / emulator CPU per discovery (the ceiling, {f2(ceiling)} ms) | {ratio(disc, ceiling)} |")
if pool_wall:
    print(f"| live discovery with a pool of {pool} / emulator CPU per discovery | {ratio(pool_wall, ceiling)} |")
print(f"| JS SDK discovery / emulator CPU per discovery | {ratio(js_wall, ceiling)} |")
print(f"| **JS SDK discovery / llmm live discovery** (wall) | **{ratio(js_wall, disc)}** |")
if pool_wall:
    print(f"| JS SDK discovery / llmm live discovery with a pool of {pool} (wall) | {ratio(js_wall, pool_wall)} |")
print(f"| **JS SDK / llmm CPU per discovery** | **{ratio(js_cpu, disc_cpu)}** |")
print(f"| JS SDK discovery / llmm construction from the bundled data (wall) | {ratio(js_wall, bundled)} |")
print()
n0 = lambda v: f"{v:,.0f}" if num(v) else "n/a"
print(f"Requests per discovery seen by the emulator: llmm {n0(llmm_req)}, JS SDK {n0(js_req)}"
      + (f", llmm with a pool of {pool}: {n0(pool_req)}" if pool_req else "")
      + f"; its CPU per discovery: {f2(llmm_emu_ms)} ms in the llmm run, {f2(js_emu_ms)} ms in the JS run"
      + (f", {f2(pool_emu_ms)} ms in the pool run" if pool_emu_ms else "") + ". "
      f"1-minute load after each run: llmm {llmm.get('load_1min_after', 'n/a')}, JS SDK {js.get('load_1min_after', 'n/a')}"
      + (f", llmm pool {pooled.get('load_1min_after', 'n/a')}" if pooled else "") + ". The emulator's CPU "
      "is read in 10 ms ticks over about 31 discoveries per run, so the ceiling is known to about ±0.3 ms.\n")
print("**Notes.** The emulator serves every region on one port, so every region's control-plane client has "
      "the same endpoint, and the library's discovery keeps at most `max_pool_connections` (default 10) calls "
      "in flight per endpoint: against the emulator its 34 calls go at most 10 at a time, where against AWS "
      "(one endpoint per region) all 34 would be in flight. The pool row lifts that limit; it is no faster "
      "here because the one-thread emulator, not the client, sets the pace. The JS SDK's 17 clients each have "
      "their own connections and send all 34 calls at once. A loopback run leaves out the network: against "
      "the real service every discovery row gains the round trips of the slowest region, the bundled and "
      "cache rows do not.\n")
EOF
cat "$section"
cat "$results/machine.txt"
if [[ ${BENCH_NO_WRITE:-0} != 1 ]]; then
  { echo; cat "$section"; } >>"$repo/docs/BENCHMARKS.md"
  log "appended the section to docs/BENCHMARKS.md"
fi
