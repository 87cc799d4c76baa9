/*
 * dispatch.c - cap_enter: drain the submission queue, run each operation,
 * post its completion.
 *
 * Each SQE is copied out of the shared page exactly once (ring_sq_pop),
 * checked (ring_sqe_check) and dispatched through ring_ops[], indexed by
 * opcode.  At most RING_DRAIN_MAX SQEs are handled per cap_enter, and none
 * is consumed unless a completion slot is free beyond those promised to
 * deferred operations (p->cq_reserved), so no completion is ever dropped.
 * The process lock is held only around ring and cap-table accesses, never
 * while a method runs.
 */
#include <abi/ring.h>
#include <abi/syscall.h>
#include <kernel/call.h>
#include <kernel/endpoint.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/ring.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

typedef bool (*ring_op_fn)(struct process *p, const struct ring_sqe *sqe,
                           struct ring_cqe *cqe);

static bool op_nop(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe)
{
    (void)p;
    (void)sqe;
    cqe->result = 0;
    return true;
}

/* RELEASE: the object may be destroyed by it; its destroy hook runs after
 * p->lock (cap_release only queues it). */
static bool op_release(struct process *p, const struct ring_sqe *sqe,
                       struct ring_cqe *cqe)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    err_t r = cap_release(&p->caps, sqe->cap_id);
    spin_unlock_irqrestore(&p->lock, f);
    kobj_reap();
    cqe->result = r ? CAP_ERR_INVOKE_FAILED : 0;
    cqe->aux = (uint32_t)r;
    return true;
}

static bool op_unsupported(struct process *p, const struct ring_sqe *sqe,
                           struct ring_cqe *cqe)
{
    (void)p;
    (void)sqe;
    cqe->result = CAP_ERR_UNSUPPORTED_OPCODE;
    return true;
}

static const ring_op_fn ring_ops[RING_OP__COUNT] = {
    [RING_OP_NOP] = op_nop,
    [RING_OP_CALL] = call_dispatch,
    [RING_OP_RECV] = endpoint_recv_op,
    [RING_OP_RETURN] = endpoint_return_op,
    [RING_OP_RELEASE] = op_release,
    [RING_OP_FINISH] = op_unsupported,
};
_Static_assert(sizeof ring_ops / sizeof ring_ops[0] == RING_OP__COUNT,
               "every opcode has a handler");


/* Take up to max SQEs, no more than the CQ can answer beyond its reserved
 * slots, in one hold of p->lock; returns how many. */
static uint32_t ring_take(struct process *p, struct ring_sqe *out, uint32_t max)
{
    uint32_t n = 0;
    uint64_t f = spin_lock_irqsave(&p->lock);
    uint32_t used = ring_cq_available(&p->ring, p->ring_kva);
    uint32_t room = used < RING_CQ_ENTRIES ? RING_CQ_ENTRIES - used : 0;
    room = room > p->cq_reserved ? room - p->cq_reserved : 0;
    n = ring_sq_pop_many(&p->ring, p->ring_kva, out, max < room ? max : room);
    spin_unlock_irqrestore(&p->lock, f);
    return n;
}

/* Run one SQE; false if its completion is deferred. */
static bool ring_run(struct process *p, const struct ring_sqe *sqe,
                     struct ring_cqe *cqe)
{
    int bad = ring_sqe_check(sqe);
    bool post = true;
    *cqe = (struct ring_cqe){0};
    if (bad) {
        cqe->result = bad;
        cqe->aux = bad == CAP_ERR_INVALID_REQUEST ? ERR_INVAL : ERR_FAULT;
    } else {
        post = ring_ops[sqe->opcode](p, sqe, cqe);
    }
#ifdef CONFIG_KTEST
    if (kobj_reap_pending())
        panic("kobj: a destroy queued by opcode %u was never reaped",
              sqe->opcode);
#endif
    cqe->user_data = sqe->user_data;    /* handlers may rebuild the CQE */
    return post;
}

/* Drain the SQ: take a batch, run it, post its completions straight into
 * the ring (the process is running: no wake-up needed).  Each SQE is
 * read once (ring_take copies it); at most RING_DRAIN_MAX per cap_enter. */
static void ring_drain(struct process *p)
{
    struct ring_sqe sqe[RING_DRAIN_MAX];
    struct ring_cqe cqe[RING_DRAIN_MAX];
    uint32_t n = ring_take(p, sqe, RING_DRAIN_MAX), posts = 0;
    for (uint32_t i = 0; i < n && !p->exit_requested; i++)
        posts += ring_run(p, &sqe[i], &cqe[posts]);
    if (!posts)
        return;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (p->state == PROC_ALIVE)
        ring_cq_post_many(&p->ring, p->ring_kva, cqe, posts);
    spin_unlock_irqrestore(&p->lock, f);
}

/* True once the wait of thread t in cap_enter is satisfied or its
 * process killed (sched_lock). */
static bool wait_done(struct process *p, uint32_t min)
{
    return __atomic_load_n(&p->killed, __ATOMIC_RELAXED) ||
           ring_cq_available(&p->ring, p->ring_kva) >= min;
}

/* Block until min completions, the deadline, or never (UINT64_MAX). */
static void cap_enter_wait(struct process *p, struct thread *t, uint32_t min,
                           uint64_t timeout_ns)
{
    uint64_t now = clock_ns();
    uint64_t deadline = timeout_ns == CAP_ENTER_NO_TIMEOUT ? UINT64_MAX
                        : now + timeout_ns < now ? UINT64_MAX
                                                 : now + timeout_ns;
    for (;;) {
        uint64_t f = spin_lock_irqsave(&sched_lock);
        if (wait_done(p, min) || clock_ns() >= deadline) {
            spin_unlock_irqrestore(&sched_lock, f);
            return;
        }
        t->wait_min = min;
        t->wait_deadline_ns = deadline;
        sched_block_locked();
        t->wait_deadline_ns = UINT64_MAX;
        t->wait_min = 0;
        spin_unlock_irqrestore(&sched_lock, f);
    }
}

int64_t cap_enter(struct process *p, uint64_t min_complete,
                  uint64_t timeout_ns)
{
    if (min_complete > RING_CQ_ENTRIES)
        return CAP_ERR_INVALID_REQUEST;
    ring_drain(p);
    if (p->exit_requested)
        return 0;               /* the syscall path carries the exit out */
    uint32_t avail = ring_cq_available(&p->ring, p->ring_kva);
    if (avail < min_complete && timeout_ns != 0) {
        cap_enter_wait(p, thread_current(), (uint32_t)min_complete, timeout_ns);
        avail = ring_cq_available(&p->ring, p->ring_kva);
    }
    return avail;
}

void proc_post_cqe(struct process *p, const struct ring_cqe *cqe,
                   bool reserved)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (p->state == PROC_ALIVE && p->ring_kva) {
        if (reserved)
            p->cq_reserved--;
        ring_cq_post(&p->ring, p->ring_kva, cqe);
    }
    spin_unlock_irqrestore(&p->lock, f);
    /* Wake the process if its cap_enter wait is now satisfied. */
    f = spin_lock_irqsave(&sched_lock);
    struct thread *t = p->thread;
    if (t && t->state == THREAD_BLOCKED && p->ring_kva &&
        wait_done(p, t->wait_min))
        sched_wake_locked(t);
    spin_unlock_irqrestore(&sched_lock, f);
}
