#!/usr/bin/env bash
# The main job on embedded defaults, in about a minute:
#   a local redis-server on a free loopback port, the Twilio stand-in,
#   a demo group (three mums, a session starting in a few minutes) and a
#   buggy walk with its own group file (its own words, a text an hour before),
#   checkind sending each of them a check-in text,
#   each text shown as it would arrive on a phone,
#   the mums replying (the stand-in posts signed inbound texts, as Twilio
#   would), each intent recorded and each confirmation shown, a worried
#   reply answered with helplines and alerted to the safeguarding contact,
#   who replies OK,
#   and a restart that sends nothing twice.
# Everything it starts runs on 127.0.0.1 and is stopped by process id.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
if [ ! -x build/checkind ] || [ ! -x build/twilio-standin ] || [ ! -x build/checkinctl ] || [ -n "$(find daemon include tests -newer build/checkind -name '*.*' -print -quit 2>/dev/null)" ]; then
  echo "== building checkind and the Twilio stand-in =="
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build --target checkind checkinctl twilio-standin
fi

demo=$(mktemp -d /tmp/checkin-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$demo"
}
trap cleanup EXIT



start_redis "$demo"

export TWILIO_AUTH_TOKEN="demo-auth-token"
account_sid="AC00000000000000000000000000000000"
echo "== phones (the Twilio stand-in shows every text it accepts) =="
build/twilio-standin --port 0 --port-file "$demo/standin.port" --account-sid "$account_sid" \
  --auth-token "$TWILIO_AUTH_TOKEN" --messages-log "$demo/messages.jsonl" --status-callbacks --show &
pids+=($!)
wait_for 10 "the Twilio stand-in" test -s "$demo/standin.port"
standin_port=$(cat "$demo/standin.port")

# Demo data, written with plain redis-cli exactly as SPEC's schema v1 says.
starts_at=$(date -u -d '+5 minutes' +%Y-%m-%dT%H:%M:00+00:00)
rcli HSET checkin:group:walkerburn-massage name "Baby massage" venue "Walkerburn hall" \
  timezone "Europe/London" coordinator_phone "+447700900999" safeguarding_phone "+447700900555" >/dev/null
rcli HSET checkin:member:amy name Amy phone "07700 900123" >/dev/null
rcli HSET checkin:member:bea name Bea phone "+447700900456" language pl >/dev/null
rcli HSET checkin:member:chloe name Chloe phone "07700900789" >/dev/null
rcli SADD checkin:group:walkerburn-massage:members amy bea chloe >/dev/null
rcli HSET checkin:session:demo-1 group walkerburn-massage starts_at "$starts_at" status scheduled >/dev/null
rcli ZADD checkin:sessions "$(date -u -d "$starts_at" +%s)" demo-1 >/dev/null
rcli HSET checkin:group:walkerburn-walk name "Buggy walk" venue "the Tweed bridge" timezone "Europe/London" \
  safeguarding_phone "+447700900555" >/dev/null
rcli HSET checkin:member:dee name Dee phone "07700 900321" >/dev/null
rcli SADD checkin:group:walkerburn-walk:members dee >/dev/null
rcli HSET checkin:session:demo-2 group walkerburn-walk starts_at "$starts_at" status scheduled >/dev/null
rcli ZADD checkin:sessions "$(date -u -d "$starts_at" +%s)" demo-2 >/dev/null
echo "demo: group 'Baby massage' with Amy, Bea and Chloe; group 'Buggy walk' with Dee; sessions at $starts_at"

# The walk's volunteer keeps her own file (groups_dir): her words, and one
# text an hour before (the walk depends on the weather). The massage group
# has no file: the main file's text, the evening before and 2 h before.
mkdir -p "$demo/groups.d"
cat > "$demo/groups.d/walkerburn-walk.yaml" <<'YAML'
reminders:
  send:
    - hours_before: 1
templates:
  en:
    reminder: "Hi {name}, buggy walk {day} at {time} from {venue}, if it's not pouring! Reply Y if you're coming, N if not."
YAML

http_port=$(free_port)
cat > "$demo/checkin.yaml" <<YAML
# Demo config: everything else is the shipped default.
region: "GB"
groups_dir: "$demo/groups.d"
redis:
  url: "redis://127.0.0.1:$redis_port/0"
http:
  listen: "127.0.0.1:$http_port"
  public_url: "http://127.0.0.1:$http_port"   # no proxy in the demo
twilio:
  account_sid: "$account_sid"
  auth_token_env: "TWILIO_AUTH_TOKEN"
  from: "+447700900000"
  api_base: "http://127.0.0.1:$standin_port"
reminders:
  quiet_hours: null        # the demo runs at any hour
  plan_interval_seconds: 2
  # The headcount text would go at once (the session is 5 minutes away,
  # before anyone answered); the demo shows the headcount with checkinctl.
  digest_hours_before: 0
YAML
cp config/checkin.yaml "$demo/shipped.yaml" 2>/dev/null || true
if grep -q "^  pl:" "$demo/shipped.yaml" 2>/dev/null; then
  # Bea reads Polish: reuse the shipped example's Polish templates.
  sed -n '/^templates:/,$p' "$demo/shipped.yaml" >> "$demo/checkin.yaml"
fi

echo "== checkind =="
build/checkind --config "$demo/checkin.yaml" --check-config
build/checkind --config "$demo/checkin.yaml" &
checkind_pid=$!
pids+=($checkind_pid)

