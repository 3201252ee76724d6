#!/usr/bin/env bash
# Benchmark of sending (issue 4, item 7), every figure in one run:
#   1. slow Twilio: the stand-in answers in --latency-ms (150) with at most
#      --standin-concurrency (100) requests in flight; checkind (Release,
#      twilio.concurrency 100, max_per_second 10000: above what either run
#      reaches, so Twilio's side and checkind's own work are what limit) texts a group of --members mums, all due at once (a
#      session ~30 min ahead, reminders.send [hours_before: 1]: overdue, sent
#      at once). Sends/s from the first to the last accepted message,
#      against the limit concurrency / latency.
#   2. fast Twilio: the stand-in answers at once; same checkind, same group
#      (Redis flushed and seeded again). Then the same work by a BullMQ
#      worker (tests/bench/bullmq, concurrency 100) on the same Redis: all
#      jobs enqueued first, the drain timed.
#   3. planning cost: one `checkind --once` (plan + claim, nothing due) with
#      --plan-members jobs stored, then with --fill future jobs more stored
#      (redis-cli --pipe); median of --plan-runs passes each: wall time
#      (process start to exit) and time spent in Redis (INFO commandstats).
#   4. checkind peak RSS (VmHWM) at the end of runs 1 and 2.
# Prints a markdown table for docs/performance.md with date, machine and
# load average. Everything on 127.0.0.1, stopped by process id.
#
#   scripts/bench-dispatch.sh [--members 4000] [--latency-ms 150]
#       [--standin-concurrency 100] [--concurrency 100] [--fill 1000000]
#       [--plan-members 1000] [--plan-runs 9] [--build DIR] [--no-bullmq]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

members=4000 latency_ms=150 standin_conc=100 concurrency=100 fill=1000000
plan_members=1000 plan_runs=9 build=build-bench2 bullmq=1
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --members) members=$2; shift 2 ;;
    --latency-ms) latency_ms=$2; shift 2 ;;
    --standin-concurrency) standin_conc=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --fill) fill=$2; shift 2 ;;
    --plan-members) plan_members=$2; shift 2 ;;
    --plan-runs) plan_runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-bullmq) bullmq=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench-dispatch: unknown option $1" >&2; usage 2 ;;
  esac
done

if [ ! -x $build/checkind ] || [ ! -x $build/twilio-standin ] ||
   [ -n "$(find daemon include tests/bench tests/twilio_standin CMakeLists.txt -newer $build/checkind -name '*.*' -print -quit 2>/dev/null)" ]; then
  echo "== building checkind and twilio-standin (Release, $build/) =="
  cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build $build --target checkind twilio-standin
fi
if [ "$bullmq" = 1 ] && [ ! -d tests/bench/bullmq/node_modules/bullmq ]; then
  npm ci --prefix tests/bench/bullmq --no-audit --no-fund >/dev/null
fi

