/* SPDX-License-Identifier: MIT */
/*
 * fake_kernel.h - a test double of the kernel side of the capability ring,
 * for host tests of lib/capos.
 *
 * Theory of operation: struct fake_kernel owns a ring page (laid out as in
 * abi/ring.h) and the kernel-private indices.  fake_enter() has the shape
 * of capos_enter_fn: it drains SQEs (at most drain_limit per call, and
 * never more than the CQ can take, as the real kernel does), answers each
 * through `handler`, and posts CQEs.  A handler may defer a completion;
 * deferred completions are posted newest first (out of order on purpose)
 * when the caller waits for more completions than are available.  Indices
 * can start anywhere (e.g. near UINT32_MAX) to test wrap-around.
 */
#pragma once

#include <abi/ring.h>
#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAX_DEFERRED 64

enum fake_verdict { FAKE_NOW, FAKE_DEFER };

struct fake_kernel;

/* Produce the completion for sqe into *cqe (user_data is set already). */
typedef enum fake_verdict (*fake_handler_fn)(struct fake_kernel *k,
                                             const struct ring_sqe *sqe,
                                             struct ring_cqe *cqe);

struct fake_kernel {
    uint64_t page[RING_PAGE_SIZE / 8];  /* the shared ring page */
    uint32_t sq_head, cq_tail;          /* kernel-private indices */
    fake_handler_fn handler;            /* NULL: NOP-style result 0 */
    void *ctx;                          /* for the handler */
    uint32_t drain_limit;               /* SQEs per enter, 0 = no limit */
    bool fail_enter;                    /* enter returns -1 */
    bool stuck;                         /* enter consumes nothing */
    struct ring_cqe deferred[FAKE_MAX_DEFERRED];
    uint32_t ndeferred;
    uint32_t enters, consumed;          /* statistics */
    struct ring_sqe last_sqe;           /* most recently consumed */
};

/* Fresh page, all four indices = start. */
void fake_init(struct fake_kernel *k, uint32_t start);
/* cap_enter semantics (see above); ctx is the fake_kernel. */
int64_t fake_enter(void *ctx, uint64_t min_complete, uint64_t timeout_ns);
/* Post all deferred completions now (newest first) if there is room. */
void fake_post_deferred(struct fake_kernel *k);
/* Header of the page. */
struct ring_header *fake_hdr(struct fake_kernel *k);