sent() { [ -f "$demo/messages.jsonl" ] && [ "$(wc -l < "$demo/messages.jsonl")" -ge 4 ]; }
wait_for 60 "four texts" sent
wait_for 10 "checkind's listener" bash -c "curl -fsS http://127.0.0.1:$http_port/readyz >/dev/null 2>&1"

echo "== replies: each mum answers from her phone =="
reply() {  # reply NAME NUMBER TEXT: the stand-in posts it to checkind, signed
  local answer
  answer=$(curl -fsS -X POST "http://127.0.0.1:$standin_port/_standin/inbound" -H 'Content-Type: application/json' \
    --data "{\"url\":\"http://127.0.0.1:$http_port/twilio/sms\",\"from\":\"$2\",\"to\":\"+447700900000\",\"body\":\"$3\"}")
  printf '  %-6s -> %s\n' "$1" "$3"
  local text
  text=$(printf '%s' "$answer" | sed -n 's/.*<Message>\(.*\)<\/Message>.*/\1/p' | sed 's/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')
  printf '  %-6s <- %s\n' "" "${text:-(no answer)}"
}
reply Amy "+447700900123" "Yes please 😊"
reply Bea "+447700900456" "Tak, do zobaczenia!"
reply Chloe "+447700900789" "not this week sorry x"
reply Amy "+447700900123" "is there parking?"
wait_for 20 "the question forwarded to the coordinator" \
  bash -c "[ \$(wc -l < '$demo/messages.jsonl') -ge 5 ]"
echo
echo "== safeguarding: a reply that is not about coming at all =="
reply Chloe "+447700900789" "to be honest I can't cope anymore, I don't want to be here"
wait_for 10 "the alert to the group's safeguarding contact" grep -q '"to":"+447700900555"' "$demo/messages.jsonl"
echo "  the alert the safeguarding contact (+447700900555) got, at once, whatever the hour:"
grep '"to":"+447700900555"' "$demo/messages.jsonl" | head -1 | jq -r '"    " + .body'
reply Jo "+447700900555" "OK, calling her now"
concern=$(rcli ZRANGE checkin:concerns:open 0 -1 | head -1)
[ -z "$concern" ] && concern=$(rcli XRANGE checkin:concerns - + | sed -n '/^concern$/{n;p;q}')
echo "  checkin:concern:$concern: state $(rcli HGET "checkin:concern:$concern" state)," \
  "acknowledged by $(rcli HGET "checkin:concern:$concern" acknowledged_by)"
echo
echo "== what Redis says: answers (checkin:session:demo-1:rsvp) =="
rcli HGETALL checkin:session:demo-1:rsvp | paste - - | sed 's/^/  /'
echo "== the coordinator's inbox (checkin:inbox) =="
rcli XRANGE checkin:inbox - + | grep -A1 -E '^(member|body|reason)$' | grep -v -- '--' | paste - - | sed 's/^/  /'
echo "== the coordinator's view: checkinctl sessions, checkinctl session demo-1 =="
build/checkinctl --config "$demo/checkin.yaml" sessions | sed 's/^/  /'
build/checkinctl --config "$demo/checkin.yaml" session demo-1 | sed 's/^/  /'

echo "== restart: checkind starts again and must send nothing twice =="
kill "$checkind_pid"; wait "$checkind_pid" 2>/dev/null || true
build/checkind --config "$demo/checkin.yaml" --once
echo
echo "== the jobs in Redis (kind, member, state, delivery) =="
for job in $(rcli --scan --pattern 'checkin:{jobs}:job:*'); do
  printf '  %-8s %-6s %-8s %s\n' "$(rcli HGET "$job" kind)" "$(rcli HGET "$job" member)" \
    "$(rcli HGET "$job" state)" "$(rcli HGET "$job" delivery_status)"
done
reminders=$(grep -c -E '"to":"\+4477009001(23|56|89)"|"to":"\+447700900(123|456|789)"' "$demo/messages.jsonl" || true)
forwards=$(grep -c '"to":"+447700900999"' "$demo/messages.jsonl" || true)
alerts=$(grep -c '"to":"+447700900555"' "$demo/messages.jsonl" || true)
walk=$(grep '"to":"+447700900321"' "$demo/messages.jsonl" | jq -r .body)
yes=$(rcli HGET checkin:session:demo-1:rsvp amy); no=$(rcli HGET checkin:session:demo-1:rsvp chloe)
echo "demo: $reminders reminder(s) for 3 mums, $forwards forwarded to the coordinator, $alerts safeguarding alert;" \
  "Amy said $yes, Chloe said $no"
echo "demo: Dee's text, in the buggy walk's own words (groups.d/walkerburn-walk.yaml): $walk"
[ "$reminders" -eq 3 ] || { echo "demo: expected exactly 3 reminders" >&2; exit 1; }
[ "$(printf '%s\n' "$walk" | grep -c "buggy walk")" -eq 1 ] \
  || { echo "demo: expected one text to Dee in the walk's own words" >&2; exit 1; }
[ "$forwards" -eq 1 ] || { echo "demo: expected the question forwarded once" >&2; exit 1; }
[ "$alerts" -eq 1 ] || { echo "demo: expected one safeguarding alert" >&2; exit 1; }
[ "$(rcli HGET "checkin:concern:$concern" state)" = acknowledged ] \
  || { echo "demo: the concern was not acknowledged" >&2; exit 1; }
[ "$yes" = yes ] && [ "$no" = no ] && [ "$(rcli HGET checkin:session:demo-1:rsvp bea)" = yes ] \
  || { echo "demo: replies were not recorded as expected" >&2; exit 1; }
echo "demo: done"
