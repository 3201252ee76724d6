#!/usr/bin/env bash
# Installs what checkin needs on Debian 12, only what is missing:
#   build: compiler, CMake, Ninja and the libraries' -dev packages
#   test:  redis-server (tests and demo start their own), GoogleTest,
#          systemd (systemd-analyze, for the unit's test), tzdata, jq
#   --with-node: Node.js and the contract test's npm packages (Prism)
#   --with-browser: chromium and chromium-driver (the dashboard's browser
#                 test; the demo does not need them)
#   --build-only: only what building checkind needs (scripts/install.sh,
#                 the Dockerfile's build stage)
#   --with-clang: clang 14 and its runtime libraries (libFuzzer, the
#                 sanitizers), for the fuzz targets (scripts/fuzz.sh)
# Safe to run again; does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

with_node=0 build_only=0 with_browser=0 with_clang=0
for arg in "$@"; do
  case "$arg" in
    --with-node) with_node=1 ;;
    --with-browser) with_browser=1 ;;
    --build-only) build_only=1 ;;
    --with-clang) with_clang=1 ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates tzdata
  libcpp-httplib-dev libcurl4-openssl-dev libhiredis-dev libyaml-cpp-dev libspdlog-dev
  libssl-dev nlohmann-json3-dev libphonenumber-dev
  libhowardhinnant-date-dev libical-dev libcli11-dev libsystemd-dev prometheus-cpp-dev libicu-dev
)
[ "$build_only" = 0 ] && packages+=(libgtest-dev libgmock-dev redis-server redis-tools systemd)
[ "$build_only" = 0 ] && packages+=(jq)
[ "$with_browser" = 1 ] && packages+=(chromium chromium-driver)
# clang: clang++ (clang 14 on Debian 12); libclang-rt-14-dev: libclang_rt.fuzzer.
[ "$with_clang" = 1 ] && packages+=(clang libclang-rt-14-dev)
[ "$with_node" = 1 ] && ! command -v npm >/dev/null && packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$with_node" = 1 ] && [ ! -x tests/contract/node_modules/.bin/prism ]; then
  echo "install-deps: installing the contract test's npm packages (tests/contract)"
  npm ci --prefix tests/contract --no-audit --no-fund --loglevel=error
fi