work=$(mktemp -d /tmp/checkin-bench-dispatch.XXXXXX)
pids=()
cleanup() {
  local i
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop_pid "${pids[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
forget_pid() { local p keep=(); for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; pids=("${keep[@]}"); }

load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ms() { date +%s%3N; }

machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
export TWILIO_AUTH_TOKEN="bench-auth-token"
account_sid="AC00000000000000000000000000000000"
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 |"); }   # what | figure | aim | met | load (1/5/15 min)

# --- redis-server (no persistence) ---
start_redis "$work"

# seed N START_UNIX: group g, session s1 at START, members m000001..mN.
seed() {
  local n=$1 starts=$2 starts_at
  starts_at=$(date -u -d "@$starts" +%Y-%m-%dT%H:%M:%S+00:00)
  rcli FLUSHALL >/dev/null
  LC_ALL=C awk -v n="$n" -v starts="$starts" -v starts_at="$starts_at" '
    BEGIN {
      print "HSET\tcheckin:group:g\tname\tBench group\tvenue\tBench hall\ttimezone\tEurope/London"
      print "HSET\tcheckin:session:s1\tgroup\tg\tstarts_at\t" starts_at "\tstatus\tscheduled"
      print "ZADD\tcheckin:sessions\t" starts "\ts1"
      for (i = 1; i <= n; i++) {
        id = sprintf("m%06d", i)
        print "HSET\tcheckin:member:" id "\tname\tMum" i "\tphone\t" sprintf("+44791%07d", 1000000 + i)
        print "SADD\tcheckin:group:g:members\t" id
      }
    }' | to_resp | rcli --pipe | tail -1
}

# config FILE API_BASE HTTP_PORT
write_config() {
  cat > "$1" <<YAML
region: "GB"
log_level: "warn"
redis:
  url: "redis://127.0.0.1:$redis_port/0"
http:
  listen: "127.0.0.1:$3"
  public_url: "https://bench.example.org"
twilio:
  account_sid: "$account_sid"
  auth_token_env: "TWILIO_AUTH_TOKEN"
  from: "+447700900000"
  api_base: "$2"
  concurrency: $concurrency
  max_per_second: 10000
reminders:
  send:
    - hours_before: 1
  quiet_hours: null
YAML
}

# start_standin LATENCY MAXCONC -> sets standin_pid standin_port standin_report
start_standin() {
  standin_report="$work/standin-$1.json"
  rm -f "$work/standin.port"
  $build/twilio-standin --threads 256 --port-file "$work/standin.port" --account-sid "$account_sid" \
    --latency-ms "$1" --max-concurrency "$2" --report "$standin_report" 2> "$work/standin.log" &
  standin_pid=$!
  pids+=($standin_pid)
  wait_for 10 "stand-in" test -s "$work/standin.port"
  standin_port=$(cat "$work/standin.port")
}
accepted() { curl -s "http://127.0.0.1:$standin_port/_standin/requests" | jq -r "$1"; }
all_accepted() { [ "$(accepted .accepted)" -ge "$members" ]; }
stop_standin() { stop_pid "$standin_pid"; forget_pid "$standin_pid"; }

peak_rss=()
# dispatch_run NAME LATENCY MAXCONC: writes "per_second seconds accepted refused rss_mib load"
# to $work/result-NAME (run in this shell, not a subshell, so pids stays right)
dispatch_run() {
  local name=$1 lat=$2 maxc=$3 http_port cfg checkind_pid rss l0 l1
  start_standin "$lat" "$maxc"
  seed "$members" $(( $(date -u +%s) + 1800 )) >&2
  http_port=$(free_port)
  cfg="$work/checkin-$name.yaml"
  write_config "$cfg" "http://127.0.0.1:$standin_port" "$http_port"
  $build/checkind --config "$cfg" --check-config >/dev/null
  l0=$(load)
  $build/checkind --config "$cfg" 2> "$work/checkind-$name.log" &
  checkind_pid=$!
  pids+=($checkind_pid)
  # Polled twice a second: curl + jq ten times a second took ~14 % of the
  # two cores from the run being measured (rates come from the stand-in's
  # own timestamps, so the poll interval does not change them).
  local waited
  for (( waited = 0; waited < 120; waited++ )); do all_accepted && break; sleep 0.5; done
  all_accepted || echo "bench-dispatch: $name: only $(accepted .accepted) of $members accepted" >&2
  rss=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$checkind_pid/status")
  local refused; refused=$(accepted .faulted)   # 429: over --max-concurrency
  l1=$(load)
  stop_pid "$checkind_pid"; forget_pid "$checkind_pid"
  stop_standin
  local doubt; doubt=$(grep -c 'in doubt$' "$work/checkind-$name.log" || true)
  # sends/s over the first 99 % of messages (the bulk) and over all of them
  # (with the tail: a send whose answer was lost waits
  # twilio.reconcile_after_seconds, 30 s, before Twilio's list is checked).
  jq -r --arg rss "$rss" --arg refused "$refused" --arg load "$l1" --arg doubt "$doubt" '
    (.times | sort) as $t | ($t | length) as $n | (($n * 0.99) | floor) as $k |
    def rate($i): if $i > 0 and $t[$i] > $t[0] then ($i / (($t[$i] - $t[0]) / 1000) | round) else 0 end;
    [ rate($k - 1), rate($n - 1), (($t[$n - 1] - $t[0]) / 1000), $n, $refused, $doubt, $rss, $load ]
    | map(tostring) | join(" ")' "$standin_report" > "$work/result-$name"
  if grep -qiE 'error|critical' "$work/checkind-$name.log"; then
    echo "== checkind log ($name, errors) ==" >&2
    grep -iE 'error|critical' "$work/checkind-$name.log" | sed 's/[0-9]\{4,\}/N/g' | sort | uniq -c | head -10 >&2
  fi
}

t_start=$(date +%s)
echo "== 1. slow Twilio: ${latency_ms} ms, at most $standin_conc in flight; $members members, checkind concurrency $concurrency =="
dispatch_run slow "$latency_ms" "$standin_conc"
read -r slow_ps slow_all slow_s slow_n slow_refused slow_doubt slow_rss slow_load < "$work/result-slow"
echo "   $slow_n accepted in ${slow_s}s: $slow_ps/s over the first 99 %, $slow_all/s over all; 429s: $slow_refused; in doubt: $slow_doubt; peak RSS $slow_rss MiB; load $slow_load"
limit=$(awk -v c="$standin_conc" -v l="$latency_ms" 'BEGIN { printf "%.0f", c / (l / 1000) }')
own_limit=$(awk -v c="$concurrency" -v s="$standin_conc" -v l="$latency_ms" 'BEGIN { if (c < s) s = c; printf "%.0f", s / (l / 1000) }')
pct=$(awk -v a="$slow_ps" -v b="$limit" 'BEGIN { printf "%.0f", a / b * 100 }')
row "slow Twilio ($latency_ms ms, $standin_conc in flight), $members sends, checkind concurrency $concurrency" \
  "$slow_ps sends/s over the first 99 % ($pct % of $limit/s; checkind's own ceiling $concurrency / ${latency_ms} ms = $own_limit/s); $slow_all/s over all $slow_n (${slow_s} s, $slow_doubt in doubt, $slow_refused answered 429)" \
  ">= 90 % of $limit/s" "$( [ "$pct" -ge 90 ] && echo yes || echo no )" "$slow_load"

echo "== 2. fast Twilio: no latency; $members members =="
dispatch_run fast 0 0
read -r fast_ps fast_all fast_s fast_n fast_refused fast_doubt fast_rss fast_load < "$work/result-fast"
echo "   $fast_n accepted in ${fast_s}s: $fast_ps/s over the first 99 %, $fast_all/s over all; in doubt: $fast_doubt; peak RSS $fast_rss MiB; load $fast_load"
row "fast Twilio, $members sends, checkind (concurrency $concurrency)" "$fast_ps sends/s over the first 99 %; $fast_all/s over all $fast_n (${fast_s} s, $fast_doubt in doubt)" \
  ">= 3x BullMQ" "see BullMQ row" "$fast_load"

if [ "$bullmq" = 1 ]; then
  start_standin 0 0
  seed "$members" $(( $(date -u +%s) + 1800 )) >/dev/null
  bull_json=$(node tests/bench/bullmq/worker.js --redis-port "$redis_port" \
    --api-base "http://127.0.0.1:$standin_port" --group g --account-sid "$account_sid" \
    --auth-token "$TWILIO_AUTH_TOKEN" --concurrency 100 --timeout 90)
  bull_load=$(load)
  recorded=$(rcli HLEN bench:bullmq:sent)
  stop_standin
  bull_ps=$(jq -r .per_second <<<"$bull_json")
  echo "   BullMQ: $bull_json; sids recorded $recorded; load $bull_load"
  ratio=$(awk -v a="$fast_ps" -v b="$bull_ps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  row "fast Twilio, $members sends, BullMQ worker (concurrency 100)" "$bull_ps sends/s (checkind / BullMQ = ${ratio}x)" \
    ">= 3x" "$(awk -v r="$ratio" 'BEGIN { print (r >= 3 ? "yes" : "no") }')" "$bull_load"
fi

echo "== 3. planning cost: $plan_members vs $plan_members + $fill jobs stored =="
# No Twilio call happens (nothing due): api_base points at a closed port.
plan_cfg="$work/checkin-plan.yaml"
write_config "$plan_cfg" "http://127.0.0.1:$(free_port)" "$(free_port)"
seed "$plan_members" $(( $(date -u +%s) + 3 * 86400 )) >/dev/null
$build/checkind --config "$plan_cfg" --once 2>/dev/null   # creates the group's jobs
plan_pass() {  # median over plan_runs of: wall ms, Redis usec (every command, CONFIG aside)
  local walls=() usecs=() t0 t1 i
  for (( i = 0; i < plan_runs; i++ )); do
    rcli CONFIG RESETSTAT >/dev/null
    t0=$(date +%s%N)
    $build/checkind --config "$plan_cfg" --once 2>/dev/null
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000000 )))
    usecs+=($(rcli INFO commandstats | awk -F'[:,=]' '/^cmdstat_/ && !/^cmdstat_config/ { s += $5 } END { print s + 0 }'))
  done
  printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (plan_runs + 1) / 2 ))p"
  printf '%s\n' "${usecs[@]}" | sort -n | sed -n "$(( (plan_runs + 1) / 2 ))p"
}
mapfile -t small < <(plan_pass)
small_load=$(load)
small_jobs=$(rcli ZCARD 'checkin:{jobs}:due')
t0=$(now_ms)
LC_ALL=C awk -v n="$fill" -v due=$(( ($(date -u +%s) + 30 * 86400) * 1000 )) '
  BEGIN {
    for (i = 1; i <= n; i++) {
      id = sprintf("f%031d", i)
      print("HSET\tcheckin:{jobs}:job:" id "\tkind\treminder\tsession\tfiller\tmember\tx" i \
           "\tsession_starts_at\t" sprintf("%.0f", due / 1000 + 3600) "\tplanned_at\t" sprintf("%.0f", due / 1000) \
           "\tstate\tpending\tattempts\t0\tcreated_at\t" sprintf("%.0f", due))
      line = line "\t" sprintf("%.0f", due + i) "\t" id   # mawk: %d stops at 2^31
      if (i % 1000 == 0 || i == n) { print "ZADD\tcheckin:{jobs}:due" line; line = "" }
    }
  }' | to_resp | rcli --pipe | tail -1
