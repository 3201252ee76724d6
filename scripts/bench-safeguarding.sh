#!/usr/bin/env bash
# Benchmark of safeguarding alerts: every worried text answered with the
# helplines and alerted to a contact within --aim-ms (2 s) of the webhook,
# whatever the hour. One run, two systems, the same load:
#   checkind: a local redis-server (no persistence) seeded with a group of
#     --members mums (each reminded of a session 3 days ahead, her number
#     indexed: the reply context checkind keeps), the group's
#     safeguarding_phone +447700900555, safeguarding.contacts
#     [+447700900556], coordinator +447700900444; checkind with quiet hours
#     over all the day but a minute that passed 2 minutes before the run
#     (so the run is inside them) and twilio.max_per_second --max-per-second,
#     sending to the Twilio stand-in;
#   forwarder: tests/bench/forwarder.js (Node's http module only), what a
#     group would set up instead: every inbound text forwarded to the
#     coordinator through the same stand-in.
# concern-load sends --concerns worried texts, each from a different mum, at
# --rate per second plus --ordinary-rate ordinary replies, signed like
# Twilio's, and measures per concern the webhook answer (200, helplines
# "116 123") and the time from the webhook's due time to the stand-in
# accepting the alert; alerts are counted per concern (exactly once).
# Prints both reports, a side-by-side table with ratios and a markdown row
# per system for docs/performance.md. Everything runs on 127.0.0.1, is
# stopped by process id; about 2 minutes once built.
#
#   scripts/bench-safeguarding.sh [--members 200] [--concerns 200] [--rate 5]
#       [--ordinary-rate 50] [--connections 4] [--max-per-second 10]
#       [--aim-ms 2000] [--wait 10] [--no-forwarder] [--checkind PATH]
# --max-per-second: checkind's twilio.max_per_second (default checkind's own
# default, 10 segments/s, a UK long code's rate); it is also the rate the
# modelled figures assume Twilio sends at. --wait: after the load, most
# seconds to wait for the last alerts (a later one counts as never sent).
# Exit status: 0 when checkind answered every concern with the helplines and
# alerted each exactly once within --aim-ms; the forwarder is informative.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

