#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (one per parser of outside
# input) with clang under ASan+UBSan in build-fuzz/, then runs each for a
# while, two at a time, and prints what each achieved.
#   scripts/fuzz.sh                    every target, 30 s each
#   scripts/fuzz.sh --seconds 600      10 minutes each
#   scripts/fuzz.sh csv config         only these targets (tests/fuzz/<name>_fuzz.cc)
#   --parallel N   targets run at once (default 2); --jobs N   build jobs (default nproc)
# Each run starts from a copy of its seed corpus (tests/fuzz/corpus/<target>/)
# in build-fuzz/runs/, so nothing is written into the source tree. Exits 1 on
# any finding (crash, sanitizer report, leak, timeout, out of memory): the
# input is kept in build-fuzz/findings/<target>/ and the last lines of the
# run's log are shown. Reproduce one with build-fuzz/fuzz/<target>_fuzz FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30 parallel=2 jobs=$(nproc) targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --parallel) parallel=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" _fuzz.cc)"); done
fi
for t in "${targets[@]}"; do
  [ -f "tests/fuzz/${t}_fuzz.cc" ] || { echo "fuzz: no target $t (tests/fuzz/${t}_fuzz.cc)" >&2; exit 2; }
done

scripts/install-deps.sh --build-only --with-clang

echo "== build (clang, libFuzzer, ASan+UBSan) =="
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz -DCHECKIN_FUZZ=ON \
  -DCHECKIN_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target "${targets[@]/%/_fuzz}"

runs=build-fuzz/runs findings=build-fuzz/findings
rm -rf "$runs"
mkdir -p "$runs" "$findings"
# ASan's leak check stays on (libFuzzer reports a leak as a finding).
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# run_one TARGET: one fuzzing session; writes $runs/TARGET.log, .pid (the
# fuzzer's, for cleanup) and .rc (its exit status).
run_one() {
  local t=$1
  cp -r "tests/fuzz/corpus/$t" "$runs/$t"
  mkdir -p "$findings/$t"
  "build-fuzz/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/$t/" "$runs/$t" >"$runs/$t.log" 2>&1 &
  echo $! >"$runs/$t.pid"
  local rc=0
  wait $! || rc=$?
  echo "$rc" >"$runs/$t.rc"
}

cleanup() {
  for f in "$runs"/*.pid; do
    [ -f "$f" ] && [ ! -f "${f%.pid}.rc" ] && kill "$(cat "$f")" 2>/dev/null
  done
  return 0
}
trap cleanup EXIT
echo "== fuzzing: ${#targets[@]} targets, ${seconds} s each, $parallel at a time =="
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait

failed=0
printf '%-14s %10s %12s %8s  %s\n' target exec/s runs corpus result
for t in "${targets[@]}"; do
  log=$runs/$t.log
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(find "$runs/$t" -type f | wc -l)
  result=ok
  [ "$(cat "$runs/$t.rc")" = 0 ] || { result=FINDING; failed=1; }
  printf '%-14s %10s %12s %8s  %s\n' "$t" "${eps:-?}" "${execs:-?}" "$units" "$result"
done
if [ "$failed" = 1 ]; then
  for t in "${targets[@]}"; do
    [ "$(cat "$runs/$t.rc")" = 0 ] && continue
    echo "== $t: finding (kept in $findings/$t/) =="
    ls -t "$findings/$t" | head -3
    grep -v '^#\|^INFO:\|^stat::' "$runs/$t.log" | tail -40
  done
  exit 1
fi
echo "fuzz: no findings"
