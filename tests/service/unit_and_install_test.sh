#!/usr/bin/env bash
# The systemd unit and the install script, without root and without a
# running systemd:
#   1. scripts/install.sh --destdir TMP --no-build installs this build's
#      binaries, the unit (ExecStart at the prefix), docs, example configs and
#      /etc/checkin/checkin.yaml; a second run keeps an edited config;
#   2. systemd-analyze verify is clean on the installed unit. verify needs
#      the ExecStart binary to exist, and it does not under TMP/usr/local
#      only, so it checks a copy whose ExecStart points into TMP;
#   3. systemd-analyze security --offline=true systemd/checkind.service:
#      the exposure score is printed and must be 2.0 or lower;
#   4. the installed config passes --check-config with the token where
#      LoadCredential= puts it ($CREDENTIALS_DIRECTORY/twilio-auth-token).
#
#   tests/service/unit_and_install_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze missing (scripts/install-deps.sh installs the systemd package)"
tmp=$(mktemp -d /tmp/checkin-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root" prefix=/usr/local

echo "== 1. scripts/install.sh --destdir $root =="
scripts/install.sh --prefix "$prefix" --destdir "$root" --build-dir "$build" --no-deps --no-build > "$tmp/install1.log" \
  || { cat "$tmp/install1.log"; fail "install.sh failed"; }
for f in bin/checkind bin/checkinctl; do
  [ -x "$root$prefix/$f" ] || fail "$prefix/$f not installed"
done
unit="$root$prefix/lib/systemd/system/checkind.service"
[ -f "$unit" ] || fail "unit not installed at $prefix/lib/systemd/system"
grep -qx "ExecStart=$prefix/bin/checkind --config /etc/checkin/checkin.yaml" "$unit" || fail "ExecStart does not name $prefix/bin/checkind"
for f in README.md operations.md configuration.md examples/checkin.yaml examples/checkin-systemd.yaml; do
  [ -f "$root$prefix/share/doc/checkin/$f" ] || fail "share/doc/checkin/$f not installed"
done
config="$root/etc/checkin/checkin.yaml"
cmp -s "$config" config/checkin-systemd.yaml || fail "/etc/checkin/checkin.yaml is not the systemd example"
[ "$(stat -c %a "$config")" = 644 ] || fail "/etc/checkin/checkin.yaml mode $(stat -c %a "$config"), want 644"
grep -q "systemctl enable --now checkind" "$tmp/install1.log" || fail "install.sh did not print the next steps"

echo "# edited by the operator" >> "$config"
cp "$config" "$tmp/edited.yaml"
scripts/install.sh --prefix "$prefix" --destdir "$root" --build-dir "$build" --no-deps --no-build > "$tmp/install2.log" \
  || { cat "$tmp/install2.log"; fail "second install.sh failed"; }
cmp -s "$config" "$tmp/edited.yaml" || fail "the second install overwrote an edited /etc/checkin/checkin.yaml"
grep -q "Kept: .*/etc/checkin/checkin.yaml" "$tmp/install2.log" || fail "install.sh did not say it kept the config"
echo "installed; an edited config survives a second run"

echo "== 2. systemd-analyze verify (installed unit, ExecStart pointed into the staging root) =="
mkdir -p "$tmp/verify"
sed "s#$prefix/bin/checkind#$root$prefix/bin/checkind#g" "$unit" > "$tmp/verify/checkind.service"
out=$(systemd-analyze verify "$tmp/verify/checkind.service" 2>&1) || { echo "$out"; fail "systemd-analyze verify failed"; }
[ -z "$out" ] || { echo "$out"; fail "systemd-analyze verify printed warnings"; }
echo "verify: clean"

echo "== 3. systemd-analyze security --offline=true systemd/checkind.service =="
report=$(systemd-analyze security --offline=true --no-pager systemd/checkind.service 2>&1) || true
score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for checkind.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "$report"; fail "no exposure score in systemd-analyze's output"; }
echo "exposure score: $score (at most 2.0)"
printf '%s\n' "$report" | grep '✗' || true
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure score $score > 2.0"

echo "== 4. the installed config with a LoadCredential= token =="
credential=$(sed -n 's/^LoadCredential=\([^:]*\):.*/\1/p' "$unit")
[ "$credential" = twilio-auth-token ] || fail "LoadCredential names '$credential'"
grep -q "auth_token_file: \"$credential\"" "$config" || fail "the config does not read the credential $credential"
mkdir -p "$tmp/credentials"
echo "not-a-real-token" > "$tmp/credentials/$credential"
CREDENTIALS_DIRECTORY="$tmp/credentials" "$root$prefix/bin/checkind" --config "$config" --check-config \
  || fail "the installed config does not pass --check-config"
echo "PASS"
