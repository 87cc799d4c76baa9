/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the user-side ring client: submission, reaping and matching of
 * completions by user_data.
 *
 * Theory of operation (see capos/ring.h for the contract)
 *
 *  - Submit: slot = sq_tail & mask; the SQE is copied in, then sq_tail is
 *    published with a release store so the kernel sees the whole entry.
 *    "SQ full" is `sq_tail - sq_head == RING_SQ_ENTRIES` with the kernel's
 *    sq_head read by acquire load; then we cap_enter(0, 0) and re-check.
 *  - Reap: every CQE between our cq_head and the kernel's cq_tail (acquire)
 *    is copied out of the shared page and cq_head is published (release)
 *    right away, so the kernel can reuse the slot.  A copied CQE either is
 *    the one being waited for or goes into pending[].
 *  - In flight: incremented by submit, decremented when a completion is
 *    handed to the caller.  Submit refuses at CAPOS_RING_MAX_INFLIGHT, so
 *    pending[] (same size) can always take every reaped entry.
 *  - A kernel cq_tail more than RING_CQ_ENTRIES ahead of cq_head is corrupt:
 *    ERR_FAULT, nothing consumed.
 */
#include <capos/ring.h>
#include <common/string.h>

/* Attach r to the ring page and check its constants. */
err_t capos_ring_init(struct capos_ring *r, void *page, capos_enter_fn enter,
                      void *enter_ctx)
{
    if (!r || !page || !enter)
        return ERR_INVAL;
    memset(r, 0, sizeof(*r));
    r->hdr = page;
    if (r->hdr->sq_mask != RING_SQ_ENTRIES - 1 ||
        r->hdr->cq_mask != RING_CQ_ENTRIES - 1 ||
        r->hdr->abi_version != RING_ABI_VERSION)
        return ERR_BADFORMAT;
    r->sq = (struct ring_sqe *)((char *)page + RING_SQ_OFFSET);
    r->cq = (struct ring_cqe *)((char *)page + RING_CQ_OFFSET);
    r->enter = enter;
    r->enter_ctx = enter_ctx;
    r->sq_tail = __atomic_load_n(&r->hdr->sq_tail, __ATOMIC_RELAXED);
    r->cq_head = __atomic_load_n(&r->hdr->cq_head, __ATOMIC_RELAXED);
    r->next_user_data = 1;
    return ERR_OK;
}

/* Next user_data token; skips 0 so 0 can mean "none". */
uint64_t capos_ring_user_data(struct capos_ring *r)
{
    if (r->next_user_data == 0)
        r->next_user_data = 1;
    return r->next_user_data++;
}

/* Free SQ slots as seen from the kernel's published sq_head. */
static uint32_t sq_space(const struct capos_ring *r)
{
    uint32_t head = __atomic_load_n(&r->hdr->sq_head, __ATOMIC_ACQUIRE);
    uint32_t used = r->sq_tail - head;

    return used >= RING_SQ_ENTRIES ? 0 : RING_SQ_ENTRIES - used;
}

/* cap_enter through the seam; ERR_FAULT if it reports an error. */
static err_t enter(struct capos_ring *r, uint64_t min, uint64_t timeout,
                   int64_t *avail)
{
    int64_t n = r->enter(r->enter_ctx, min, timeout);

    if (avail)
        *avail = n;
    return n < 0 ? ERR_FAULT : ERR_OK;
}

/* Copy one SQE into the next slot and publish the new tail. */
err_t capos_ring_submit(struct capos_ring *r, const struct ring_sqe *sqe)
{
    err_t e;

    if (r->inflight >= CAPOS_RING_MAX_INFLIGHT)
        return ERR_FULL;
    if (sq_space(r) == 0) {
        if ((e = enter(r, 0, 0, NULL)) != ERR_OK)
            return e;
        if (sq_space(r) == 0)
            return ERR_FULL;
    }
    memcpy(&r->sq[r->sq_tail & (RING_SQ_ENTRIES - 1)], sqe, sizeof(*sqe));
    r->sq_tail++;
    __atomic_store_n(&r->hdr->sq_tail, r->sq_tail, __ATOMIC_RELEASE);
    r->inflight++;
    return ERR_OK;
}

