/*
 * syscall.h - the two capOS system calls (SYSCALL instruction).
 *
 * RAX = number, RDI/RSI = arguments, result in RAX; RCX and R11 are
 * clobbered (SYSCALL/SYSRET), all other registers are preserved.
 *
 *   SYS_CAP_ENTER(min_complete, timeout_ns) -> completions available (>= 0)
 *       Process pending submissions of the caller's ring, then wait until
 *       at least min_complete completions are available or timeout_ns
 *       passes (UINT64_MAX = no timeout, 0 = do not wait).
 *       Returns -CAP_ERR_INVALID_REQUEST (negative) if min_complete
 *       exceeds RING_CQ_ENTRIES.
 *   SYS_EXIT(code) -> does not return
 */
#pragma once

#define SYS_CAP_ENTER 0
#define SYS_EXIT      1
#define SYS__COUNT    2

#define CAP_ENTER_NO_TIMEOUT 0xffffffffffffffffull
