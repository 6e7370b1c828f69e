#!/usr/bin/env bash
# The emulator's own ceiling: wrk replaying one pre-signed Converse request at 64 and 1,024
# connections, and the emulator's resident memory idle and with 2,000 idle keep-alive
# connections. Appends a dated section to docs/BENCHMARKS.md (BENCH_NO_WRITE=1: print only).
#
#   bench/emulator_wrk.sh [path/to/bedrock-emulator]
#
# Needs: wrk, node (+ tests/conformance/node_modules from scripts/bootstrap, for the signer),
# python3. Environment: BENCH_DURATION (default 10s), BENCH_THREADS (emulator threads, default 2),
# BENCH_IDLE_CONNECTIONS (default 2000), BENCH_MODEL.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
emulator=${1:-${EMULATOR:-$repo/build/apps/bedrock-emulator/bedrock-emulator}}
duration=${BENCH_DURATION:-10s}
emulator_threads=${BENCH_THREADS:-2}
idle_connections=${BENCH_IDLE_CONNECTIONS:-2000}
model=${BENCH_MODEL:-anthropic.claude-3-haiku-20240307-v1:0}
region=us-east-1
node_modules=$repo/tests/conformance/node_modules

die() { echo "emulator_wrk: $*" >&2; exit 1; }
[[ -x $emulator ]] || die "$emulator is not an executable: build the bedrock_emulator target or pass its path"
command -v wrk >/dev/null || die "wrk not found (Debian package wrk)"
command -v node >/dev/null || die "node not found: run scripts/bootstrap"
command -v python3 >/dev/null || die "python3 not found"
[[ -f $node_modules/@smithy/signature-v4/package.json ]] ||
  die "@smithy/signature-v4 missing in $node_modules: run scripts/bootstrap"

# 1,024 wrk connections + 2,000 idle sockets + the emulator's own descriptors.
hard=$(ulimit -Hn)
want=16384
if [[ $hard != unlimited && $hard -lt $want ]]; then want=$hard; fi
ulimit -n "$want" || die "cannot raise ulimit -n to $want"
(( $(ulimit -n) >= idle_connections + 64 )) ||
  die "ulimit -n is $(ulimit -n): too low for $idle_connections connections"

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

# ---- start the emulator ------------------------------------------------------------------------
mkfifo "$work/stdout"
"$emulator" --host 127.0.0.1 --port 0 --threads "$emulator_threads" --mode echo \
  >"$work/stdout" 2>"$work/stderr" &
emulator_pid=$!
exec 3<"$work/stdout"
read -r -t 15 first_line <&3 || die "no 'listening on' line within 15 s: $(tail -5 "$work/stderr")"
# Keep draining the emulator's stdout so it never blocks on a full pipe.
cat <&3 >/dev/null &
[[ $first_line =~ ^listening\ on\ ([^ ]+):([0-9]+)$ ]] || die "unexpected first line: $first_line"
port=${BASH_REMATCH[2]}
url="http://127.0.0.1:$port"
echo "emulator pid $emulator_pid on $url ($emulator_threads threads)"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$emulator_pid/status"; }

# ---- one signed Converse request ---------------------------------------------------------------
# Signed with the emulator's default key pair by @smithy/signature-v4 (the JS SDK's signer). The
# emulator accepts x-amz-date within 5 minutes of its clock, so sign right before each run.
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
    const headers = signed.headers;
    // wrk: a Lua script; python/curl: the same request as JSON.
    const lua = [`wrk.method = "POST"`, `wrk.path = [==[${path}]==]`, `wrk.body = [==[${body}]==]`];
    // wrk adds its own "Host" (and Content-Length) unless wrk.headers has that exact key, so the
    // signed host goes in under "Host": a second, lower-case host header would not match.
    for (const [name, value] of Object.entries(headers)) {
      const key = name.toLowerCase() === "host" ? "Host" : name;
      lua.push(`wrk.headers[ [==[${key}]==] ] = [==[${value}]==]`);
    }
    fs.writeFileSync(`${OUT}/post.lua`, lua.join("\n") + "\n");
    fs.writeFileSync(`${OUT}/request.json`, JSON.stringify({ path, body, headers }));
  })
  .catch((error) => { console.error(error); process.exit(1); });
EOF
}

# A single replay must succeed before wrk measures anything.
sign
status=$(python3 - "$work/request.json" "$port" <<'EOF'
import http.client, json, sys
r = json.load(open(sys.argv[1]))
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]), timeout=10)
c.request("POST", r["path"], body=r["body"].encode(), headers=r["headers"])
resp = c.getresponse()
body = resp.read()
print(resp.status if resp.status == 200 else f"{resp.status} {body[:300]!r}")
EOF
)
[[ $status == 200 ]] || die "the signed Converse request is not answered 200: $status"

