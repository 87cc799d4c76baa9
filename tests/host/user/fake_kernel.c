/* SPDX-License-Identifier: MIT */
/*
 * fake_kernel.c - the test double of the kernel ring (see fake_kernel.h).
 */
#include <string.h>

#include "fake_kernel.h"

/* Header of the fake ring page. */
struct ring_header *fake_hdr(struct fake_kernel *k)
{
    return (struct ring_header *)(void *)k->page;
}

/* Fresh page with all indices at start. */
void fake_init(struct fake_kernel *k, uint32_t start)
{
    struct ring_header *h;

    memset(k, 0, sizeof(*k));
    h = fake_hdr(k);
    h->sq_mask = RING_SQ_ENTRIES - 1;
    h->cq_mask = RING_CQ_ENTRIES - 1;
    h->abi_version = RING_ABI_VERSION;
    h->sq_head = h->sq_tail = h->cq_head = h->cq_tail = start;
    k->sq_head = k->cq_tail = start;
}

/* Unconsumed CQEs per the user's cq_head. */
static uint32_t cq_used(struct fake_kernel *k)
{
    return k->cq_tail - __atomic_load_n(&fake_hdr(k)->cq_head,
                                        __ATOMIC_ACQUIRE);
}

/* Post one CQE (counted as overflow if the CQ is full). */
static void post(struct fake_kernel *k, const struct ring_cqe *cqe)
{
    struct ring_cqe *cq = (struct ring_cqe *)((char *)k->page + RING_CQ_OFFSET);

    if (cq_used(k) >= RING_CQ_ENTRIES) {
        fake_hdr(k)->cq_overflow++;
        return;
    }
    cq[k->cq_tail & (RING_CQ_ENTRIES - 1)] = *cqe;
    k->cq_tail++;
    __atomic_store_n(&fake_hdr(k)->cq_tail, k->cq_tail, __ATOMIC_RELEASE);
}

/* Post deferred completions newest first. */
void fake_post_deferred(struct fake_kernel *k)
{
    while (k->ndeferred > 0 && cq_used(k) < RING_CQ_ENTRIES)
        post(k, &k->deferred[--k->ndeferred]);
}

/* Consume one SQE and answer it. */
static void consume(struct fake_kernel *k)
{
    struct ring_sqe *sq = (struct ring_sqe *)((char *)k->page + RING_SQ_OFFSET);
    struct ring_cqe cqe = {0};
    enum fake_verdict v = FAKE_NOW;

    k->last_sqe = sq[k->sq_head & (RING_SQ_ENTRIES - 1)];
    k->sq_head++;
    __atomic_store_n(&fake_hdr(k)->sq_head, k->sq_head, __ATOMIC_RELEASE);
    k->consumed++;
    cqe.user_data = k->last_sqe.user_data;
    if (k->handler)
        v = k->handler(k, &k->last_sqe, &cqe);
    if (v == FAKE_DEFER && k->ndeferred < FAKE_MAX_DEFERRED)
        k->deferred[k->ndeferred++] = cqe;
    else
        post(k, &cqe);
}

/* cap_enter: drain, answer, maybe post deferred, report available. */
int64_t fake_enter(void *ctx, uint64_t min_complete, uint64_t timeout_ns)
{
    struct fake_kernel *k = ctx;
    uint32_t n = 0;

    (void)timeout_ns;
    k->enters++;
    if (k->fail_enter)
        return -1;
    while (!k->stuck &&
           __atomic_load_n(&fake_hdr(k)->sq_tail, __ATOMIC_ACQUIRE) !=
               k->sq_head &&
           cq_used(k) + k->ndeferred < RING_CQ_ENTRIES &&
           (k->drain_limit == 0 || n < k->drain_limit)) {
        consume(k);
        n++;
    }
    if (cq_used(k) < min_complete)
        fake_post_deferred(k);
    return cq_used(k);
}
