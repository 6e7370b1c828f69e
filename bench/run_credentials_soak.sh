#!/usr/bin/env bash
# Credentials that expire every few seconds under load: the emulator issues web-identity keys
# with --credential-lifetime BENCH_LIFETIME (default 5 s) and llmm_credentials_soak keeps
# BENCH_CONCURRENCY (64) Converse calls in flight for BENCH_SECONDS (60) through one AuthManager,
# which refreshes them ahead of expiry. Prints the JSON line (calls, failed, refreshes, resends
# after ExpiredToken, latency percentiles, the longest call) plus the emulator's issued-key count;
# keeps it in the results directory; writes nothing to docs/.
#
#   bench/run_credentials_soak.sh
#
# Environment: BENCH_LIFETIME, BENCH_CONCURRENCY, BENCH_SECONDS, BENCH_PIN=1, BENCH_NO_BUILD=1,
# BENCH_RESULTS, BENCH_BUILD_DIR (as run_client_bench.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build-bench}
pin=${BENCH_PIN:-1}
lifetime=${BENCH_LIFETIME:-5}
concurrency=${BENCH_CONCURRENCY:-64}
seconds=${BENCH_SECONDS:-60}
emulator_threads=1
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=${BENCH_RESULTS:-$build/bench-results/credentials-$stamp}

die() { echo "run_credentials_soak: $*" >&2; exit 1; }
log() { echo "run_credentials_soak: $*" >&2; }
command -v python3 >/dev/null || die "python3 not found"

emulator_flags=(--credential-lifetime "$lifetime")
source "$repo/bench/bench_common.sh"
soak=$build/bench/llmm_credentials_soak
[[ -x $soak ]] || die "missing $soak"

log "$concurrency calls in flight for $seconds s, credentials living $lifetime s"
status=0
"${client_cpu[@]}" "$soak" --endpoint "$url" --concurrency "$concurrency" --seconds "$seconds" \
  >"$results/soak.json" || status=$?
issued=$(curl -sf "$url/_emulator/credentials" | python3 -c 'import json,sys; print(json.load(sys.stdin)["issuedCount"])')
python3 - "$results/soak.json" "$issued" "$lifetime" <<'PY'
import json, sys
result = json.loads(open(sys.argv[1]).read())
result["emulator_issued_keys"] = int(sys.argv[2])
result["credential_lifetime_s"] = int(sys.argv[3])
print(json.dumps(result))
PY
exit "$status"
