#!/usr/bin/env bash
# Benchmark of the reply webhook (POST /twilio/sms), Redis updates included:
#   a local redis-server on a free loopback port (no persistence), seeded
#   with one group of --members mums, a session 3 days ahead and the reply
#   context checkind keeps (each mum reminded of it, her number indexed);
#   checkind listening on a free loopback port (nothing due to send);
#   reply-load sending signed replies open-loop at --rate, then at
#   --high-rate to see where it saturates.
# Prints reply-load's reports and a markdown row per step for
# docs/performance.md. Everything runs on 127.0.0.1, is stopped by process
# id, and the whole run takes well under two minutes (once built).
#
#   scripts/bench-replies.sh [--rate 2000] [--high-rate 4000] [--duration 10]
#                            [--warmup 2] [--connections 4] [--members 2000]
#                            [--no-keep-alive] [--checkind PATH]
# --no-keep-alive: a new connection per request (default: keep-alive);
# --checkind: another build of checkind to compare (default build-bench's).
# Exit status: 0 when the --rate step answered every request 200 and the
# replies reached Redis; the --high-rate step is informative only.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

rate=2000 high_rate=4000 duration=10 warmup=2 connections=4 members=2000
keep_alive_flag="" checkind=""
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --high-rate) high_rate=$2; shift 2 ;;   # 0: skip the saturation step
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --members) members=$2; shift 2 ;;
    --no-keep-alive) keep_alive_flag=--no-keep-alive; shift ;;
    --checkind) checkind=$(realpath "$2"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench-replies: unknown option $1" >&2; usage 2 ;;
  esac
done

scripts/install-deps.sh
build=build-bench
if [ ! -x $build/checkind ] || [ ! -x $build/reply-load ] ||
   [ -n "$(find daemon include tests/bench/reply_load.cc CMakeLists.txt tests/CMakeLists.txt -newer $build/checkind \
     -name '*.*' -print -quit 2>/dev/null)" ]; then
  echo "== building checkind and reply-load (Release, $build/) =="
  cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build $build --target checkind reply_load
fi
checkind=${checkind:-$build/checkind}

work=$(mktemp -d /tmp/checkin-bench.XXXXXX)
pids=()
cleanup() {  # checkind before redis-server: last started, first stopped
  local i
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop_pid "${pids[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT



# --- redis-server, seeded with schema v1 and the reply context ---
start_redis "$work"

now=$(date -u +%s)
starts=$(( now + 3 * 86400 ))        # nothing is due during the bench
starts_at=$(date -u -d "@$starts" +%Y-%m-%dT%H:%M:%S+00:00)
# Members m0001..: valid UK mobiles +447911000001.. (libphonenumber checks them).
LC_ALL=C awk -v n="$members" -v starts="$starts" -v starts_at="$starts_at" -v reminded=$(( now - 600 )) \
  -v phones="$work/phones.txt" '
  BEGIN {
    print "HSET\tcheckin:group:g\tname\tBench group\tvenue\tBench hall\ttimezone\tEurope/London"
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
echo "bench-replies: seeded $members members in group g, session s1 at $starts_at"

# --- checkind: nothing to send during the bench, warnings only ---
http_port=$(free_port)
closed_port=$(free_port)   # api_base: nothing listens there, nothing is sent
export TWILIO_AUTH_TOKEN="bench-auth-token"
account_sid="AC00000000000000000000000000000000"
public_url="https://bench.example.org"
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
  from: "+447700900000"
  api_base: "http://127.0.0.1:$closed_port"
reminders:
  send:
    - hours_before: 1      # the session is 3 days ahead: nothing due
  quiet_hours: null
YAML
"$checkind" --config "$work/checkin.yaml" --check-config >/dev/null
"$checkind" --config "$work/checkin.yaml" --log-level warn 2> "$work/checkind.log" &
checkind_pid=$!
pids+=($checkind_pid)
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/readyz")" = 200 ]; }
wait_for 10 "checkind /readyz" ready
# The first planning pass queues one (future) reminder per member; wait for
# it so that it does not overlap the measured run.
planned() { [ "$(rcli ZCARD 'checkin:{jobs}:due')" -ge "$members" ]; }
for _ in $(seq 1 100); do planned && break; sleep 0.1; done
echo "bench-replies: checkind ready on 127.0.0.1:$http_port; $(rcli ZCARD 'checkin:{jobs}:due') reminder(s) queued for later"

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }  # utime + stime
peak_rss_mib() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
rows=()
step_failed=()

busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }  # all CPUs, not idle
percent() {  # percent TICKS_BEFORE TICKS_AFTER T0 T1: of one core
  awk -v a="$1" -v b="$2" -v hz="$hz" -v t0="$3" -v t1="$4" 'BEGIN { printf "%.0f", (b - a) / hz / (t1 - t0) * 100 }'
}

run_step() {  # run_step RATE
  local step_rate=$1 json="$work/load-$1.json" rc=0
  local c0 r0 m0 t0 t1 cpu redis_cpu other_cpu rss
  c0=$(cpu_ticks "$checkind_pid"); r0=$(cpu_ticks "$redis_pid"); m0=$(busy_ticks); t0=$(date +%s.%N)
  echo "== reply-load at $step_rate replies/s =="
  $build/reply-load --url "http://127.0.0.1:$http_port" --public-url "$public_url" \
    --account-sid "$account_sid" --phones "$work/phones.txt" --bodies --rate "$step_rate" \
    --duration "$duration" --warmup "$warmup" --connections "$connections" $keep_alive_flag \
    --json "$json" || rc=$?
  t1=$(date +%s.%N)
  if ! kill -0 "$checkind_pid" 2>/dev/null; then
    echo "bench-replies: checkind exited during the run; its log:" >&2; tail -20 "$work/checkind.log" >&2; exit 1
  fi
  local c1 r1 m1
  c1=$(cpu_ticks "$checkind_pid"); r1=$(cpu_ticks "$redis_pid"); m1=$(busy_ticks)
  cpu=$(percent "$c0" "$c1" "$t0" "$t1")
  redis_cpu=$(percent "$r0" "$r1" "$t0" "$t1")
  # Everything else on the machine, reply-load included: on a shared
  # machine, a high figure means the run competed for the two cores.
  # Approximate: /proc/stat is tick-sampled, per-process times are not.
  other_cpu=$(percent $(( c1 - c0 + r1 - r0 )) $(( m1 - m0 )) "$t0" "$t1")
  [ "$other_cpu" -ge 0 ] || other_cpu=0
  rss=$(peak_rss_mib "$checkind_pid")
  [ -s "$json" ] || { echo "bench-replies: reply-load wrote no report" >&2; exit 1; }
  rows+=("$(jq -r --arg date "$(date -u +%Y-%m-%d)" --arg machine "$machine" --arg cpu "$cpu" \
    --arg redis_cpu "$redis_cpu" --arg other_cpu "$other_cpu" --arg rss "$rss" '
      def ms: if . == null then "no answer" else (. * 100 | round / 100 | tostring) end;
      "| \($date) | \($machine) | \(if .keep_alive then "keep-alive" else "new" end) x \(.connections) | " +
      "\(.rate_asked) | \(.achieved_rate | round) | \(.latency_ms.p50 | ms) | \(.latency_ms.p99 | ms) | " +
      "\(.latency_ms.p99_9 | ms) | \(.latency_ms.max | ms) | \(.failed) | \($cpu) % | \($redis_cpu) % | " +
      "\($other_cpu) % | \($rss) MiB |"' "$json")")
  [ "$rc" -eq 0 ] || step_failed+=("$step_rate")
}

run_step "$rate"
rsvp=$(rcli HLEN checkin:session:s1:rsvp)
inbox=$(rcli XLEN checkin:inbox)
echo "bench-replies: checkin:session:s1:rsvp holds $rsvp answer(s); inbox $inbox entr(y/ies)"
[ "$high_rate" != 0 ] && run_step "$high_rate"

if grep -qiE 'error|critical' "$work/checkind.log"; then
  echo "== checkind log (errors) =="; grep -iE 'error|critical' "$work/checkind.log" | sort | uniq -c | head -20
fi
echo
echo "| date | machine | connections | rate asked | achieved | p50 ms | p99 ms | p99.9 ms | max ms | errors | checkind CPU | redis CPU | other CPU | checkind peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

status=0
[ "$rsvp" -gt 0 ] || { echo "bench-replies: no rsvp reached Redis" >&2; status=1; }
for r in "${step_failed[@]}"; do
  if [ "$r" = "$rate" ]; then echo "bench-replies: requests failed at $rate/s" >&2; status=1
  else echo "bench-replies: requests failed at $r/s (saturation step, informative)"; fi
done
exit $status
