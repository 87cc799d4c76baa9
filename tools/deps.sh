#!/usr/bin/env bash
# deps.sh - install the Debian packages capOS needs, and only the missing ones.
#
# Called first by `make run`, `make test` and .ci/run.  As root it installs
# what is missing with apt-get; otherwise it prints the exact command and
# stops.  This list is the one place the Debian packages are named.  It also makes
# Debian's source packages reachable (a deb-src line for bookworm main), for
# the third-party code tools/debsrc.sh unpacks (musl, Lua; docs/posix.md).
set -eu
SRC_LIST=/etc/apt/sources.list.d/capos-deb-src.list
need_src() { ! apt-cache showsrc musl 2>/dev/null | grep -q '^Package: musl'; }
if need_src; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "capOS needs Debian source packages (apt-get source musl)." >&2
        echo "As root: echo 'deb-src http://deb.debian.org/debian bookworm main'" \
             "> $SRC_LIST && apt-get update" >&2
        exit 1
    fi
    grep -rqsE '^deb-src|^Types:.*deb-src' /etc/apt/sources.list \
        /etc/apt/sources.list.d/ ||
        echo 'deb-src http://deb.debian.org/debian bookworm main' > "$SRC_LIST"
    echo "deps: fetching the Debian source index"
    apt-get update -q
fi
PKGS="build-essential clang lld python3 gdb qemu-system-x86 grub-pc-bin
grub-common grub-efi-amd64-bin xorriso mtools ovmf capnproto libcapnp-dev
libclang-rt-14-dev cppcheck clang-tidy cpio lua5.4"
missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        "install ok installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "capOS needs these Debian packages:$missing" >&2
    echo "Install them as root with:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
    exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
