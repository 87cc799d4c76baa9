/* SPDX-License-Identifier: MIT */
/*
 * ring.h - the user-side capability ring client.
 *
 * Theory of operation
 *
 * A struct capos_ring wraps the shared ring page (abi/ring.h).  The process
 * owns sq_tail and cq_head; the kernel owns sq_head and cq_tail.  The client
 * keeps its own copies of the indices it owns and publishes them with
 * release stores; it reads the kernel's with acquire loads.  Indices are
 * free-running u32 counters (slot = index & mask), so all arithmetic is
 * modular and wrap-around at 2^32 is a non-event.
 *
 * Submission copies an SQE into the next SQ slot and bumps sq_tail.  When
 * the SQ is full the client enters the kernel (no wait) to drain it.
 *
 * Completions can arrive out of order (Timer.sleep completes later than a
 * Console write submitted after it), so waiting is by user_data: the client
 * reaps every CQE it sees; the one asked for is returned, the others are
 * kept in a small pending table until someone waits for them.  Nothing is
 * lost: the client admits at most CAPOS_RING_MAX_INFLIGHT requests whose
 * completions have not been handed out, which is both the CQ size (so the
 * kernel never has to stop for a full CQ) and the pending table size (so
 * reaping never has to drop an entry).
 *
 * The kernel is entered through an `enter` function pointer: the real
 * cap_enter syscall in programs, a fake kernel in host tests.
 *
 * Not thread-safe: one ring client per process (capOS gives one ring per
 * process), used by one thread.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <abi/syscall.h>
#include <stdbool.h>
#include <stdint.h>

#define CAPOS_RING_MAX_INFLIGHT RING_CQ_ENTRIES

/* Enter the kernel: cap_enter semantics (see capos/syscall.h). */
typedef int64_t (*capos_enter_fn)(void *ctx, uint64_t min_complete,
                                  uint64_t timeout_ns);

struct capos_ring {
    struct ring_header *hdr;   /* shared page header */
    struct ring_sqe *sq;       /* shared SQ array */
    struct ring_cqe *cq;       /* shared CQ array */
    capos_enter_fn enter;
    void *enter_ctx;
    uint32_t sq_tail;          /* our copy of the published sq_tail */
    uint32_t cq_head;          /* our copy of the published cq_head */
    uint32_t inflight;         /* submitted, completion not handed out */
    uint32_t npending;         /* entries used in pending[] */
    uint64_t next_user_data;   /* for capos_ring_user_data() */
    struct ring_cqe pending[CAPOS_RING_MAX_INFLIGHT]; /* reaped, unclaimed */
};

/* Attach to the ring page at `page`.  ERR_BADFORMAT if the header's masks
 * or ABI version do not match abi/ring.h, ERR_INVAL for NULL arguments. */
err_t capos_ring_init(struct capos_ring *r, void *page, capos_enter_fn enter,
                      void *enter_ctx);

/* A fresh user_data value (never 0, never repeats in practice). */
uint64_t capos_ring_user_data(struct capos_ring *r);

/* Queue one SQE (copied).  Does not enter the kernel unless the SQ is full.
 * ERR_FULL: CAPOS_RING_MAX_INFLIGHT requests outstanding, or the kernel
 * did not drain a full SQ; ERR_FAULT: cap_enter failed. */
err_t capos_ring_submit(struct capos_ring *r, const struct ring_sqe *sqe);

/* Queue n SQEs, then enter the kernel once without waiting.  Returns the
 * first error of capos_ring_submit; *queued (may be NULL) gets how many
 * were queued before it. */
err_t capos_ring_submit_batch(struct capos_ring *r,
                              const struct ring_sqe *sqes, uint32_t n,
                              uint32_t *queued);

/* Make the kernel process everything queued (cap_enter(0, 0)).
 * ERR_FAULT if cap_enter returns an error. */
err_t capos_ring_flush(struct capos_ring *r);

/* One cap_enter that returns once min_complete completions are in the CQ
 * (or timeout_ns passed): e.g. a RETURN and the next RECV in one entry.
 * Errors as capos_ring_flush. */
err_t capos_ring_enter(struct capos_ring *r, uint32_t min_complete,
                       uint64_t timeout_ns);

/* Wait for the completion with `user_data` and copy it to *out.  Other
 * completions seen meanwhile are kept for later.  timeout_ns applies to
 * each wait in the kernel (CAP_ENTER_NO_TIMEOUT = forever, 0 = poll).
 * ERR_TIMEOUT if it did not arrive, ERR_FULL if the pending table is full
 * of unrelated completions, ERR_FAULT on a kernel error or a corrupt
 * cq_tail. */
err_t capos_ring_wait(struct capos_ring *r, uint64_t user_data,
                      uint64_t timeout_ns, struct ring_cqe *out);

/* Take any one completion (pending ones first, oldest first).  Errors as
 * capos_ring_wait. */
err_t capos_ring_wait_any(struct capos_ring *r, uint64_t timeout_ns,
                          struct ring_cqe *out);

/* Submit, enter and wait for one SQE (its user_data is replaced by a fresh
 * one).  *out gets the CQE.  Errors: as submit/wait (transport errors are
 * not errors here: look at out->result). */
err_t capos_ring_call_sqe(struct capos_ring *r, struct ring_sqe *sqe,
                          struct ring_cqe *out);

/* Number of completions reaped but not yet claimed. */
uint32_t capos_ring_pending(const struct capos_ring *r);
