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
#     log at info level shows no phone number or message body;
#   - then keys of the wrong type (issue 13), written with redis-cli as
#     another tool might: a member's hash, a session's rsvp hash, a group's
#     members set, a group's hash, a session's hash, a schedule's hash and
#     the inbox stream. Over many planning passes each is reported once by
#     name, the other members of the group are texted, and GET /dashboard
#     still answers 200.
#
# Exit 0 passed, 1 failed. Bounded: 90 s in all (timeout; then 10 s to
# clean up). Every process it starts is stopped by process id on any exit.
set -euo pipefail

if [ -z "${CHECKIN_HOSTILE_TIMED:-}" ]; then
  CHECKIN_HOSTILE_TIMED=1 exec timeout --kill-after=10 90 "$0" "$@"
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
  plan_interval_seconds: 1
dashboard:
  user: "coord"
  password_env: "DASH_PASSWORD"
YAML
export DASH_PASSWORD="hostile-dashboard-password"
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

# --- keys of the wrong type (issue 13) ---
standin="http://127.0.0.1:$(cat "$work/standin.port")"
starts=$(( $(date +%s) + 90 * 60 ))  # both send times passed: one reminder each, now
starts_at=$(date -u -d "@$starts" +%Y-%m-%dT%H:%M:%S+00:00)
rcli HSET checkin:group:g name "Baby massage" venue "Walkerburn hall" >/dev/null
for m in amy:101 bea:102 cat:103; do
  rcli HSET "checkin:member:${m%%:*}" name "${m%%:*}" phone "+447700900${m##*:}" >/dev/null
  rcli SADD checkin:group:g:members "${m%%:*}" >/dev/null
done
rcli DEL checkin:member:bea >/dev/null
rcli SET checkin:member:bea "Bea +447700900102" >/dev/null            # member: string, not a hash
rcli HSET checkin:session:s1 group g starts_at "$starts_at" >/dev/null
rcli ZADD checkin:sessions "$starts" s1 >/dev/null
rcli SET checkin:session:s1:rsvp "amy=yes" >/dev/null                 # rsvp: string, not a hash
rcli HSET checkin:group:h name "Buggy walk" >/dev/null
rcli SET checkin:group:h:members "dee" >/dev/null                     # members: string, not a set
rcli HSET checkin:session:s2 group h starts_at "$starts_at" >/dev/null
rcli ZADD checkin:sessions "$starts" s2 >/dev/null
rcli RPUSH checkin:group:k "Knitting" >/dev/null                      # group: list, not a hash
rcli HSET checkin:session:s3 group k starts_at "$starts_at" >/dev/null
rcli ZADD checkin:sessions "$starts" s3 >/dev/null
rcli SET checkin:session:s4 "$starts_at" >/dev/null                   # session: string, not a hash
rcli ZADD checkin:sessions "$starts" s4 >/dev/null
rcli SADD checkin:schedules w1 >/dev/null
rcli SADD checkin:schedule:w1 "FREQ=DAILY" >/dev/null                 # schedule: set, not a hash
rcli DEL checkin:inbox >/dev/null
rcli SET checkin:inbox "not a stream" >/dev/null                      # inbox: string, not a stream

texted() { curl -fsS --max-time 2 "$standin/_standin/messages" | grep -o "\"to\": *\"+447700900$1\"" | wc -l; }
wait_for 30 "reminders to amy and cat" bash -c \
  "[ \$(curl -fsS --max-time 2 $standin/_standin/messages | grep -o '\"to\": *\"+44770090010[13]\"' | wc -l) -ge 2 ]" \
  || fail "amy and cat were not both texted"
dashboard=$(curl -sS --max-time 5 -o "$work/dashboard.html" -w '%{http_code}' -u "coord:$DASH_PASSWORD" "$base/dashboard")
[ "$dashboard" = 200 ] || fail "GET /dashboard answered $dashboard with keys of the wrong type"
grep -q "checkin:inbox" "$work/dashboard.html" || fail "the dashboard does not name the unreadable inbox"
# Ten more planning passes (one a second) must not report anything again.
passes_before=$(grep -c "skipping " "$work/checkind.log" || true)
sleep_until=$(( $(date +%s) + 10 ))
wait_for 15 "ten more planning passes" bash -c "[ \$(date +%s) -ge $sleep_until ]"
curl -sS --max-time 5 -o /dev/null -u "coord:$DASH_PASSWORD" "$base/dashboard"
for key in checkin:member:bea checkin:session:s1:rsvp checkin:group:h:members checkin:group:k checkin:session:s4 \
           checkin:schedule:w1 checkin:inbox; do
  n=$(grep -c "skipping $key: wrong type" "$work/checkind.log" || true)
  [ "$n" = 1 ] || fail "$key reported $n times, not once"
done
[ "$(grep -c "skipping " "$work/checkind.log" || true)" = "$passes_before" ] || fail "a report repeated in later passes"
for n in 101 103; do [ "$(texted "$n")" = 1 ] || fail "+447700900$n texted $(texted "$n") times, not once"; done
[ "$(texted 102)" = 0 ] || fail "bea (a string, not a hash) was texted"
if grep -E '\+44770090[0-9]{4}' "$work/checkind.log" | grep -v -E '^<7>' >/dev/null; then
  fail "a phone number in checkind's log at info level"
fi
echo "$name: passed ($accepted texts, each in the inbox once; 7 keys of the wrong type reported once each, the others texted)"
