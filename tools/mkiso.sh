#!/usr/bin/env bash
# mkiso.sh KERNEL OUT.iso [CMDLINE] [MODULE NAME]... - a GRUB Multiboot2 ISO
# (hybrid BIOS + UEFI when grub-efi-amd64-bin is installed).
set -eu
kernel=$1; out=$2; cmdline=${3:-}; shift 3 || shift $#
root=$(mktemp -d "${out%.iso}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/capos.elf"
{
    echo "set timeout=0"
    echo "set default=0"
    echo "menuentry \"capOS\" {"
    echo "  multiboot2 /boot/capos.elf $cmdline"
    while [ $# -ge 2 ]; do
        cp "$1" "$root/boot/$2"
        echo "  module2 /boot/$2 $2"
        shift 2
    done
    echo "  boot"
    echo "}"
} > "$root/boot/grub/grub.cfg"
if ! grub-mkrescue -o "$out" "$root" > "$out.log" 2>&1; then
    cat "$out.log" >&2
    exit 1
fi
