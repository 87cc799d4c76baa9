#!/usr/bin/env bash
# mkshadow.sh SRC DST GLUE - the musl tree capOS builds: a tree of symlinks
# to Debian's unmodified musl source SRC, plus the capOS architecture
# "capos" (docs/posix.md).
#
#   DST/...                    symlinks to every file of SRC
#   DST/arch/capos/            arch/x86_64's files, except syscall_arch.h,
#                              which is GLUE/syscall_arch.h (calls into
#                              lib/posix instead of `syscall`)
#   DST/tools/add-cfi.capos.awk
#                              x86_64's (CFI for the assembly files)
#   DST/src/*/capos/, crt/capos/
#                              arch/x86_64's assembly and C overrides,
#                              except every file containing a `syscall`
#                              instruction: musl's generic C version of
#                              those goes through __syscallN instead
#
# Building with ARCH=capos then uses only these.  Nothing of SRC changes.
set -eu
src=$(realpath "$1")
dst=$2
glue=$(realpath "$3")
rm -rf "$dst"
mkdir -p "$(dirname "$dst")"
cp -rs "$src" "$dst"
mkdir "$dst/arch/capos"
for f in "$src"/arch/x86_64/*; do
    b=$(basename "$f")
    [ "$b" = syscall_arch.h ] && continue
    ln -s "$f" "$dst/arch/capos/$b"
done
ln -s "$glue/syscall_arch.h" "$dst/arch/capos/syscall_arch.h"
# The assembler's CFI annotations are x86_64's.
ln -s "$src/tools/add-cfi.x86_64.awk" "$dst/tools/add-cfi.capos.awk"
for d in "$src"/src/*/x86_64 "$src"/crt/x86_64; do
    rel=${d#"$src"/}
    out="$dst/${rel%/x86_64}/capos"
    mkdir -p "$out"
    for f in "$d"/*; do
        if grep -qw syscall "$f"; then
            echo "  MUSL    leaves out ${rel}/$(basename "$f") (syscall instruction)"
            continue
        fi
        ln -s "$f" "$out/$(basename "$f")"
    done
done
