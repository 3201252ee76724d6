#!/usr/bin/env bash
# Builds checkin and runs every test (ctest + GoogleTest, the Prism contract
# test included): once in a normal build (build/), once under ASan+UBSan
# (build-asan/), then each fuzz target for 30 s (scripts/fuzz.sh, clang,
# build-fuzz/). Installs what is missing first.
#   scripts/test.sh                 everything
#   scripts/test.sh --no-sanitize   the normal build only (quicker; no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0

scripts/install-deps.sh --with-node --with-browser
jobs=$(nproc)

echo "== build (RelWithDebInfo) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "$sanitize" = 1 ]; then
  echo "== build (ASan+UBSan) =="
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHECKIN_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  echo "== tests under ASan+UBSan =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
  echo "== fuzzing (libFuzzer, 30 s per target) =="
  scripts/fuzz.sh --seconds 30 --jobs "$jobs"
fi
