# Shared by the scripts that start servers (demo.sh, bench-*.sh): source it.
#   free_port            a TCP port on 127.0.0.1 that is free now, below the
#                        kernel's ephemeral range (so no client grabs it)
#   stop_pid PID         SIGTERM, up to 5 s to exit, then SIGKILL; reaps it
#   to_resp              stdin: one command per line, arguments separated by
#                        tabs; stdout: the same in RESP, for redis-cli --pipe
#   start_redis DIR      a redis-server without persistence on a free port,
#                        logging to DIR/redis.log; sets redis_port and
#                        redis_pid, appends the pid to the caller's `pids`
#                        (what its cleanup stops), defines rcli; returns
#                        once it answers PING
#   wait_for S WHAT CMD  polls CMD every 0.1 s for at most S seconds; then
#                        says "<name>: timed out waiting for WHAT" and fails
#                        (status 1: under `set -e` the script stops, unless
#                        the caller handles it with ||)

free_port() {
  local low port
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 200); do
    port=$(( 10000 + RANDOM % (low - 10000) ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return; fi
  done
  echo "$(basename "$0" .sh): no free port found" >&2
  exit 1
}

wait_for() {
  local limit=$1 what=$2
  shift 2
  for _ in $(seq 1 $(( limit * 10 ))); do "$@" && return 0; sleep 0.1; done
  echo "$(basename "$0" .sh): timed out waiting for $what" >&2
  return 1
}

stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

to_resp() {
  LC_ALL=C awk -F'\t' '{
    printf "*%d\r\n", NF
    for (i = 1; i <= NF; i++) printf "$%d\r\n%s\r\n", length($i), $i
  }'
}

start_redis() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$1" \
    --logfile "$1/redis.log" --daemonize no &
  redis_pid=$!
  pids+=("$redis_pid")
  rcli() { redis-cli -p "$redis_port" "$@"; }
  wait_for 10 "redis-server" bash -c "redis-cli -p $redis_port ping 2>/dev/null | grep -q PONG"
}
