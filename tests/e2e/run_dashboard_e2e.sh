#!/usr/bin/env bash
# GET /dashboard in a real browser: headless Chromium driven through
# chromedriver's WebDriver HTTP API (curl + jq), against redis-server, the
# Twilio stand-in and checkind started here as processes, with demo data
# written by redis-cli as other systems write it (schema v1).
#
#   tests/e2e/run_dashboard_e2e.sh BUILD_DIR     (ctest: dashboard_browser_e2e)
#
# Checks what a coordinator sees: without credentials the 401 page; with
# them (user:password in the URL) the session's title, its counts, who is
# coming, the cancelled session marked, the start time in the group's zone,
# an inbox message, a member named <script>alert(1)</script> shown as text
# (and no alert raised), and no phone number anywhere on the page.
#
# Exit 0 passed, 1 failed, 77 skipped: only when chromium or chromedriver is
# missing and CHECKIN_REQUIRE_BROWSER is unset (CI sets it; then a missing
# browser fails). Bounded: 45 s in all (timeout; then 10 s to clean up),
# 10 s per HTTP call. Every process it starts is stopped by process id
# (chromedriver with the browser it started, by its process group) on any
# exit. In an ASan build it also fails on any sanitizer report in checkind's
# log.
set -euo pipefail

if [ -z "${CHECKIN_E2E_TIMED:-}" ]; then
  CHECKIN_E2E_TIMED=1 exec timeout --kill-after=10 45 "$0" "$@"
fi

build=$(cd "${1:?usage: run_dashboard_e2e.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
name=dashboard-e2e

missing=()
for tool in chromium chromedriver jq redis-server redis-cli curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ -z "${CHECKIN_REQUIRE_BROWSER:-}" ] && [[ " ${missing[*]} " =~ " chromium " || " ${missing[*]} " =~ " chromedriver " ]]; then
    echo "$name: SKIPPED: ${missing[*]} not installed (scripts/install-deps.sh installs them)"
    exit 77
  fi
  echo "$name: FAILED: ${missing[*]} not installed (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
for bin in checkind twilio-standin; do
  [ -x "$build/$bin" ] || { echo "$name: $build/$bin not built" >&2; exit 1; }
done