/* Queue n SQEs, then one non-waiting cap_enter. */
err_t capos_ring_submit_batch(struct capos_ring *r,
                              const struct ring_sqe *sqes, uint32_t n,
                              uint32_t *queued)
{
    err_t e = ERR_OK;
    uint32_t i;

    for (i = 0; i < n; i++)
        if ((e = capos_ring_submit(r, &sqes[i])) != ERR_OK)
            break;
    if (queued)
        *queued = i;
    if (i > 0) {
        err_t f = capos_ring_flush(r);
        if (e == ERR_OK)
            e = f;
    }
    return e;
}

/* Let the kernel process the SQ without waiting. */
err_t capos_ring_flush(struct capos_ring *r)
{
    return enter(r, 0, 0, NULL);
}

/* Submit what is queued and wait for min_complete completions. */
err_t capos_ring_enter(struct capos_ring *r, uint32_t min_complete,
                       uint64_t timeout_ns)
{
    return enter(r, min_complete, timeout_ns, NULL);
}

/* Remove pending[i], keeping the others in arrival order. */
static void pending_take(struct capos_ring *r, uint32_t i,
                         struct ring_cqe *out)
{
    *out = r->pending[i];
    memmove(&r->pending[i], &r->pending[i + 1],
            (r->npending - i - 1) * sizeof(r->pending[0]));
    r->npending--;
    r->inflight--;
}

/* Index of the pending entry for user_data, or -1. */
static int pending_find(const struct capos_ring *r, uint64_t user_data)
{
    for (uint32_t i = 0; i < r->npending; i++)
        if (r->pending[i].user_data == user_data)
            return (int)i;
    return -1;
}

/* Copy every published CQE into pending[]; ERR_FAULT if cq_tail is
 * corrupt, ERR_FULL (nothing lost: the rest stays in the CQ) if pending[]
 * fills up. */
static err_t reap(struct capos_ring *r)
{
    uint32_t tail = __atomic_load_n(&r->hdr->cq_tail, __ATOMIC_ACQUIRE);

    if (tail - r->cq_head > RING_CQ_ENTRIES)
        return ERR_FAULT;
    while (r->cq_head != tail) {
        if (r->npending >= CAPOS_RING_MAX_INFLIGHT)
            return ERR_FULL;
        memcpy(&r->pending[r->npending++],
               &r->cq[r->cq_head & (RING_CQ_ENTRIES - 1)],
               sizeof(struct ring_cqe));
        r->cq_head++;
        __atomic_store_n(&r->hdr->cq_head, r->cq_head, __ATOMIC_RELEASE);
    }
    return ERR_OK;
}

/* Wait in the kernel for at least one new completion. */
static err_t wait_new(struct capos_ring *r, uint64_t timeout_ns)
{
    int64_t avail;
    err_t e = enter(r, 1, timeout_ns, &avail);

    if (e != ERR_OK)
        return e;
    return avail > 0 ? ERR_OK : ERR_TIMEOUT;
}

/* Wait for a completion chosen by `match` (user_data, or any if !want). */
static err_t wait_match(struct capos_ring *r, bool want, uint64_t user_data,
                        uint64_t timeout_ns, struct ring_cqe *out)
{
    for (;;) {
        err_t e = reap(r);
        int i = want ? pending_find(r, user_data) : (r->npending ? 0 : -1);

        if (i >= 0) {
            pending_take(r, (uint32_t)i, out);
            return ERR_OK;
        }
        if (e != ERR_OK)
            return e;
        if ((e = wait_new(r, timeout_ns)) != ERR_OK)
            return e;
    }
}

/* Wait for the completion carrying user_data. */
err_t capos_ring_wait(struct capos_ring *r, uint64_t user_data,
                      uint64_t timeout_ns, struct ring_cqe *out)
{
    return wait_match(r, true, user_data, timeout_ns, out);
}

/* Take the oldest available completion. */
err_t capos_ring_wait_any(struct capos_ring *r, uint64_t timeout_ns,
                          struct ring_cqe *out)
{
    return wait_match(r, false, 0, timeout_ns, out);
}

/* Submit one SQE with a fresh user_data, enter, wait for it. */
err_t capos_ring_call_sqe(struct capos_ring *r, struct ring_sqe *sqe,
                          struct ring_cqe *out)
{
    err_t e;

    sqe->user_data = capos_ring_user_data(r);
    if ((e = capos_ring_submit(r, sqe)) != ERR_OK)
        return e;
    return capos_ring_wait(r, sqe->user_data, CAP_ENTER_NO_TIMEOUT, out);
}

/* Completions reaped but unclaimed. */
uint32_t capos_ring_pending(const struct capos_ring *r)
{
    return r->npending;
}
