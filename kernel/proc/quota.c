/*
 * quota.c - the quota tree: what a process and everything it spawns may
 * use (docs/capabilities.md, "Quotas").
 *
 * Each process has limits (p->quota) and, for the carved resources
 * (frames, processes, threads), a count of what it and its subtree use
 * (p->charged): its own image, page tables and kernel records, its memory
 * caps, its own thread and itself, plus the whole quota of every child it
 * spawned.  A child's quota is charged to its parent at spawn (so nothing
 * in the child's subtree can take what the parent's other children hold)
 * and comes back when the child exits, except what is still owed for:
 * memory objects the child allocated that live on elsewhere and the
 * quotas of its own live children.  Those come back when they die: a
 * refund to an exited process goes up to the nearest live ancestor
 * (p->qparent, a reference kept until p is freed).
 *
 * Counters use atomics only: a MemoryObject may die (and refund) in any
 * process's context.  One CPU runs the kernel with interrupts off, so the
 * quota_returned flag and the counters change together.
 */
#include <capos.capnp.h>
#include <kernel/manifest.h>
#include <kernel/proc.h>

_Static_assert(MANIFEST_QUOTA_CAP_SLOTS == PROC_CAP_SLOTS &&
               MANIFEST_QUOTA_WAITS == PROC_WAITS_MAX,
               "the manifest checks the kernel's quota limits");

void quota_read(capos_quota_r r, struct proc_quota *q)
{
    *q = (struct proc_quota){.frames = capos_quota_get_frames(r),
                             .cap_slots = capos_quota_get_cap_slots(r),
                             .processes = capos_quota_get_processes(r),
                             .threads = capos_quota_get_threads(r),
                             .waits = capos_quota_get_waits(r)};
}

/* The limit of resource k in q. */
static uint64_t limit(const struct proc_quota *q, enum quota_kind k)
{
    return k == QUOTA_FRAMES ? q->frames
           : k == QUOTA_PROCESSES ? q->processes : q->threads;
}

err_t quota_complete(struct proc_quota *q, const struct proc_quota *def)
{
    if (!q->frames)
        q->frames = def->frames;
    if (!q->cap_slots)
        q->cap_slots = def->cap_slots;
    if (!q->processes)
        q->processes = def->processes;
    if (!q->threads)
        q->threads = def->threads;
    if (!q->waits)
        q->waits = def->waits;
    if (q->cap_slots > PROC_CAP_SLOTS || q->waits > PROC_WAITS_MAX)
        return ERR_RANGE;
    return ERR_OK;
}

err_t quota_charge(struct process *p, enum quota_kind k, uint64_t n)
{
    uint64_t max = limit(&p->quota, k);
    uint64_t used = __atomic_load_n(&p->charged[k], __ATOMIC_RELAXED);
    do {
        if (p->quota_returned || n > max || used > max - n)
            return ERR_QUOTA;
    } while (!__atomic_compare_exchange_n(&p->charged[k], &used, used + n,
                                          false, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    return ERR_OK;
}

void quota_refund(struct process *p, enum quota_kind k, uint64_t n)
{
    while (p && p->quota_returned)
        p = p->qparent;
    if (p)
        __atomic_fetch_sub(&p->charged[k], n, __ATOMIC_RELAXED);
}

void quota_uncarve(struct process *parent, const struct proc_quota *q)
{
    for (int k = 0; k < QUOTA__COUNT; k++)
        quota_refund(parent, (enum quota_kind)k, limit(q, (enum quota_kind)k));
}

err_t quota_carve(struct process *parent, const struct proc_quota *q)
{
    int k = 0;
    err_t r = ERR_OK;
    for (; k < QUOTA__COUNT && !r; k++)
        r = quota_charge(parent, (enum quota_kind)k, limit(q, (enum quota_kind)k));
    if (r)  /* give back the kinds charged before the one refused */
        for (int j = 0; j < k - 1; j++)
            quota_refund(parent, (enum quota_kind)j, limit(q, (enum quota_kind)j));
    return r;
}

void quota_exit(struct process *p)
{
    if (p->quota_returned)
        return;
    /* Its own uses end: image, records and tables, itself, its thread. */
    __atomic_fetch_sub(&p->charged[QUOTA_FRAMES], p->frames_own,
                       __ATOMIC_RELAXED);
    p->frames_own = 0;
    __atomic_fetch_sub(&p->charged[QUOTA_PROCESSES],
                       p->charged[QUOTA_PROCESSES] ? 1 : 0, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&p->charged[QUOTA_THREADS],
                       p->charged[QUOTA_THREADS] ? 1 : 0, __ATOMIC_RELAXED);
    p->quota_returned = true;
    /* The parent gets back all it lent but what p still owes for. */
    for (int k = 0; k < QUOTA__COUNT && p->qparent; k++) {
        uint64_t owed = __atomic_load_n(&p->charged[k], __ATOMIC_RELAXED);
        uint64_t lent = limit(&p->quota, (enum quota_kind)k);
        quota_refund(p->qparent, (enum quota_kind)k, lent - owed);
    }
}