work=$(mktemp -d /tmp/checkin-dashboard-e2e.XXXXXX)
pids=()
driver_pid=""
session=""
driver=""
cleanup() {
  local status=$?
  trap '' TERM INT  # a second signal must not cut the cleanup short
  if [ -n "$session" ]; then curl -s --max-time 5 -X DELETE "$driver/session/$session" >/dev/null || true; fi
  if [ -n "$driver_pid" ]; then  # chromedriver and the browser it started: one process group
    kill -TERM -- "-$driver_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 -- "-$driver_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    for log in checkind.log chromedriver.log; do
      [ -s "$work/$log" ] && { echo "--- $log (last 30 lines)"; tail -n 30 "$work/$log"; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 124' TERM INT

fail() { echo "$name: FAILED: $*" >&2; exit 1; }

# --- redis-server, the Twilio stand-in, checkind -----------------------------
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --logfile "$work/redis.log" --daemonize no &
pids+=("$!")
rcli() { redis-cli -p "$redis_port" "$@" >/dev/null; }
wait_for 10 "redis-server" bash -c "redis-cli -p $redis_port ping 2>/dev/null | grep -q PONG"

export TWILIO_AUTH_TOKEN="e2e-auth-token"
account_sid="AC00000000000000000000000000000000"
"$build/twilio-standin" --port 0 --port-file "$work/standin.port" --account-sid "$account_sid" \
  --messages-log "$work/messages.jsonl" 2>"$work/standin.log" &
pids+=("$!")
wait_for 10 "the Twilio stand-in" test -s "$work/standin.port"

# Demo data. The group is in Asia/Karachi (UTC+5, no DST), so a time shown in
# UTC or the server's zone would not match.
zone="Asia/Karachi"
now=$(date -u +%s)
s1=$(( (now / 3600 + 26) * 3600 ))   # a whole hour, about a day ahead
s2=$(( s1 + 2 * 86400 ))
rcli HSET checkin:group:massage name "Baby massage group" venue "Walkerburn hall" timezone "$zone"
rcli HSET checkin:member:amy name Amy phone "+447700900123"
rcli HSET checkin:member:bea name Bea phone "+447700900456" language pl
rcli HSET checkin:member:chloe name Chloe phone "+447700900789"
rcli HSET checkin:member:dee name Dee phone "+447700900321"
rcli HSET checkin:member:zed name "<script>alert(1)</script>" phone "+447700900654"
rcli SADD checkin:group:massage:members amy bea chloe dee zed
rcli HSET checkin:session:e2e-1 group massage title "Baby massage" status scheduled \
  starts_at "$(date -u -d "@$s1" +%Y-%m-%dT%H:%M:%S+00:00)"
rcli ZADD checkin:sessions "$s1" e2e-1
rcli HSET checkin:session:e2e-2 group massage title "Buggy walk" status cancelled \
  starts_at "$(date -u -d "@$s2" +%Y-%m-%dT%H:%M:%S+00:00)"
rcli ZADD checkin:sessions "$s2" e2e-2
rcli HSET checkin:session:e2e-1:rsvp amy yes zed yes bea maybe chloe no
rcli XADD checkin:inbox '*' member amy group massage session e2e-1 body "is there parking?" \
  received_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" from "+447700900123" reason unclear

user="coord"
export CHECKIN_DASHBOARD_PASSWORD="e2e-Secret-42"
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
dashboard:
  user: "$user"
  password_env: "CHECKIN_DASHBOARD_PASSWORD"
YAML
"$build/checkind" --config "$work/checkin.yaml" 2>"$work/checkind.log" &
checkind_pid=$!
pids+=("$checkind_pid")
base="http://127.0.0.1:$http_port"
wait_for 20 "checkind's listener" bash -c "curl -fsS --max-time 2 -o /dev/null $base/readyz 2>/dev/null"

# --- chromedriver and a headless Chromium ------------------------------------
# Port 0: chromedriver binds a port the kernel picks and names it in its log.
# A port chosen here first can be taken by a test running in parallel before
# chromedriver binds it (once in CI the session request was refused right
# after /status had answered).
# Its own process group (setsid), so the browser it starts is stopped with it.
# setsid execs in place (under timeout this script is not a group leader), so
# $! is chromedriver's pid and its group's id.
setsid chromedriver --port=0 --allowed-ips=127.0.0.1 --log-path="$work/chromedriver.log" \
  >/dev/null 2>&1 &
driver_pid=$!
wait_for 10 "chromedriver to name its port" grep -qs 'started successfully on port' "$work/chromedriver.log"
driver="http://127.0.0.1:$(sed -n 's/.*started successfully on port \([0-9]\+\).*/\1/p' "$work/chromedriver.log")"
wait_for 10 "chromedriver" bash -c "curl -fsS --max-time 2 $driver/status 2>/dev/null | jq -e '.value.ready' >/dev/null"

# wd METHOD PATH [JSON]: one WebDriver call; prints the response's JSON.
wd() {
  curl -sS --max-time 10 -X "$1" -H 'Content-Type: application/json' "$driver$2" ${3:+--data "$3"}
}
# The performance log carries the browser's own network events (status codes
# and headers as Chromium received them).
capabilities=$(jq -n --arg dir "$work/profile" '{capabilities: {alwaysMatch: {
  browserName: "chrome", pageLoadStrategy: "normal", "goog:loggingPrefs": {performance: "ALL"},
  "goog:chromeOptions": {binary: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu",
    "--disable-dev-shm-usage", "--no-first-run", ("--user-data-dir=" + $dir)]}}}}')
session=$(wd POST /session "$capabilities" | jq -r '.value.sessionId // empty')
[ -n "$session" ] || fail "no WebDriver session (see chromedriver.log)"

