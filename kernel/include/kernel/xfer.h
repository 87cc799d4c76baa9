/*
 * xfer.h - capability transfer lists (sqe.xfer_addr) of CALL and RETURN.
 *
 * A transfer is two-phase: xfer_prepare copies the descriptors from the
 * sender once, takes a reference for each copy and reserves the sender's
 * slot for each move; nothing is visible yet.  When the receiver accepts,
 * xfer_insert puts every cap into the receiver's table (all or nothing:
 * slots are reserved first) and xfer_commit frees the moved slots of the
 * sender.  Any failure before that is undone by xfer_abort: the sender's
 * table is exactly as before and no reference is left behind.
 */
#pragma once

#include <stdint.h>
#include <abi/errors.h>
#include <abi/ring.h>
#include <kernel/cap_table.h>

struct process;

struct xfer_set {
    struct cap_grant g[RING_MAX_XFER];
    uint32_t src_ids[RING_MAX_XFER];   /* sender's CapIds */
    uint8_t is_move[RING_MAX_XFER];
    uint32_t n;
    uint32_t taken;                    /* bit i: grant i consumed */
};

/* Read sqe's list from p (the current process) and prepare it.  Returns 0,
 * or a negative CAP_ERR_* with *aux set: INVALID_PARAMS_BUFFER (FAULT) for
 * an unreadable list, INVALID_REQUEST (INVAL) for a bad mode,
 * INVOKE_FAILED (BADCAP, REVOKED, BUSY, PERM) for a cap that cannot go. */
int xfer_prepare_list(struct process *p, const struct ring_sqe *sqe,
                      struct xfer_set *x, uint32_t *aux);
static inline int xfer_prepare(struct process *p, const struct ring_sqe *sqe,
                               struct xfer_set *x, uint32_t *aux)
{
    x->n = 0;                   /* the arrays are written before any read */
    x->taken = 0;
    return sqe->xfer_count ? xfer_prepare_list(p, sqe, x, aux) : 0;
}

/* Reserve a slot in dst's table for every untaken grant and fill recs[]
 * (CapId + interface); returns the count in *n.  ERR_QUOTA / ERR_FULL /
 * ERR_DISCONNECTED (dst exited): nothing reserved. */
err_t xfer_reserve_set(struct process *dst, struct xfer_set *x,
                       struct ring_cap_rec *recs, uint32_t *n);
static inline err_t xfer_reserve(struct process *dst, struct xfer_set *x,
                                 struct ring_cap_rec *recs, uint32_t *n)
{
    *n = 0;
    return x->n ? xfer_reserve_set(dst, x, recs, n) : ERR_OK;
}
/* Fill the slots reserved by xfer_reserve (consumes the grants). */
void xfer_land_set(struct process *dst, struct xfer_set *x,
                   const struct ring_cap_rec *recs, uint8_t hold);
static inline void xfer_land(struct process *dst, struct xfer_set *x,
                             const struct ring_cap_rec *recs, uint8_t hold)
{
    if (x->n)                   /* the common call carries no caps */
        xfer_land_set(dst, x, recs, hold);
}
/* Give back the slots reserved by xfer_reserve. */
void xfer_unreserve(struct process *dst, const struct ring_cap_rec *recs,
                    uint32_t n);

/* The receiver accepted: free the sender's moved slots; drop untaken
 * grants. */
void xfer_commit_set(struct process *src, struct xfer_set *x);
static inline void xfer_commit(struct process *src, struct xfer_set *x)
{
    if (x->n)
        xfer_commit_set(src, x);
}

/* Undo everything: restore moved slots, drop untaken grants. */
void xfer_abort(struct process *src, struct xfer_set *x);
