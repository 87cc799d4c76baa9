/* SPDX-License-Identifier: MIT */
/*
 * lbench.h - the Linux guest benchmark (/init of a throw-away initramfs):
 * the workloads of docs/performance.md, Linux side.  bench.c runs the
 * single-process workloads and the boot figures; uring.c the raw io_uring
 * NOPs; pair.c everything that needs a second process (ping-pongs,
 * SCM_RIGHTS, 1 MiB transfers).  Report lines come from user/bench/bench.h,
 * shared with the capOS driver.
 */
#pragma once

#include <stdint.h>

#include "bench.h"

/* Operation counts per trial; all are divided by bench_scale in smoke
 * mode (argv[1] == "smoke"). */
extern uint64_t bench_scale;

/* n scaled down in smoke mode, at least 1. */
uint64_t lb_n(uint64_t n);

/* Exit with a message on a failed system call (outside timed regions). */
_Noreturn void lb_die(const char *what);

/* io_uring NOP, batch 1 and batch 16 (skipped with a note when the
 * kernel refuses io_uring). */
void lb_uring(void);

/* Two-process workloads: pipe/futex/eventfd ping-pong, SCM_RIGHTS, 1 MiB
 * through a pipe and through a memfd mapping. */
void lb_pairs(void);
