#!/usr/bin/env bash
# Benchmark of config loading (issue 13): the wall time of the whole
# `checkind --config FILE --check-config` process (read, check, parse, and
# what start-up checks besides), median of --runs, on files of each size in
# --sizes (KB), in three shapes:
#   template   one reminder template of that size: refused once it is over
#              1600 characters, so this times how quickly it is refused
#              (before issue 13 it was accepted, in time quadratic in size);
#   templates  every template kind at its 1600-character limit in as many
#              languages as fit: accepted, the largest texts a file may hold;
#   phrases    reply phrases of 90 characters, 1000 a list (the limit),
#              yes/no/maybe in as many languages as fit: accepted;
# and one 10 MB word list (refused by the 1 MiB file limit without being
# parsed). Prints a markdown row per file for docs/performance.md.
# Nothing is started but checkind; its Redis URL is a unix socket that does
# not exist, so the safeguarding-contact check gives up at once.
#
#   scripts/bench-config.sh [--runs 5] [--sizes "30 100 300 1000"]
#                           [--checkind PATH] [--timeout 120]
# --checkind: another build of checkind to compare (default build-bench's,
# Release, built when missing or older than the sources);
# --timeout: seconds one run may take before it is stopped and reported as
# "> N s" (an old build on a big file).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 sizes="30 100 300 1000" checkind="" timeout=120
usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --checkind) checkind=$(realpath "$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench-config: unknown option $1" >&2; usage 2 ;;
  esac
done

if [ -z "$checkind" ]; then
  build=build-bench
  if [ ! -x $build/checkind ] ||
     [ -n "$(find daemon include CMakeLists.txt -newer $build/checkind -name '*.*' -print -quit 2>/dev/null)" ]; then
    echo "== building checkind (Release, $build/) =="
    cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build $build --target checkind
  fi
  checkind=$build/checkind
fi

work=$(mktemp -d /tmp/checkin-bench-config.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Writes $work/<shape>-<KB>.yaml for every shape and size, and words-10000.yaml.
python3 - "$work" $sizes <<'PY'
import itertools, string, sys
work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
head = ('region: "GB"\nredis:\n  url: "unix:///nonexistent/checkin-bench.sock"\n'
        'twilio:\n  account_sid: "AC0123456789abcdef0123456789abcdef"\n  from: "+447700900000"\n')
kinds = ["reminder", "reply_yes", "reply_no", "reply_maybe", "reply_unclear", "help", "cancelled", "digest",
         "follow_up", "concern", "concern_alert", "concern_acknowledged", "concern_taken"]

def languages():
    return ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3))

def fill(target, section, entries):
    """head + section + as many entries as fit in target bytes; an entry is
    (headers, line), each header a (key, text) written before its first line."""
    text, seen = head + section, set()
    for headers, line in entries:
        extra = "".join(t for k, t in headers if k not in seen) + line
        if len(text) + len(extra) > target:
            break
        seen.update(k for k, _ in headers)
        text += extra
    return text

def templates():  # every kind at its limit: {name} counts 40, so 1560 more
    for lang in languages():
        for k in kinds:
            yield [(lang, "  " + lang + ":\n")], f'    {k}: "{{name}}' + "t" * 1560 + '"\n'

def phrases():  # 1000 a list (the limit), 90 characters each
    n = itertools.count()
    for lang in languages():
        for lst in ("yes", "no", "maybe"):
            for _ in range(1000):
                yield ([(lang, "  " + lang + ":\n"), ((lang, lst), f"    {lst}:\n")],
                       f'      - "{lst} {next(n):07d} ' + "p" * 80 + '"\n')

for kb in sizes:
    target = kb * 1000
    with open(f"{work}/template-{kb}.yaml", "w") as f:
        f.write(head + 'templates:\n  en:\n    reminder: "Hi {name}, ' + "x" * max(target - len(head) - 50, 1) + '"\n')
    with open(f"{work}/templates-{kb}.yaml", "w") as f:
        f.write(fill(target, "templates:\n", templates()))
    with open(f"{work}/phrases-{kb}.yaml", "w") as f:
        f.write(fill(target, "replies:\n", phrases()))
with open(f"{work}/words-10000.yaml", "w") as f:
    f.write(head + "replies:\n  en:\n    yes:\n" + "".join(f'      - "word{i:07d}"\n' for i in range(10_000_000 // 22)))
PY

# Median wall seconds of `runs` runs of checkind on $1 (after one more that
# is not counted), and what it said; "> timeout" when a run is stopped.
time_file() {
  python3 - "$checkind" "$1" "$runs" "$timeout" <<'PY'
import os, statistics, subprocess, sys, time
checkind, path, runs, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
env = dict(os.environ, TWILIO_AUTH_TOKEN="bench-token")
walls, status, first = [], None, ""
for i in range(runs + 1):  # the first run warms the page cache and is not counted
    t0 = time.monotonic()
    try:
        p = subprocess.run([checkind, "--config", path, "--check-config"], env=env, capture_output=True,
                           timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"> {limit:.0f} s | stopped")
        sys.exit(0)
    if i > 0:
        walls.append(time.monotonic() - t0)
    status = p.returncode
    out = (p.stderr or p.stdout).decode(errors="replace").splitlines()
    first = out[0] if out else ""
verdict = "accepted" if status == 0 else "refused: " + first.split(": ", 2)[-1][:64].replace("|", "\\|") + "..."
print(f"{statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}) | {verdict}")
PY
}

echo "== checkind: $checkind; $runs runs each; $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg) =="
echo
echo "| file | bytes | wall (median) | result |"
echo "|---|---|---|---|"
for shape in template templates phrases; do
  for kb in $sizes; do
    f=$work/$shape-$kb.yaml
    echo "| $shape, $kb KB | $(stat -c %s "$f") | $(time_file "$f") |"
  done
done
f=$work/words-10000.yaml
echo "| word list, 10 MB | $(stat -c %s "$f") | $(time_file "$f") |"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