fill_s=$(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
big_jobs=$(rcli ZCARD 'checkin:{jobs}:due')
echo "   filled $fill jobs in ${fill_s}s; queue holds $big_jobs; redis used $(rcli INFO memory | awk -F: '/^used_memory_human/ { print $2 }' | tr -d '\r')"
mapfile -t big < <(plan_pass)
big_load=$(load)
wall_ratio=$(awk -v a="${small[0]}" -v b="${big[0]}" 'BEGIN { printf "%.2f", b / a }')
redis_ratio=$(awk -v a="${small[1]}" -v b="${big[1]}" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
echo "   $small_jobs stored: ${small[0]} ms wall, ${small[1]} us in Redis; $big_jobs stored: ${big[0]} ms, ${big[1]} us"
row "planning pass (\`checkind --once\`, $plan_members members, nothing due), $small_jobs jobs stored" \
  "${small[0]} ms wall (median of $plan_runs), ${small[1]} µs in Redis" "" "" "$small_load"
row "same, $big_jobs jobs stored" \
  "${big[0]} ms wall, ${big[1]} µs in Redis: ratio ${wall_ratio}x wall, ${redis_ratio}x Redis" \
  "<= 1.5x" "$(awk -v r="$wall_ratio" 'BEGIN { print (r <= 1.5 ? "yes" : "no") }')" "$big_load"

rss_max=$(awk -v a="$slow_rss" -v b="$fast_rss" 'BEGIN { print (a > b ? a : b) }')
row "checkind peak RSS (VmHWM), end of runs 1 / 2" "$slow_rss / $fast_rss MiB" "<= 40 MB" \
  "$(awk -v r="$rss_max" 'BEGIN { print (r * 1.048576 <= 40 ? "yes" : "no") }')" "$fast_load"

echo
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $machine; run took $(( $(date +%s) - t_start )) s"
echo
echo "| measurement | figure | aim | met | load (1/5/15 min) |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