open_page() {  # open_page URL: navigates and waits for the load
  local answer
  answer=$(wd POST "/session/$session/url" "$(jq -n --arg url "$1" '{url: $url}')")
  [ "$(jq -r '.value' <<<"$answer")" = null ] || fail "navigating to the dashboard: $answer"
}
page_text() {  # the text a person sees (WebDriver Get Element Text of <body>)
  local body
  body=$(wd POST "/session/$session/element" '{"using": "css selector", "value": "body"}' |
    jq -r '.value | to_entries[0].value // empty')
  [ -n "$body" ] || fail "no <body> on the page"
  wd GET "/session/$session/element/$body/text" | jq -r '.value'
}
# dashboard_response: the status and WWW-Authenticate header of the last
# response to /dashboard the browser received since the previous call.
dashboard_response() {
  wd POST "/session/$session/se/log" '{"type": "performance"}' | jq -r --arg at "127.0.0.1:$http_port/dashboard" '
    [.value[].message | fromjson | .message | select(.method == "Network.responseReceived")
     | .params.response | select(.url | endswith($at))] | last // {status: "none", headers: {}}
    | "\(.status) \(.headers["WWW-Authenticate"] // .headers["www-authenticate"] // "")"'
}
expect_text() {  # expect_text WHAT TEXT: TEXT appears on the page
  grep -qF -- "$2" <<<"$text" || fail "$1: '$2' not on the page; the page says:
$text"
}

challenge='401 Basic realm="checkin", charset="UTF-8"'

# 1. Without credentials: Chromium gets the 401 with the Basic challenge and
# shows nothing of the dashboard. (Headless Chromium holds the sign-in prompt
# open and shows a blank page, not the 401 body a person sees after
# cancelling the prompt: puppeteer/puppeteer#9856. So the 401 is checked in
# the browser's network log, the body in dashboard_test.)
open_page "$base/dashboard"
got=$(dashboard_response)
[ "$got" = "$challenge" ] || fail "without credentials the browser got '$got', not '$challenge'"
text=$(page_text)
if grep -qE "Baby massage|parking|Amy" <<<"$text"; then fail "the dashboard is shown without credentials: $text"; fi

# 2. With user:password in the URL.
open_page "http://$user:$CHECKIN_DASHBOARD_PASSWORD@127.0.0.1:$http_port/dashboard"
got=$(dashboard_response)
[ "${got%% *}" = 200 ] || fail "with credentials in the URL the browser got '$got'"
text=$(page_text)
title=$(wd GET "/session/$session/title" | jq -r '.value')
[ "$title" = "Check-in: who is coming" ] || fail "page title is '$title'; the page says: $text"
expect_text "session title" "Baby massage"
expect_text "counts" "2 coming, 1 maybe, 1 not coming, 1 no answer"
expect_text "who is coming" "Coming: <script>alert(1)</script>, Amy"
expect_text "maybe" "Maybe: Bea"
expect_text "no answer" "No answer: Dee"
expect_text "start in the group's zone" "$(LC_ALL=C TZ=$zone date -d "@$s1" '+%a %-d %b %H:%M')"
expect_text "cancelled session" "Buggy walk"
expect_text "cancelled mark" "CANCELLED"
expect_text "inbox message" "is there parking?"
expect_text "inbox sender" "Amy"
if grep -qE '900(123|456|789|321|654)' <<<"$text"; then fail "a phone number is on the page: $text"; fi
alert=$(wd GET "/session/$session/alert/text" | jq -r '.value.error // "an alert is open"')
[ "$alert" = "no such alert" ] || fail "the member's name ran as a script: $alert"

# 3. A wrong password in the URL: the 401 again, nothing shown.
open_page "http://$user:wrong@127.0.0.1:$http_port/dashboard"
got=$(dashboard_response)
[ "$got" = "$challenge" ] || fail "with a wrong password the browser got '$got', not '$challenge'"
text=$(page_text)
if grep -qE "Baby massage|parking|Amy" <<<"$text"; then fail "the dashboard is shown with a wrong password: $text"; fi

# checkind stops cleanly, without sanitizer reports (ASan builds).
stop_pid "$checkind_pid"
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$work/checkind.log"; then
  fail "sanitizer report in checkind's log"
fi
grep -qF "$CHECKIN_DASHBOARD_PASSWORD" "$work/checkind.log" && fail "the dashboard password is in checkind's log"
grep -q "dashboard: refused 127.0.0.1: wrong user name or password (user 'coord')" "$work/checkind.log" ||
  fail "the failed login is not in checkind's log"
echo "$name: passed (401 page, sessions, counts, who is coming, inbox, escaping, zone, no phone numbers)"
