/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - _start, the first user instruction of every capOS program.
 *
 * Entry (abi/layout.h): RDI = ring page, RSI = pid, RDX = CapSet page,
 * RSP = USER_STACK_TOP (16-byte aligned), other registers zero.  We zero
 * RBP (ends frame-pointer backtraces), re-align RSP anyway, and call
 * capos_rt_init(ring, pid, capset) with the registers as they came; then
 * capos_rt_run_main, which calls main(argc, argv) with the CapSet's
 * arguments and passes its return value to capos_rt_exit (exit hooks,
 * stdout flush, exit).  Nothing returns here.
 */
    .section .text.start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    and $-16, %rsp
    call capos_rt_init
    call capos_rt_run_main
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
