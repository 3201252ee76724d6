#!/usr/bin/env bash
# Hostile clients against a real checkind (issue 13): redis-server, the
# Twilio stand-in and checkind started here as processes, and
# hostile_client.py beside this script doing the damage (loopback only):
#
#   tests/hostile/run_hostile_client_test.sh BUILD_DIR   (ctest: hostile_clients)
#
#   - 64 slowloris connections (a request head, one byte a second) and 64
#     idle ones held for 5 s, while signed webhooks and /healthz keep being
#     answered, each within 1 s;
#   - a 64 KiB + 1 body refused with 413, a 60 KiB one accepted;
#   - a captured text replayed with the boundary between MessageSid's value
#     and the next name moved (it signs the same) refused with 400;
#   - afterwards every accepted text is in the inbox, once, and checkind's
#     log at info level shows no phone number or message body.
#
# Exit 0 passed, 1 failed. Bounded: 60 s in all (timeout; then 10 s to
# clean up). Every process it starts is stopped by process id on any exit.
set -euo pipefail

if [ -z "${CHECKIN_HOSTILE_TIMED:-}" ]; then
  CHECKIN_HOSTILE_TIMED=1 exec timeout --kill-after=10 60 "$0" "$@"
fi

build=$(cd "${1:?usage: run_hostile_client_test.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
name=hostile-clients

for tool in python3 redis-server redis-cli curl; do
  command -v "$tool" >/dev/null || { echo "$name: FAILED: $tool not installed" >&2; exit 1; }
done
for bin in checkind twilio-standin; do
  [ -x "$build/$bin" ] || { echo "$name: $build/$bin not built" >&2; exit 1; }
done

work=$(mktemp -d /tmp/checkin-hostile.XXXXXX)
pids=()
cleanup() {
  local status=$?
  trap '' TERM INT
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  if [ "$status" -ne 0 ] && [ -s "$work/checkind.log" ]; then
    echo "--- checkind.log (last 30 lines)"; tail -n 30 "$work/checkind.log"
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

fail() { echo "$name: FAILED: $*" >&2; exit 1; }

start_redis "$work"

export TWILIO_AUTH_TOKEN="hostile-auth-token"
account_sid="AC00000000000000000000000000000000"
"$build/twilio-standin" --port 0 --port-file "$work/standin.port" --account-sid "$account_sid" \
  2>"$work/standin.log" &
pids+=("$!")
wait_for 10 "the Twilio stand-in" test -s "$work/standin.port"

http_port=$(free_port)
cat > "$work/checkin.yaml" <<YAML
region: "GB"
redis:
  url: "redis://127.0.0.1:$redis_port/0"
http:
  listen: "127.0.0.1:$http_port"
  public_url: "http://127.0.0.1:$http_port"
twilio:
  account_sid: "$account_sid"
  from: "+447700900000"
  api_base: "http://127.0.0.1:$(cat "$work/standin.port")"
reminders:
  quiet_hours: null
YAML
"$build/checkind" --config "$work/checkin.yaml" 2>"$work/checkind.log" &
pids+=("$!")
base="http://127.0.0.1:$http_port"
wait_for 20 "checkind's listener" bash -c "curl -fsS --max-time 2 -o /dev/null $base/readyz 2>/dev/null"

python3 "$here/hostile_client.py" --port "$http_port" --public-url "$base" --account-sid "$account_sid" \
  | tee "$work/client.out" || fail "hostile_client.py reported failures (above)"

accepted=$(sed -n 's/^accepted \([0-9]\+\)$/\1/p' "$work/client.out")
[ -n "$accepted" ] || fail "hostile_client.py did not say how many texts were accepted"
inbox=$(rcli XLEN checkin:inbox)
[ "$inbox" = "$accepted" ] || fail "$accepted texts accepted, $inbox in the inbox (lost or filed twice)"
curl -fsS --max-time 2 -o /dev/null "$base/healthz" || fail "/healthz after the hostile clients left"

# Info level (journald's default view): no full number, no body.
if grep -E '\+44770090[0-9]{4}|is there parking|aaaaaaaa' "$work/checkind.log" | grep -v -E '^<7>' >/dev/null; then
  fail "a phone number or a message body in checkind's log at info level"
fi
echo "$name: passed ($accepted texts, each in the inbox once)"
