/*
 * xfer.c - capability transfer lists (see kernel/xfer.h).
 *
 * Locking: the sender's lock around prepare/commit/abort, the receiver's
 * around insert; never both at once.  References dropped under a lock
 * (a moved slot freed, a grant not taken) are only queued
 * (kobj_put_deferred); each function reaps after its unlock, so an
 * object's destroy hook (an Endpoint's closes its queue and completes
 * calls, maybe to this very process) never runs under a lock.
 */
#include <common/string.h>
#include <kernel/proc.h>
#include <kernel/uaccess.h>
#include <kernel/xfer.h>

/* Undo grants [0, upto) of x in p's table (p->lock held). */
static void xfer_undo(struct process *p, struct xfer_set *x, uint32_t upto)
{
    for (uint32_t i = 0; i < upto; i++) {
        if (x->taken & (1u << i))
            continue;
        if (x->is_move[i] && p->cap_slots)
            cap_move_abort(&p->caps, x->src_ids[i]);
        cap_grant_drop(&x->g[i]);
    }
}

int xfer_prepare_list(struct process *p, const struct ring_sqe *sqe,
                      struct xfer_set *x, uint32_t *aux)
{
    struct ring_xfer d[RING_MAX_XFER];
    if (copy_from_user(d, sqe->xfer_addr, sqe->xfer_count * sizeof d[0])) {
        *aux = ERR_FAULT;
        return CAP_ERR_INVALID_PARAMS_BUFFER;
    }
    uint64_t f = spin_lock_irqsave(&p->lock);
    err_t r = ERR_OK;
    uint32_t i = 0;
    for (; i < sqe->xfer_count && !r; i++) {
        x->src_ids[i] = d[i].cap_id;
        x->is_move[i] = d[i].mode == XFER_MOVE;
        if (d[i].mode == XFER_MOVE)
            r = cap_move_reserve(&p->caps, d[i].cap_id, &x->g[i]);
        else if (d[i].mode == XFER_COPY)
            r = cap_copy_prepare(&p->caps, d[i].cap_id, &x->g[i]);
        else
            r = ERR_INVAL;
    }
    if (r)
        xfer_undo(p, x, i - 1);
    spin_unlock_irqrestore(&p->lock, f);
    if (r) {
        kobj_reap();
        *aux = (uint32_t)r;
        return r == ERR_INVAL ? CAP_ERR_INVALID_REQUEST : CAP_ERR_INVOKE_FAILED;
    }
    x->n = sqe->xfer_count;
    return 0;
}

err_t xfer_reserve_set(struct process *dst, struct xfer_set *x,
                       struct ring_cap_rec *recs, uint32_t *n)
{
    uint32_t ids[RING_MAX_XFER], want = 0;
    for (uint32_t i = 0; i < x->n; i++)
        if (!(x->taken & (1u << i)))
            recs[want++].iface_lo = (uint32_t)x->g[i].iface;
    *n = want;
    if (!want)
        return ERR_OK;
    uint64_t f = spin_lock_irqsave(&dst->lock);
    err_t r = dst->state != PROC_ALIVE || !dst->cap_slots
                  ? ERR_DISCONNECTED
                  : cap_insert_reserve(&dst->caps, want, ids);
    spin_unlock_irqrestore(&dst->lock, f);
    for (uint32_t i = 0; !r && i < want; i++)
        recs[i].cap_id = ids[i];
    return r;
}

void xfer_land_set(struct process *dst, struct xfer_set *x,
                   const struct ring_cap_rec *recs, uint8_t hold)
{
    uint32_t k = 0;
    uint64_t f = spin_lock_irqsave(&dst->lock);
    for (uint32_t i = 0; i < x->n; i++) {
        if (x->taken & (1u << i))
            continue;
        cap_insert_commit(&dst->caps, recs[k++].cap_id, &x->g[i], hold);
        x->taken |= 1u << i;
    }
    spin_unlock_irqrestore(&dst->lock, f);
    kobj_reap();
}

void xfer_unreserve(struct process *dst, const struct ring_cap_rec *recs,
                    uint32_t n)
{
    uint64_t f = spin_lock_irqsave(&dst->lock);
    for (uint32_t i = 0; i < n; i++)
        cap_insert_abort(&dst->caps, recs[i].cap_id);
    spin_unlock_irqrestore(&dst->lock, f);
}

void xfer_commit_set(struct process *src, struct xfer_set *x)
{
    uint64_t f = spin_lock_irqsave(&src->lock);
    for (uint32_t i = 0; i < x->n; i++) {
        if (x->is_move[i] && src->cap_slots)
            cap_move_commit(&src->caps, x->src_ids[i]);
        if (!(x->taken & (1u << i)))
            cap_grant_drop(&x->g[i]);
    }
    x->n = 0;
    spin_unlock_irqrestore(&src->lock, f);
    kobj_reap();
}

void xfer_abort(struct process *src, struct xfer_set *x)
{
    uint64_t f = spin_lock_irqsave(&src->lock);
    xfer_undo(src, x, x->n);
    x->n = 0;
    spin_unlock_irqrestore(&src->lock, f);
    kobj_reap();
}
