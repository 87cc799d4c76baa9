/*
 * ring_core.h - the kernel side of the capability ring (abi/ring.h):
 * authoritative indices in kernel memory, single-fetch SQE copies, bounded
 * completion posting and per-opcode SQE validation.  Portable, no locks:
 * the caller holds the owning process's ring lock (the process lock) around
 * every call.  `page` is the kernel's own mapping of the process's ring
 * page.  Design notes are in kernel/ring/ring_core.c and docs/ring.md.
 */
#pragma once

#include <abi/ring.h>
#include <stdbool.h>
#include <stdint.h>

/* Most SQEs one cap_enter consumes (bounded work per system call). */
#define RING_DRAIN_MAX RING_SQ_ENTRIES

/* Kernel-owned ring state; guarded by the owning process's lock. */
struct ring_kstate {
    uint32_t sq_head;      /* next SQE index to consume (authoritative) */
    uint32_t cq_tail;      /* next CQE index to write (authoritative) */
    uint32_t cq_overflow;  /* completions dropped (mirrored to the page) */
    uint32_t sq_corrupt;   /* pops that saw an insane sq_tail (-> sq_dropped) */
    uint32_t cq_bad_head;  /* space checks that saw an insane cq_head */
};

/* The header view of a ring page. */
static inline struct ring_header *ring_hdr(void *page)
{
    return (struct ring_header *)page;
}

/* The SQ array (RING_SQ_ENTRIES entries) of a ring page. */
static inline struct ring_sqe *ring_sq(void *page)
{
    return (struct ring_sqe *)((char *)page + RING_SQ_OFFSET);
}

/* The CQ array (RING_CQ_ENTRIES entries) of a ring page. */
static inline struct ring_cqe *ring_cq(void *page)
{
    return (struct ring_cqe *)((char *)page + RING_CQ_OFFSET);
}

/*
 * Zero k and the page header, then publish masks and abi_version.  Call
 * before the page is mapped into the process.
 */
void ring_kstate_init(struct ring_kstate *k, void *page);

/*
 * Copy the next SQE into *out (one volatile read of each word; use only the
 * copy) and advance sq_head.  false if the SQ is empty, or if the user's
 * sq_tail (read once) is more than RING_SQ_ENTRIES ahead of sq_head or
 * behind it: then nothing is consumed and sq_corrupt/sq_dropped counts it.
 */
bool ring_sq_pop(struct ring_kstate *k, void *page, struct ring_sqe *out);

/* SQEs waiting (0 if sq_tail is insane); reads sq_tail once. */
uint32_t ring_sq_pending(const struct ring_kstate *k, void *page);
/* Pop up to max SQEs (one tail read, one head publication). */
uint32_t ring_sq_pop_many(struct ring_kstate *k, void *page,
                          struct ring_sqe *out, uint32_t max);

/*
 * True if one more CQE fits.  Reads the user's cq_head once; an insane
 * cq_head (ahead of cq_tail or more than RING_CQ_ENTRIES behind) counts as
 * a full queue, so unconsumed entries are never overwritten.
 */
bool ring_cq_has_space(struct ring_kstate *k, void *page);

/*
 * Write *cqe at cq_tail, then publish cq_tail with release ordering.
 * Re-checks space; if the user moved cq_head so it no longer fits, the
 * completion is dropped and counted in cq_overflow (false).
 */
bool ring_cq_post(struct ring_kstate *k, void *page,
                  const struct ring_cqe *cqe);

/*
 * Completions posted and not yet consumed (cap_enter's return value);
 * RING_CQ_ENTRIES if cq_head is insane, so a waiter never sleeps on it.
 */
/* Post n CQEs (one head read, one tail publication); returns how many
 * fit (the rest are counted in cq_overflow). */
uint32_t ring_cq_post_many(struct ring_kstate *k, void *page,
                           const struct ring_cqe *cqe, uint32_t n);
uint32_t ring_cq_available(const struct ring_kstate *k, void *page);

/*
 * Validate one SQE copy: 0, or the negative CAP_ERR_* for the first rule it
 * breaks (the rules, in order, are listed in docs/ring.md).
 */
int ring_sqe_check(const struct ring_sqe *sqe);
