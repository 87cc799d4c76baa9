/* SPDX-License-Identifier: MIT */
/*
 * syscall.c - the SYSCALL instruction wrappers (target only; host tests
 * replace the ring's `enter` function instead).
 *
 * ABI (abi/syscall.h): RAX = number, RDI/RSI = arguments, result in RAX;
 * the CPU clobbers RCX (return RIP) and R11 (RFLAGS).  "memory" makes the
 * compiler finish every store to the ring before the trap and reload
 * afterwards.
 */
#include <capos/syscall.h>

/* cap_enter(min_complete, timeout_ns). */
int64_t capos_cap_enter(uint64_t min_complete, uint64_t timeout_ns)
{
    int64_t ret;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"((uint64_t)SYS_CAP_ENTER), "D"(min_complete),
                       "S"(timeout_ns)
                     : "rcx", "r11", "memory");
    return ret;
}

/* exit(code); never returns. */
_Noreturn void capos_exit(int64_t code)
{
    __asm__ volatile("syscall"
                     :
                     : "a"((uint64_t)SYS_EXIT), "D"(code)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}