members=200 concerns=200 rate=5 ordinary_rate=50 connections=4 max_per_second=10 aim_ms=2000 wait=10
forwarder=1 checkind=""
usage() { sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --members) members=$2; shift 2 ;;
    --concerns) concerns=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --ordinary-rate) ordinary_rate=$2; shift 2 ;;   # 0: worried texts only
    --connections) connections=$2; shift 2 ;;
    --max-per-second) max_per_second=$2; shift 2 ;;
    --aim-ms) aim_ms=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    --no-forwarder) forwarder=0; shift ;;
    --checkind) checkind=$(realpath "$2"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench-safeguarding: unknown option $1" >&2; usage 2 ;;
  esac
done
if [ "$concerns" -gt "$members" ]; then
  echo "bench-safeguarding: --concerns $concerns > --members $members (each concern is from a different mum)" >&2
  exit 2
fi
# Bounded: the load's span and the wait for alerts, at most 10 minutes each.
span=$(awk -v k="$concerns" -v r="$rate" 'BEGIN { printf "%d", k / r + 0.999 }')
if [ "$span" -gt 600 ] || [ "${wait%.*}" -gt 600 ]; then
  echo "bench-safeguarding: $concerns concerns at $rate/s take ${span}s, then --wait $wait s; at most 600 s each" >&2
  exit 2
fi

scripts/install-deps.sh
if [ "$forwarder" = 1 ] && ! command -v node >/dev/null; then
  echo "bench-safeguarding: the forwarder needs Node.js (scripts/install-deps.sh --with-node, or --no-forwarder)" >&2
  exit 1
fi
build=build-bench
stale=0
for bin in checkind twilio-standin concern-load; do
  [ -x $build/$bin ] || stale=1
  if [ $stale = 0 ] && [ -n "$(find daemon include tests/bench/concern_load.cc tests/twilio_standin CMakeLists.txt \
       tests/CMakeLists.txt -newer $build/$bin -name '*.*' -print -quit 2>/dev/null)" ]; then stale=1; fi
done
if [ $stale = 1 ]; then
  echo "== building checkind, twilio-standin and concern-load (Release, $build/) =="
  cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build $build --target checkind twilio-standin concern_load
fi
checkind=${checkind:-$build/checkind}

work=$(mktemp -d /tmp/checkin-bench-sg.XXXXXX)
pids=()
cleanup() {  # last started, first stopped
  local i
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop_pid "${pids[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
forget_pid() { local p keep=(); for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }
load() { cut -d' ' -f1-3 /proc/loadavg; }

export TWILIO_AUTH_TOKEN="bench-auth-token"
account_sid="AC00000000000000000000000000000000"
public_url="https://bench.example.org"
group_number="+447700900000"
first_contact="+447700900555"    # the group's safeguarding_phone
second_contact="+447700900556"   # safeguarding.contacts (after 15 min unacknowledged)
coordinator="+447700900444"      # the group's coordinator_phone; the forwarder's target
zone="Europe/London"
machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
t_start=$(date +%s)

# --- redis-server, seeded with the group and the reply context ---
start_redis "$work"
now=$(date -u +%s)
starts=$(( now + 3 * 86400 ))   # no reminder is due during the run
starts_at=$(date -u -d "@$starts" +%Y-%m-%dT%H:%M:%S+00:00)
LC_ALL=C awk -v n="$members" -v starts="$starts" -v starts_at="$starts_at" -v reminded=$(( now - 600 )) \
  -v zone="$zone" -v first="$first_contact" -v coord="$coordinator" -v phones="$work/phones.txt" '
  BEGIN {
    print "HSET\tcheckin:group:g\tname\tBench group\tvenue\tBench hall\ttimezone\t" zone \
          "\tsafeguarding_phone\t" first "\tcoordinator_phone\t" coord
    print "HSET\tcheckin:session:s1\tgroup\tg\tstarts_at\t" starts_at "\tstatus\tscheduled"
    print "ZADD\tcheckin:sessions\t" starts "\ts1"
    for (i = 1; i <= n; i++) {
      id = sprintf("m%04d", i); phone = sprintf("+44791%07d", 1000000 + i)
      print "HSET\tcheckin:member:" id "\tname\tMum" i "\tphone\t" phone
      print "SADD\tcheckin:group:g:members\t" id
      print "ZADD\tcheckin:reminded:" id "\t" reminded "\ts1"
      print "SADD\tcheckin:phone:" phone "\t" id
      print phone > phones
    }
  }' | to_resp > "$work/seed.resp"
rcli --pipe < "$work/seed.resp" | tail -1
echo "bench-safeguarding: seeded $members members in group g (safeguarding_phone $first_contact," \
  "coordinator $coordinator), each reminded of s1 at $starts_at"

# --- the Twilio stand-in: accepts at once, records when (received_at_us) ---
$build/twilio-standin --threads 64 --port-file "$work/standin.port" --account-sid "$account_sid" \
  2> "$work/standin.log" &
pids+=("$!")
wait_for 10 "stand-in" test -s "$work/standin.port"
standin_port=$(cat "$work/standin.port")
standin="http://127.0.0.1:$standin_port"

# --- checkind, inside quiet hours ---
# Quiet from a minute ago until two minutes ago tomorrow (local time of the
# group and of reminders.timezone): every minute of the run is inside.
minute=$(( 10#$(TZ=$zone date +%H) * 60 + 10#$(TZ=$zone date +%M) ))
hhmm() { printf '%02d:%02d' $(( ($1 + 1440) % 1440 / 60 )) $(( ($1 + 1440) % 60 )); }
quiet_start=$(hhmm $(( minute - 1 ))) quiet_end=$(hhmm $(( minute - 2 )))
http_port=$(free_port)
cat > "$work/checkin.yaml" <<YAML
region: "GB"
log_level: "warn"
redis:
  url: "redis://127.0.0.1:$redis_port/0"
http:
  listen: "127.0.0.1:$http_port"
  public_url: "$public_url"
twilio:
  account_sid: "$account_sid"
  auth_token_env: "TWILIO_AUTH_TOKEN"
  from: "$group_number"
  api_base: "$standin"
  max_per_second: $max_per_second
reminders:
  timezone: "$zone"
  send:
    - hours_before: 1      # the session is 3 days ahead: nothing due
  quiet_hours: {start: "$quiet_start", end: "$quiet_end"}
safeguarding:
  contacts: ["$second_contact"]
  acknowledge_within_minutes: 15
YAML
"$checkind" --config "$work/checkin.yaml" --check-config >/dev/null
"$checkind" --config "$work/checkin.yaml" --log-level warn 2> "$work/checkind.log" &
checkind_pid=$!
pids+=("$checkind_pid")
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/readyz")" = 200 ]; }
wait_for 10 "checkind /readyz" ready
planned() { [ "$(rcli ZCARD 'checkin:{jobs}:due')" -ge "$members" ]; }
for _ in $(seq 1 100); do planned && break; sleep 0.1; done
echo "bench-safeguarding: checkind ready on 127.0.0.1:$http_port; quiet hours $quiet_start-$quiet_end ($zone)," \
  "now $(TZ=$zone date +%H:%M): inside; $(rcli ZCARD 'checkin:{jobs}:due') reminder(s) queued for later"

# run_load LABEL URL ALERT_TO: concern-load against one system
run_load() {
  local rc=0
  echo "== $1: $concerns worried texts at $rate/s + ordinary replies at $ordinary_rate/s =="
  timeout $(( span + wait + 120 )) $build/concern-load --url "$2" --public-url "$public_url" --account-sid "$account_sid" \
    --to "$group_number" --phones "$work/phones.txt" --concerns "$concerns" --rate "$rate" \
    --ordinary-rate "$ordinary_rate" --connections "$connections" --standin "$standin" --alert-to "$3" \
    --model-mps "$max_per_second" --aim-ms "$aim_ms" --wait "$wait" --label "$1" --json "$work/$1.json" || rc=$?
  [ -s "$work/$1.json" ] || { echo "bench-safeguarding: concern-load ($1) wrote no report (status $rc)" >&2; exit 1; }
  jq --arg load "$(load)" '. + {load: $load}' "$work/$1.json" > "$work/$1.json.tmp" && mv "$work/$1.json.tmp" "$work/$1.json"
}

run_load checkind "http://127.0.0.1:$http_port" "$first_contact"
if ! kill -0 "$checkind_pid" 2>/dev/null; then
  echo "bench-safeguarding: checkind exited during the run; its log:" >&2; tail -20 "$work/checkind.log" >&2; exit 1
fi
# What quiet hours held back meanwhile: the question in the ordinary replies
# is forwarded to the coordinator, a text that waits for the end of them.
read -r held held_until < <(rcli EVAL "
  local q = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  local n, first = 0, 0
  for i = 1, #q, 2 do
    if redis.call('HGET', ARGV[1] .. q[i], 'kind') == 'forward' then
      n = n + 1
      local due = tonumber(q[i + 1])
      if first == 0 or due < first then first = due end
    end
  end
  return n .. ' ' .. string.format('%d', first)" 1 'checkin:{jobs}:due' 'checkin:{jobs}:job:')
concerns_stream=$(rcli XLEN checkin:concerns)
open_concerns=$(rcli ZCARD checkin:concerns:open)
held_note="$held forward(s) to the coordinator held by quiet hours"
[ "$held" -gt 0 ] && held_note+=" until $(TZ=$zone date -d "@$(( held_until / 1000 ))" '+%Y-%m-%d %H:%M %Z')"
echo "bench-safeguarding: checkin:concerns holds $concerns_stream, $open_concerns open; $held_note"
if grep -qiE 'error|critical' "$work/checkind.log"; then
  echo "== checkind log (errors) =="; grep -iE 'error|critical' "$work/checkind.log" | sed 's/[0-9]\{4,\}/N/g' | sort | uniq -c | head -20
fi
stop_pid "$checkind_pid"; forget_pid "$checkind_pid"

systems=(checkind)
if [ "$forwarder" = 1 ]; then
  fwd_port=$(free_port)
  node tests/bench/forwarder.js --port "$fwd_port" --port-file "$work/forwarder.port" --public-url "$public_url" \
    --api-base "$standin" --account-sid "$account_sid" --coordinator "$coordinator" --from "$group_number" \
    2> "$work/forwarder.log" &
  fwd_pid=$!
  pids+=("$fwd_pid")
  fwd_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$fwd_port/healthz")" = 200 ]; }
  wait_for 10 "forwarder /healthz" fwd_ready
  run_load forwarder "http://127.0.0.1:$fwd_port" "$coordinator"
  stop_pid "$fwd_pid"; forget_pid "$fwd_pid"
  systems+=(forwarder)
fi

# --- the figures ---
date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
echo
echo "Date: $date_utc; machine: $machine; quiet hours $quiet_start-$quiet_end ($zone); run took $(( $(date +%s) - t_start )) s"
if [ "$forwarder" = 1 ]; then
  echo
  echo "| ms | checkind webhook | forwarder webhook | checkind alert | forwarder alert | alert ratio (checkind / forwarder) |"
  echo "|---|---|---|---|---|---|"
  jq -rn --slurpfile c "$work/checkind.json" --slurpfile f "$work/forwarder.json" '
    def ms: if . == null then "none" else (. * 10 | round / 10 | tostring) end;
    def ratio($a; $b): if $a == null or $b == null or $b == 0 then "-" else ($a / $b * 100 | round / 100 | tostring) + "x" end;
    ($c[0]) as $c | ($f[0]) as $f |
    ("p50", "p95", "p99", "max") as $p |
    "| \($p) | \($c.webhook_ms[$p] | ms) | \($f.webhook_ms[$p] | ms) | \($c.alert_ms[$p] | ms) | " +
    "\($f.alert_ms[$p] | ms) | \(ratio($c.alert_ms[$p]; $f.alert_ms[$p])) |"'
fi
echo
echo "| date | machine | load (1/5/15 min) | system | concerns (+ ordinary) | answered with helplines | webhook p50 / p95 / p99 / max ms | alert p50 / p95 / p99 / max ms | alerted exactly once | texts sent (per concern) | alert p99 / max ms if Twilio sends $max_per_second seg/s (modelled) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for s in "${systems[@]}"; do
  jq -r --arg date "${date_utc%% *}" --arg machine "$machine" '
    def ms: if . == null then "none" else (. * 10 | round / 10 | tostring) end;
    "| \($date) | \($machine) | \(.load) | \(.label) | \(.concerns) at \(.rate)/s (+ \(.ordinary) at \(.ordinary_rate)/s) | " +
    "\(.concerns_with_helplines) of \(.concerns) | " +
    "\(.webhook_ms.p50 | ms) / \(.webhook_ms.p95 | ms) / \(.webhook_ms.p99 | ms) / \(.webhook_ms.max | ms) | " +
    "\(.alert_ms.p50 | ms) / \(.alert_ms.p95 | ms) / \(.alert_ms.p99 | ms) / \(.alert_ms.max | ms) | " +
    "\(.concerns_alerted_once) of \(.concerns) (\(.concerns_not_alerted) never, \(.extra_alerts) extra) | " +
    "\(.texts_sent) (\(.texts_sent / .concerns * 100 | round / 100)) | " +
    "\(.alert_modelled_ms.p99 | ms) / \(.alert_modelled_ms.max | ms) |"' "$work/$s.json"
done
echo
echo "checkind: concern first, on every text; the answer names the helplines; the alert jumps the queue and"
echo "  ignores quiet hours (run inside $quiet_start-$quiet_end; $held_note); one alert per"
echo "  contact and step (the second contact, $second_contact, only after 15 min unacknowledged)."
if [ "$forwarder" = 1 ]; then
  echo "forwarder: no concern detection (every text is forwarded, the worried ones among them), no helplines"
  echo "  in the answer (empty TwiML), no exactly-once (a retried webhook forwards twice), no escalation, no"
  echo "  quiet hours; texts per concern = every reply it received / concerns."
fi

status=0
if [ "$(jq -r .met "$work/checkind.json")" != true ]; then
  echo "bench-safeguarding: checkind did not meet the aim (every concern answered with the helplines, alerted once within $aim_ms ms)" >&2
  status=1
fi
# Exactly once, from the stand-in's side: as many alerts as concerns, all to
# the first contact, nothing to anyone else (the coordinator's forwards wait
# for the end of quiet hours, the second contact for 15 minutes).
read -r to_first to_others < <(jq -r --arg first "$first_contact" \
  '[(.texts_by_to[$first] // 0), ([.texts_by_to | to_entries[] | select(.key != $first) | .value] | add // 0)] | map(tostring) | join(" ")' \
  "$work/checkind.json")
if [ "$to_first" != "$concerns" ] || [ "$to_others" != 0 ]; then
  echo "bench-safeguarding: the stand-in got $to_first alert(s) to $first_contact for $concerns concern(s) and $to_others other text(s)" >&2
  status=1
fi
exit $status
