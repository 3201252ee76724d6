#!/usr/bin/env bash
# Builds checkin (Release) and installs it as a service, in one step:
#   PREFIX/bin/checkind, PREFIX/bin/checkinctl
#   PREFIX/lib/systemd/system/checkind.service   (ExecStart=PREFIX/bin/checkind)
#   PREFIX/share/doc/checkin/                    README, docs, examples/
#   /etc/checkin/checkin.yaml                    from examples/checkin-systemd.yaml,
#                                                only when there is none: an
#                                                existing (edited) file is kept
#   /etc/checkin/groups.d/                       for group files (examples/groups.d/)
# then says what is left to do (the token file, systemctl enable --now).
# The Dockerfile runs the same script (--prefix /usr --destdir /out).
#
#   scripts/install.sh [--prefix /usr/local] [--destdir DIR] [--build-dir build-release]
#                      [--no-deps] [--no-build]
#   --destdir DIR  stage everything under DIR (DIR/usr/local/bin, DIR/etc/checkin, ...):
#                  for packaging, containers and tests; needs no root
#   --no-deps      do not apt-get the build dependencies (scripts/install-deps.sh --build-only)
#   --no-build     install what --build-dir already holds (tests reuse their build)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local destdir="" build=build-release deps=1 build_it=1
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --destdir) destdir=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --no-deps) deps=0; shift ;;
    --no-build) build_it=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "install: unknown option $1" >&2; usage 2 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install: --prefix must be absolute" >&2; exit 2 ;; esac
if [ -n "$destdir" ]; then
  mkdir -p "$destdir"
  destdir=$(cd "$destdir" && pwd)
elif [ "$(id -u)" -ne 0 ]; then
  echo "install: installing into $prefix and /etc needs root (sudo $0), or stage with --destdir DIR" >&2
  exit 1
fi

if [ "$build_it" = 1 ]; then
  [ "$deps" = 1 ] && scripts/install-deps.sh --build-only
  echo "== build (Release, $build/) =="
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHECKIN_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCHECKIN_INSTALL_SYSTEMD=ON >/dev/null
  cmake --build "$build" --target checkind checkinctl
fi
[ -x "$build/checkind" ] || { echo "install: $build/checkind is not built" >&2; exit 1; }

echo "== install into ${destdir}${prefix} =="
DESTDIR="$destdir" cmake --install "$build" --prefix "$prefix"
[ -x "$destdir$prefix/bin/checkind" ] || { echo "install: cmake --install left no $prefix/bin/checkind" >&2; exit 1; }
unit="$destdir$prefix/lib/systemd/system/checkind.service"
if [ ! -f "$unit" ]; then  # a build configured elsewhere with CHECKIN_INSTALL_SYSTEMD=OFF or AUTO
  mkdir -p "$(dirname "$unit")"
  sed -e "s#/usr/bin/checkind#$prefix/bin/checkind#g" -e "s#/usr/share/doc/checkin#$prefix/share/doc/checkin#g" \
    systemd/checkind.service > "$unit"
  chmod 0644 "$unit"
  echo "-- Installing: $unit"
fi

# /etc/checkin: the config is read by the service's dynamic user (0644, no
# secrets); the token file next to it stays root's (0600, LoadCredential=).
# groups.d/ holds the group files (groups_dir), empty at first.
etc="$destdir/etc/checkin"
install -d -m 0755 "$etc" "$etc/groups.d"
if [ -e "$etc/checkin.yaml" ]; then
  echo "-- Kept: $etc/checkin.yaml (never overwritten; new examples in $prefix/share/doc/checkin/examples/)"
else
  install -m 0644 config/checkin-systemd.yaml "$etc/checkin.yaml"
  echo "-- Installing: $etc/checkin.yaml"
fi

cat <<EOF

checkin is installed${destdir:+ under $destdir}. Next steps:
  1. Edit /etc/checkin/checkin.yaml: twilio.account_sid, twilio.from (or
     messaging_service_sid), http.public_url, redis.url. Every key:
     $prefix/share/doc/checkin/configuration.md
  2. Put the Twilio auth token in a root-only file (never in the YAML):
       sudo install -m 0600 /dev/null /etc/checkin/twilio-auth-token
       sudoedit /etc/checkin/twilio-auth-token
  3. Check the config:  sudo CREDENTIALS_DIRECTORY=/etc/checkin $prefix/bin/checkind --config /etc/checkin/checkin.yaml --check-config
  4. Start it:          sudo systemctl daemon-reload && sudo systemctl enable --now checkind
     Logs:              journalctl -u checkind -f
  5. Point the Twilio number's "A message comes in" webhook at {http.public_url}/twilio/sms
     (HTTP POST). The rest: $prefix/share/doc/checkin/operations.md
EOF