idle_rss=$(rss_kib)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- RSS with N idle keep-alive connections -----------------------------------------------------
# Each connection sends the signed request once, reads the whole answer, then stays open while
# the emulator's VmRSS is read.
sign
held=$(python3 - "$work/request.json" "$port" "$idle_connections" "$emulator_pid" <<'EOF'
import json, socket, sys, time
req = json.load(open(sys.argv[1]))
port, count, pid = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
head = f"POST {req['path']} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in req["headers"].items())
body = req["body"].encode()
raw = (head + f"content-length: {len(body)}\r\nconnection: keep-alive\r\n\r\n").encode() + body

def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("closed before the headers")
        data += chunk
    header, rest = data.split(b"\r\n\r\n", 1)
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(l.split(":", 1)[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("closed inside the body")
        rest += chunk
    return status

socks, ok = [], 0
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(raw)
    socks.append(s)
    if len(socks) % 200 == 0:  # read in batches so the kernel buffers stay small
        for t in socks[-200:]:
            ok += read_response(t) == 200
for t in socks[len(socks) - len(socks) % 200:] if len(socks) % 200 else []:
    ok += read_response(t) == 200
time.sleep(1.0)
rss = next(l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:"))
# The emulator's own view: connections open right now (admin API, one more connection).
import http.client
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request("GET", "/_emulator/counters")
try:
    open_now = json.loads(c.getresponse().read())["connections"]["open"]
except Exception:
    open_now = "?"
print(ok, rss, open_now)
for s in socks:
    s.close()
EOF
)
read -r held_ok held_rss held_open <<<"$held"
(( held_ok == idle_connections )) || echo "warning: only $held_ok of $idle_connections requests answered 200" >&2

# ---- wrk -----------------------------------------------------------------------------------------
declare -A rps p50 p99 non2xx errors
for connections in 64 1024; do
  sign
  echo "wrk -t2 -c$connections -d$duration"
  wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/post.lua" "$url" | tee "$work/wrk-$connections.txt"
  out=$work/wrk-$connections.txt
  rps[$connections]=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50[$connections]=$(awk '$1 == "50%" {print $2}' "$out")
  p99[$connections]=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx[$connections]=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  non2xx[$connections]=${non2xx[$connections]:-0}
  errors[$connections]=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$out")
  errors[$connections]=${errors[$connections]:-none}
  if [[ ${non2xx[$connections]} != 0 ]]; then
    echo "warning: ${non2xx[$connections]} answers were not 2xx at $connections connections" >&2
  fi
done

after_wrk_rss=$(rss_kib)

# ---- report --------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
cores=$(nproc)
stamp=$(date -u +"%Y-%m-%d %H:%M UTC")
commit=$(git -C "$repo" describe --always --dirty --abbrev=7 2>/dev/null || echo unknown)
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
per_conn=$(awk -v a="$held_rss" -v b="$idle_rss" -v n="$idle_connections" \
  'BEGIN {d = (a - b) / n; printf "%.1f KiB", d}')

section=$(cat <<EOF

## Emulator ceiling (wrk), $stamp

\`bench/emulator_wrk.sh\`, commit $commit. One pre-signed Converse request (echo mode, 64 max
tokens, SigV4 verified on every request) replayed by \`wrk -t2 --latency\` for $duration per row.
Emulator \`--threads $emulator_threads\`; wrk and the emulator share the machine: $cores cores ($cpu),
load average $load_before before the runs.

| connections | requests/s | latency p50 | latency p99 | non-2xx | socket errors |
|---:|---:|---:|---:|---:|---|
| 64 | ${rps[64]} | ${p50[64]} | ${p99[64]} | ${non2xx[64]} | ${errors[64]} |
| 1,024 | ${rps[1024]} | ${p50[1024]} | ${p99[1024]} | ${non2xx[1024]} | ${errors[1024]} |

| emulator memory (VmRSS) | |
|---|---:|
| idle, after one request | $(mib "$idle_rss") |
| with $idle_connections idle keep-alive connections (one request each; $held_ok answered 200; the emulator counted $held_open open, this query included) | $(mib "$held_rss") |
| per idle connection ((with − idle) / $idle_connections; includes one request-log entry each) | $per_conn |
| after both wrk runs, connections closed (the request log keeps up to 100,000 entries) | $(mib "$after_wrk_rss") |
EOF
)
echo "$section"
if [[ ${BENCH_NO_WRITE:-0} != 1 ]]; then
  printf '%s\n' "$section" >>"$repo/docs/BENCHMARKS.md"
  echo "appended to docs/BENCHMARKS.md"
fi
