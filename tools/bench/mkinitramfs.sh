#!/usr/bin/env bash
# mkinitramfs.sh OUT INIT [FILE...] - a deterministic newc cpio archive
# with INIT as /init, each FILE in /, and an empty /dev (the benchmark
# mounts devtmpfs there).  Same inputs, same bytes: fixed mtimes (epoch
# 0), owner 0:0, fixed modes, entries sorted, cpio --reproducible.
set -eu
out=$1; init=$2; shift 2
stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/dev"
install -m 0755 "$init" "$stage/init"
for f in "$@"; do install -m 0755 "$f" "$stage/$(basename "$f")"; done
chmod 0755 "$stage" "$stage/dev"
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc --reproducible -R 0:0 --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
