/* SPDX-License-Identifier: MIT */
/*
 * tiny.c - the program the spawn benchmark starts ("bench_tiny"): no
 * runtime, no crt0, one page of code that exits 0 at its first
 * instruction (the counterpart of tools/bench/linux/tiny.c).  Linked
 * with user/user.ld, which puts .text.start first.
 */
#include <abi/syscall.h>

void _start(void);

__attribute__((section(".text.start"), noreturn)) void _start(void)
{
    __asm__ volatile("syscall" : : "a"(SYS_EXIT), "D"(0) : "rcx", "r11",
                     "memory");
    __builtin_unreachable();
}
