/*
 * kobj.c - reference counts, revocation epochs and live counters of kernel
 * objects.
 *
 * Theory of operation
 *
 * Every kernel object embeds a struct kobj.  A capability-table entry, an
 * in-flight transfer (struct cap_grant) and any kernel pointer kept beyond a
 * lock section each own one reference; kobj_put of the last one calls the
 * type's destroy hook, which frees the object.  Because the references of
 * one object live in many processes' tables (each under a different process
 * lock), refs is updated only with __atomic read-modify-write operations:
 * get is relaxed (the caller already owns a reference, so the object cannot
 * vanish), put is acq_rel so that every write made under any reference
 * happens-before destroy.
 *
 * Revocation is by epoch (EROS/capOS style): a cap entry records the epoch
 * it was created under; kobj_revoke increments the epoch, so every entry
 * made before fails its next lookup with ERR_REVOKED.  That is O(1) however
 * many caps exist.  The counter never wraps: it saturates at
 * KOBJ_EPOCH_DEAD, the "revoked forever" state, which also refuses new caps.
 *
 * Deferred destruction: a destroy hook takes locks (an Endpoint's closes
 * its queue and completes calls in other processes), so it must never run
 * under a lock, and one hook may drop the last reference of another object
 * (a queued call carrying the last cap of a second Endpoint).  Code under
 * a lock drops references with kobj_put_deferred, which only queues a dead
 * object on the running context's reaper; kobj_reap, called once no lock
 * is held, runs the queued hooks in order.  kobj_put reaps itself, except
 * inside a hook (reaper busy): there it only queues, and the outer reap
 * runs the object after the current hook returns, so nested teardown of
 * any depth uses constant stack.  The reap_next link is free to use: an
 * object at refs 0 belongs to nobody else.
 *
 * Live counters: k_kobj_live[type] counts objects between kobj_init and
 * destroy, so tests (host, in-kernel and the QEMU leak oracle) can prove
 * that teardown freed exactly what was created.  They are relaxed atomics;
 * a reader sees an exact value only when no object is being created or
 * destroyed concurrently.
 *
 * Misuse that the kernel cannot continue from (get on a dead object, put
 * below zero) is counted in k_kobj_faults and otherwise ignored; the kernel
 * glue checks kobj_faults() in its self tests and may panic on it.
 */
#include <stddef.h>
#include <kernel/kobj.h>
#ifdef CONFIG_KTEST
#include <kernel/spinlock.h>  /* lockcheck_assert_unlocked */
#endif

/* Guarded by atomics; no lock. */
static uint64_t k_kobj_live[KOBJ__COUNT];
static uint64_t k_kobj_faults;
/* Set once at boot, then read only. */
static struct kobj_reaper *(*k_reaper_fn)(void);
/* Owned by the context running before threads exist (and the host). */
static struct kobj_reaper k_reaper0;

/* Counter index of an ops type; out-of-range types count as KOBJ_UNKNOWN. */
static uint32_t type_index(const struct kobj_ops *ops)
{
    return ops->type < KOBJ__COUNT ? ops->type : KOBJ_UNKNOWN;
}

/* Record one misuse. */
static void fault(void)
{
    __atomic_fetch_add(&k_kobj_faults, 1, __ATOMIC_RELAXED);
}

/* Set up o with refs = 1 and epoch 0, and count it live. */
void kobj_init(struct kobj *o, const struct kobj_ops *ops)
{
    o->ops = ops;
    o->reap_next = NULL;
    __atomic_store_n(&o->refs, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&o->epoch, 0, __ATOMIC_RELAXED);
    __atomic_fetch_add(&k_kobj_live[type_index(ops)], 1, __ATOMIC_RELAXED);
}

/* One more reference; a get from 0 (resurrection) is a fault and ignored. */
void kobj_get(struct kobj *o)
{
    uint32_t old = __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);

    if (old == 0 || old == UINT32_MAX) {
        __atomic_fetch_sub(&o->refs, 1, __ATOMIC_RELAXED);
        fault();
    }
}

void kobj_set_reaper(struct kobj_reaper *(*fn)(void))
{
    k_reaper_fn = fn;
}

/* The reaper of the running context. */
static struct kobj_reaper *reaper(void)
{
    struct kobj_reaper *r = k_reaper_fn ? k_reaper_fn() : NULL;

    return r ? r : &k_reaper0;
}

/* Drop a reference; true if it was the last (o now belongs to the caller). */
static bool put_ref(struct kobj *o)
{
    uint32_t old = __atomic_fetch_sub(&o->refs, 1, __ATOMIC_ACQ_REL);

    if (old == 0) {         /* put below zero: undo and report */
        __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
        fault();
        return false;
    }
    return old == 1;
}

/* Append dead o to r's list. */
static void queue(struct kobj_reaper *r, struct kobj *o)
{
    o->reap_next = NULL;
    if (r->tail)
        r->tail->reap_next = o;
    else
        r->head = o;
    r->tail = o;
}

void kobj_put_deferred(struct kobj *o)
{
    if (put_ref(o))
        queue(reaper(), o);
}

void kobj_put(struct kobj *o)
{
    if (!put_ref(o))
        return;
    queue(reaper(), o);
    kobj_reap();
}

void kobj_reap(void)
{
    struct kobj_reaper *r = reaper();

    if (r->busy || !r->head)
        return;
#ifdef CONFIG_KTEST
    lockcheck_assert_unlocked("a destroy hook runs");
#endif
    r->busy = true;
    while (r->head) {
        struct kobj *o = r->head;
        const struct kobj_ops *ops = o->ops;

        r->head = o->reap_next;
        if (!r->head)
            r->tail = NULL;
        __atomic_fetch_sub(&k_kobj_live[type_index(ops)], 1, __ATOMIC_RELAXED);
        if (ops->destroy)
            ops->destroy(o);    /* o may be freed from here on */
    }
    r->busy = false;
}

bool kobj_reap_pending(void)
{
    return reaper()->head != NULL;
}

/* Snapshot of the reference count. */
uint32_t kobj_refs(const struct kobj *o)
{
    return __atomic_load_n(&o->refs, __ATOMIC_RELAXED);
}

/* Current epoch. */
uint32_t kobj_epoch(const struct kobj *o)
{
    return __atomic_load_n(&o->epoch, __ATOMIC_ACQUIRE);
}

/* epoch++, saturating at KOBJ_EPOCH_DEAD. */
void kobj_revoke(struct kobj *o)
{
    uint32_t e = __atomic_load_n(&o->epoch, __ATOMIC_RELAXED);

    while (e != KOBJ_EPOCH_DEAD &&
           !__atomic_compare_exchange_n(&o->epoch, &e, e + 1, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        ;
}

/* Revoke forever. */
void kobj_kill(struct kobj *o)
{
    __atomic_store_n(&o->epoch, KOBJ_EPOCH_DEAD, __ATOMIC_RELEASE);
}

/* True once the epoch has saturated. */
bool kobj_dead(const struct kobj *o)
{
    return kobj_epoch(o) == KOBJ_EPOCH_DEAD;
}

/* Live objects of one type (KOBJ_UNKNOWN for out-of-range types). */
uint64_t kobj_live(uint32_t type)
{
    if (type >= KOBJ__COUNT)
        return 0;
    return __atomic_load_n(&k_kobj_live[type], __ATOMIC_RELAXED);
}

/* Misuses seen so far. */
uint64_t kobj_faults(void)
{
    return __atomic_load_n(&k_kobj_faults, __ATOMIC_RELAXED);
}
