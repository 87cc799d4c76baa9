/* SPDX-License-Identifier: MIT */
/*
 * rt.h - the capOS user runtime: process start-up state and synchronous
 * capability calls.
 *
 * Theory of operation: crt0's _start(ring, pid, capset) calls
 * capos_rt_init(), which attaches the process-wide ring client to the ring
 * page and parses the CapSet page once; then main() runs, and its return
 * value goes to capos_rt_exit(), which runs the exit hooks (the libc flushes
 * stdout there) and exits.  capos_rt_setup() is the same initialisation with
 * an explicit `enter` function, used by host tests with a fake kernel.
 *
 * capos_call() is the synchronous call every typed wrapper is built on: one
 * CALL SQE, wait for its completion, and one error value.  Errors are the
 * capOS codes of abi/errors.def (0 = ERR_OK): a transport error in the CQE
 * becomes cqe.aux when the kernel supplied one (INVOKE_FAILED, exceptions),
 * otherwise a fixed mapping (capos_cqe_err).  The full CQE is still
 * returned for callers that want the transport code or a result cap.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <capos/ring.h>
#include <stddef.h>
#include <stdint.h>

#define CAPOS_RT_MAX_EXIT_HOOKS 4

/* Entry-point initialisation (called by crt0 only).  On failure (bad ring
 * or CapSet page) the process exits with code 127. */
void capos_rt_init(void *ring, uint64_t pid, const void *capset);

/* Initialisation with an explicit kernel entry (host tests).  Returns
 * ERR_BADFORMAT for a bad ring header or CapSet message; capset may be
 * NULL (an empty CapSet). */
err_t capos_rt_setup(void *ring, uint64_t pid, const void *capset,
                     size_t capset_len, capos_enter_fn enter, void *ctx);

/* The process-wide ring client. */
struct capos_ring *capos_rt_ring(void);

/* The pid passed at entry. */
uint64_t capos_rt_pid(void);

/* Register fn to run at capos_rt_exit (last registered runs first).
 * ERR_FULL beyond CAPOS_RT_MAX_EXIT_HOOKS. */
err_t capos_rt_atexit(void (*fn)(void));

/* Run the exit hooks, then exit with code. */
_Noreturn void capos_rt_exit(int64_t code);

/* Target only, called by crt0: main(argc, argv) from the CapSet's args
 * (argv[0] = the process name), then capos_rt_exit with its result. */
_Noreturn void capos_rt_run_main(void);

/* Run the exit hooks once (later calls do nothing); used by capos_rt_exit
 * and by tests. */
void capos_rt_run_exit_hooks(void);

/* The capOS error a completion stands for: ERR_OK if result >= 0. */
err_t capos_cqe_err(const struct ring_cqe *cqe);

/* Call `method` of cap_id with a framed params message (NULL/0 = empty
 * params) and a result buffer; wait for the result.  *out (may be NULL) gets
 * the CQE: out->result is the result size on success.  Returns 0 or the
 * capOS error (capos_cqe_err), or a ring error (ERR_FULL, ERR_TIMEOUT,
 * ERR_FAULT). */
err_t capos_call(uint32_t cap_id, uint16_t method, const void *params,
                 uint32_t params_len, void *result, uint32_t result_len,
                 struct ring_cqe *out);

/* capos_call on an explicit ring client. */
err_t capos_ring_call(struct capos_ring *r, uint32_t cap_id, uint16_t method,
                      const void *params, uint32_t params_len, void *result,
                      uint32_t result_len, struct ring_cqe *out);

/* Drop cap_id from the caller's table.  ERR_BADCAP/ERR_REVOKED (from
 * cqe.aux) if it was not a live cap, or a ring error. */
err_t capos_release(uint32_t cap_id);

/* capos_release on an explicit ring client. */
err_t capos_ring_release(struct capos_ring *r, uint32_t cap_id);
