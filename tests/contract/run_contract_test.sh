#!/usr/bin/env bash
# Contract test: run contract_test (TwilioClient) against Prism serving
# Twilio's OpenAPI description, so our requests must conform to it.
#
#   tests/contract/run_contract_test.sh BUILD_DIR
#
# Needs `npm ci --prefix tests/contract` first (scripts/test.sh does it).
# Fails, never skips, when Prism or the contract file is missing.
#
# Prism runs WITHOUT --errors on purpose: the description's own example
# answer for GET .../Messages.json has relative page URIs that break its own
# `format: uri`, so with --errors Prism turns every list call into a 500.
# Request validation does not depend on the flag (a bad request still gets
# 422, a missing basic auth 401); contract_test's negative checks prove it.
set -euo pipefail

BUILD_DIR=${1:?usage: run_contract_test.sh BUILD_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# A copy of ../shared/contracts/twilio_api_v2010.json (twilio-oai, MIT licence
# in twilio-oai.LICENSE) lives here so a clean clone tests on its own; when
# the shared original sits beside the repo, the copy must match it.
SPEC="$HERE/twilio_api_v2010.json"
SHARED="$REPO/../shared/contracts/twilio_api_v2010.json"
PRISM="$HERE/node_modules/.bin/prism"
TEST_BIN="$BUILD_DIR/contract_test"

fail() { echo "run_contract_test: $*" >&2; exit 1; }

[[ -f "$SPEC" ]] || fail "contract file missing: $SPEC"
if [[ -f "$SHARED" ]] && ! cmp -s "$SPEC" "$SHARED"; then
  fail "$SPEC differs from $SHARED: copy the shared contract in and re-run"
fi
[[ -x "$PRISM" ]] || fail "prism not installed: run 'npm ci --prefix tests/contract'"
[[ -x "$TEST_BIN" ]] || fail "missing $TEST_BIN: build the contract_test target"
command -v node >/dev/null || fail "node is not on PATH"

# The Messages path overrides `servers` with https://api.twilio.com. Prism
# matches a request's path against each server's base path, so this only
# routes /2010-04-01/... if that server has no path part. Check it, rather
# than find out from a confusing NO_PATH_MATCHED error.
node - "$SPEC" <<'JS' || fail "the contract's servers entry would break routing"
const spec = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const path = spec.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json'];
if (!path) { console.error('no Messages.json path in the contract'); process.exit(1); }
for (const s of [...(spec.servers || []), ...(path.servers || [])]) {
  const base = new URL(s.url).pathname.replace(/\/+$/, '');
  if (base !== '') { console.error(`server ${s.url} has base path ${base}`); process.exit(1); }
}
JS

PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
LOG=$(mktemp "${TMPDIR:-/tmp}/prism-contract.XXXXXX")
"$PRISM" mock -p "$PORT" -h 127.0.0.1 "$SPEC" >"$LOG" 2>&1 &
PRISM_PID=$!
cleanup() {
  kill "$PRISM_PID" 2>/dev/null || true
  wait "$PRISM_PID" 2>/dev/null || true
  rm -f "$LOG"
}
trap cleanup EXIT

# Prism parses a 1.8 MB description first: wait (bounded) until it listens.
for ((i = 0; i < 240; i++)); do
  kill -0 "$PRISM_PID" 2>/dev/null || { cat "$LOG" >&2; fail "prism exited early"; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.25
done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || { tail -20 "$LOG" >&2; fail "prism did not listen within 60 s"; }

if ! PRISM_URL="http://127.0.0.1:$PORT" "$TEST_BIN"; then
  echo "--- prism log (last 40 lines) ---" >&2
  tail -40 "$LOG" >&2
  exit 1
fi
