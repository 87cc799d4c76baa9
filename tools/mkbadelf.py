#!/usr/bin/env python3
"""mkbadelf.py GOOD.elf VARIANT OUT.elf - write a deliberately malformed
copy of a valid static ELF64 for the loader's system tests.

Variants: truncated, magic, wx, kernel_vaddr, filesz, entry, dynamic.
"""
import struct
import sys


def phdrs(data):
    """(offset, p_type, p_flags) of every program header."""
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    out = []
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, p_flags = struct.unpack_from("<II", data, off)
        out.append((off, p_type, p_flags))
    return out


def first_load(data, want_exec=False):
    for off, p_type, p_flags in phdrs(data):
        if p_type == 1 and (not want_exec or p_flags & 1):
            return off
    raise SystemExit("mkbadelf: no suitable PT_LOAD")


def mutate(data, variant):
    if variant == "truncated":
        return data[:100]
    if variant == "magic":
        data[1] = ord("X")
    elif variant == "wx":
        struct.pack_into("<I", data, first_load(data, True) + 4, 7)
    elif variant == "kernel_vaddr":
        off = first_load(data)
        struct.pack_into("<QQ", data, off + 16, 0xffffffff80000000, 0xffffffff80000000)
    elif variant == "filesz":
        off = first_load(data)
        memsz, = struct.unpack_from("<Q", data, off + 40)
        struct.pack_into("<Q", data, off + 32, memsz + 4096)
    elif variant == "entry":
        struct.pack_into("<Q", data, 24, 0x10)
    elif variant == "dynamic":
        struct.pack_into("<H", data, 16, 3)
    else:
        raise SystemExit("mkbadelf: unknown variant " + variant)
    return data


def main():
    good, variant, out = sys.argv[1:4]
    with open(good, "rb") as f:
        data = bytearray(f.read())
    with open(out, "wb") as f:
        f.write(mutate(data, variant))


if __name__ == "__main__":
    main()
