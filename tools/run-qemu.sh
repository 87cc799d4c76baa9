#!/usr/bin/env bash
# run-qemu.sh MODE KERNEL [EXTRA QEMU ARGS...] - the one QEMU wrapper.
#
# MODE: pvh  - `-kernel` direct boot (PVH note) with qboot: the fastest path
#       iso  - build/capos.iso through GRUB under SeaBIOS
#       uefi - build/capos.iso through GRUB under OVMF
# Environment: KVM=1 uses KVM (only on machines with real virtualization;
# never chosen automatically), GDB=1 waits for gdb on :1234, SERIAL=file:X
# sends the serial console to a file instead of stdio, APPEND="..." sets the
# kernel command line (pvh only), INITRD=file passes a boot module (pvh),
# MEM (default 256M), SMP (default 1), DISK=file attaches a raw image as a
# modern virtio-blk PCI function (1af4:1042, MSI-X).
set -eu
mode=$1; kernel=$2; shift 2
iso=${ISO_IMAGE:-build/capos.iso}
qemu=qemu-system-x86_64
args=(-machine q35 -m "${MEM:-256M}" -smp "${SMP:-1}" -display none
      -no-reboot -nodefaults -no-user-config
      -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -serial "${SERIAL:-mon:stdio}")
if [ -n "${DISK:-}" ]; then
    args+=(-drive "file=$DISK,if=none,id=disk0,format=raw,cache=writeback"
           -device virtio-blk-pci,drive=disk0,disable-legacy=on)
fi
if [ "${KVM:-0}" = 1 ]; then
    args+=(-accel kvm -cpu host); accel=kvm
else
    args+=(-accel tcg -cpu max); accel=tcg
fi
case "$mode" in
pvh)
    if [ -r /usr/share/qemu/qboot.rom ]; then
        args+=(-bios /usr/share/qemu/qboot.rom); fw=qboot
    else
        fw=seabios
    fi
    args+=(-kernel "$kernel")
    [ -n "${APPEND:-}" ] && args+=(-append "$APPEND")
    [ -n "${INITRD:-}" ] && args+=(-initrd "$INITRD")
    ;;
iso)  args+=(-cdrom "$iso"); fw=seabios ;;
uefi) args+=(-bios /usr/share/ovmf/OVMF.fd -cdrom "$iso"); fw=ovmf ;;
*) echo "run-qemu.sh: unknown mode $mode" >&2; exit 2 ;;
esac
if [ "${GDB:-0}" = 1 ]; then
    args+=(-s -S)
    echo "qemu: waiting for gdb on localhost:1234 (run 'gdb' in the project root)" >&2
fi
[ "${SERIAL:-}" = "" ] && echo "qemu: accel=$accel firmware=$fw boot=$mode ($($qemu --version | head -n1)); quit with Ctrl-a x" >&2
exec $qemu "${args[@]}" "$@"
