#!/usr/bin/env bash
# debsrc.sh PKG DIR - Debian's source package PKG, unpacked unmodified into
# DIR (Debian's own patches applied by dpkg-source, nothing else).
#
# Fetched with `apt-get source` from the deb-src line tools/deps.sh adds;
# the download is kept in $(dirname DIR)/dl so a rebuild needs no network.
# DIR/.debsrc-version records the version unpacked.  Idempotent: an
# existing DIR is left alone.
set -eu
pkg=$1
dir=$2
[ -f "$dir/.debsrc-version" ] && exit 0
dl=$(dirname "$dir")/dl/$pkg
mkdir -p "$dl"
if ! ls "$dl"/*.dsc >/dev/null 2>&1; then
    (cd "$dl" && apt-get source --download-only -q "$pkg" 2>&1 | grep -v "unsandboxed" >/dev/null; ls *.dsc >/dev/null 2>&1) || {
        echo "debsrc: 'apt-get source $pkg' failed: tools/deps.sh adds the" \
             "deb-src line (as root), then apt-get update" >&2
        exit 1
    }
fi
dsc=$(ls "$dl"/*.dsc | head -1)
rm -rf "$dir.tmp"
dpkg-source -x "$dsc" "$dir.tmp" >"$dl/unpack.log" 2>&1 || {
    cat "$dl/unpack.log" >&2
    exit 1
}
sed -n 's/^Version: //p' "$dsc" > "$dir.tmp/.debsrc-version"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
