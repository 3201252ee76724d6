#!/usr/bin/env bash
# The Dockerfile cannot be built here (no Docker engine), so its runtime
# package list is checked against what the binaries really link: for each
# NEEDED library of checkind and checkinctl (readelf -d), the Debian package
# that owns it (ldd for the path, dpkg -S for the owner) must be in the list
# between "runtime-packages-begin" and "-end", and every library package in
# the list must be one of them, so the list cannot drift either way.
# libc6 and libgcc-s1 are in every Debian image; sanitizer runtimes (an
# ASan build) are not shipped.
#
# Then what else the image promises and nothing here can run:
#   - USER uid:gid names the uid useradd makes and a gid groupadd makes
#     (useradd alone picks a system gid such as 999 for the group);
#   - the HEALTHCHECK probe reads the config file CMD starts checkind with;
#   - the Dockerfile's header and docs/operations.md mount the same host
#     directory at /etc/checkin.
#
#   tests/service/dockerfile_packages_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."

fail() { echo "FAIL: $*" >&2; exit 1; }
non_library="ca-certificates tzdata"   # wanted in the image, not linked
base_image="libc6 libgcc-s1"
sanitizer='^lib(asan|ubsan|lsan|tsan)[0-9]*$'

listed=$(sed -n '/runtime-packages-begin/,/runtime-packages-end/p' Dockerfile |
  sed -n 's/^ *\([a-z0-9][a-z0-9.+-]*\) *\\$/\1/p' | sort -u)
[ -n "$listed" ] || fail "no runtime package list in the Dockerfile"

paths=""
for bin in checkind checkinctl; do
  [ -x "$build/$bin" ] || fail "$build/$bin not built"
  resolved=$(ldd "$build/$bin")
  for lib in $(readelf -d "$build/$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    path=$(printf '%s\n' "$resolved" | awk -v l="$lib" '$1 == l && !found { print $3; found = 1 }')
    [ -n "$path" ] && [ -e "$path" ] || fail "$bin: cannot resolve $lib"
    paths="$paths $(readlink -f "$path")"
  done
done
paths=$(printf '%s\n' $paths | sort -u)
# One dpkg -S for all (it is slow per call); merged /usr: dpkg may know a
# file under /lib rather than /usr/lib, so ask for both spellings.
owners=$(dpkg -S $paths $(printf '%s\n' $paths | sed -n 's#^/usr/#/#p') 2>/dev/null || true)
needed=""
for path in $paths; do
  pkg=$(printf '%s\n' "$owners" | awk -v p="$path" -v q="${path#/usr}" \
    '{ f = $NF } (f == p || f == q) && !found { sub(/:.*/, "", $1); print $1; found = 1 }')
  [ -n "$pkg" ] || fail "no Debian package owns $path"
  needed="$needed $pkg"
done
needed=$(printf '%s\n' $needed | sort -u | grep -vxF -f <(printf '%s\n' $base_image) | grep -vE "$sanitizer" || true)

missing=$(comm -23 <(printf '%s\n' $needed) <(printf '%s\n' $listed))
extra=$(comm -13 <(printf '%s\n' $needed) <(printf '%s\n' $listed) | grep -vxF -f <(printf '%s\n' $non_library) || true)
echo "linked (packages): $(echo $needed)"
echo "Dockerfile lists:  $(echo $listed)"
[ -z "$missing" ] || fail "the Dockerfile's runtime stage lacks: $(echo $missing)"
[ -z "$extra" ] || fail "the Dockerfile installs packages nothing links: $(echo $extra)"

# The user and group: USER U:G, useradd --uid U --gid G, groupadd --gid G.
user_line=$(sed -n 's/^USER \([0-9]*\):\([0-9]*\) *$/\1 \2/p' Dockerfile)
[ -n "$user_line" ] || fail "no numeric USER uid:gid line"
read -r uid gid <<<"$user_line"
# The RUN that makes them, its continuation lines joined.
accounts=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' Dockerfile | grep -E '^RUN .*useradd' || true)
[ -n "$accounts" ] || fail "no RUN with useradd"
grep -Eq "groupadd [^&]*--gid $gid( |$)" <<<"$accounts" || fail "no groupadd --gid $gid for USER $uid:$gid"
grep -Eq "useradd [^&]*--uid $uid( |$)" <<<"$accounts" || fail "useradd does not make uid $uid"
grep -Eq "useradd [^&]*--gid $gid( |$)" <<<"$accounts" || fail "useradd does not put uid $uid in gid $gid"
echo "user: uid $uid, gid $gid (groupadd and useradd agree)"

# The health check reads the file the daemon is started with.
cmd_config=$(sed -n 's/^CMD \[.*"--config", *"\([^"]*\)".*/\1/p' Dockerfile)
probe_config=$(sed -n 's/^ *CMD \["\/usr\/bin\/checkind".*"--config", *"\([^"]*\)".*"--healthcheck".*/\1/p' Dockerfile)
[ -n "$cmd_config" ] && [ "$probe_config" = "$cmd_config" ] ||
  fail "HEALTHCHECK reads '$probe_config', CMD starts checkind with '$cmd_config'"
echo "health check: checkind --healthcheck on $cmd_config"

# One mount path in the Dockerfile's header and in the docs.
mounts() { grep -o -- '-v [^ ]*:/etc/checkin[^ ]*' "$1" | sort -u; }
header=$(mounts Dockerfile)
docs=$(mounts docs/operations.md)
[ -n "$header" ] && [ "$(wc -l <<<"$header")" = 1 ] || fail "the Dockerfile header shows no single config mount: $header"
[ -n "$docs" ] && [ "$(printf '%s\n' "$docs" | grep -cvxF -- "$header")" = 0 ] ||
  fail "docs/operations.md mounts $(echo $docs), the Dockerfile $header"
echo "config mount: $header"
echo "PASS"
