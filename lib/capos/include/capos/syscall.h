/* SPDX-License-Identifier: MIT */
/*
 * syscall.h - the two capOS system calls, as seen from user space.
 *
 * Theory of operation: everything a program does goes through the
 * capability ring (capos/ring.h); the only traps are cap_enter, which makes
 * the kernel process submissions and optionally wait for completions, and
 * exit.  Both are `syscall` instructions (abi/syscall.h: RAX = number,
 * RDI/RSI = arguments, RAX = result, RCX/R11 clobbered), implemented in
 * lib/capos/syscall.c.  That file is the link-time seam: host tests link a
 * fake kernel instead and never call these.
 */
#pragma once

#include <abi/syscall.h>
#include <stdint.h>

/* Process pending SQEs, then wait until min_complete completions are
 * unconsumed or timeout_ns passes (CAP_ENTER_NO_TIMEOUT = forever, 0 = no
 * wait).  Returns the number of unconsumed completions, or a negative
 * CAP_ERR_* (min_complete > RING_CQ_ENTRIES). */
int64_t capos_cap_enter(uint64_t min_complete, uint64_t timeout_ns);

/* End the calling process with `code`; never returns. */
_Noreturn void capos_exit(int64_t code);
