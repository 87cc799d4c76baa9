/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - _start, the first user instruction of every capOS program.
 *
 * Entry (abi/layout.h): RDI = ring page, RSI = pid, RDX = CapSet page,
 * RSP = USER_STACK_TOP (16-byte aligned), other registers zero.  We zero
 * RBP (ends frame-pointer backtraces), re-align RSP anyway, and call
 * capos_rt_init(ring, pid, capset) with the registers as they came; then
 * main(), then capos_rt_exit(main's return value), which runs the exit
 * hooks (stdout flush) and exits.  Nothing returns here.
 */
    .section .text.start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call capos_rt_init
    call main
    movslq %eax, %rdi
    call capos_rt_exit
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
