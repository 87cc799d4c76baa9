/* SPDX-License-Identifier: MIT */
/*
 * crt1.S - entry point of a POSIX (musl) program: the kernel's entry
 * registers (RDI = ring, RSI = pid, RDX = CapSet) go unchanged to
 * capos_posix_start (start.c), which never returns.
 */
    .section .text.start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call capos_posix_start
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
