#!/usr/bin/env bash
# fetch-linux.sh DIR - fetch Debian's Linux kernel for the benchmark guest.
#
# Picks the newest linux-image-<ver>-amd64-unsigned package apt-cache can
# download (Debian 12: 6.1.0-N), fetches it with `apt-get download` (never
# installs anything on the host), unpacks it with dpkg-deb -x into
# DIR/root and leaves DIR/vmlinuz and DIR/version (package
# name and version).  Does nothing if DIR/vmlinuz already exists.  Runs
# `apt-get update` once (as root) if no candidate is found.
set -eu
dir=$1
[ -s "$dir/vmlinuz" ] && exit 0
mkdir -p "$dir"

pick() {
    apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-amd64-unsigned$' |
        awk '{print $1}' | sort -V -r | while read -r p; do
            cand=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
            if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
                echo "$p $cand"; break
            fi
        done
}

sel=$(pick)
if [ -z "$sel" ] && [ "$(id -u)" -eq 0 ]; then
    apt-get update -q >&2
    sel=$(pick)
fi
if [ -z "$sel" ]; then
    echo "fetch-linux: no linux-image-*-amd64-unsigned package available" >&2
    echo "  (run 'apt-get update' as root, then make bench again)" >&2
    exit 1
fi
set -- $sel
pkg=$1; ver=$2
echo "  FETCH   $pkg $ver"
tmp=$(mktemp -d "$dir/dl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1 ||
    apt-get download "$pkg=$ver")
rm -rf "$dir/root"
dpkg-deb -x "$tmp"/*.deb "$dir/root"
echo "$pkg $ver" > "$dir/version"
cp "$dir"/root/boot/vmlinuz-* "$dir/vmlinuz.tmp"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
