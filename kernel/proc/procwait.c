/*
 * procwait.c - deferred completions (see kernel/procwait.h).
 *
 * Waits live on one list under waits_lock, each holding a reference on the
 * waiting process (and on the target for exit waits), so neither struct
 * can disappear while a completion is pending.  Completing a wait writes
 * its result message into the waiter's result buffer through the waiter's
 * page tables (vm_write): the waiter need not be the running process.
 */
#include <abi/ring.h>
#include <capos.capnp.h>
#include <kernel/call.h>
#include <kernel/kmem.h>
#include <kernel/notification.h>
#include <kernel/proc.h>
#include <kernel/procwait.h>
#include <kernel/ring.h>
#include <kernel/serialport.h>
#include <kernel/spinlock.h>

enum wait_kind { WAIT_SLEEP, WAIT_EXIT, WAIT_NOTIFY };

struct wait {
    struct wait *next;
    enum wait_kind kind;
    struct process *waiter;
    struct process *target;       /* WAIT_EXIT */
    struct notification *notif;   /* WAIT_NOTIFY (a reference) */
    uint64_t bits;                /* WAIT_NOTIFY: the bits taken */
    uint64_t deadline;            /* WAIT_SLEEP, WAIT_NOTIFY (timeout) */
    uint64_t user_data;
    uint64_t result_addr;
    uint32_t result_len;
};

static struct spinlock waits_lock = SPINLOCK_INIT("waits");
static struct wait *waits;
static uint64_t waits_live;

uint64_t procwait_live(void)
{
    return waits_live;
}

/* Charge the caller's quota and reserve a CQ slot; then queue w. */
static err_t procwait_add(struct call_ctx *c, struct wait *w)
{
    struct process *p = c->caller;
    if (proc_wait_charge(p))
        return call_fail(c, ERR_QUOTA, "too many outstanding waits");
    kobj_get(&p->obj);
    uint64_t f;
    w->waiter = p;
    w->user_data = c->sqe->user_data;
    w->result_addr = c->sqe->result_addr;
    w->result_len = c->sqe->result_len;
    f = spin_lock_irqsave(&waits_lock);
    w->next = waits;
    waits = w;
    waits_live++;
    spin_unlock_irqrestore(&waits_lock, f);
    c->deferred = true;
    return ERR_OK;
}

err_t procwait_sleep(struct call_ctx *c, uint64_t deadline)
{
    struct wait *w = kzalloc(sizeof *w);
    if (!w)
        return call_fail(c, ERR_NOMEM, "no memory for the wait");
    w->kind = WAIT_SLEEP;
    w->deadline = deadline;
    err_t r = procwait_add(c, w);
    if (r)
        kfree(w);
    return r;
}

err_t procwait_exit(struct call_ctx *c, struct process *target)
{
    struct wait *w = kzalloc(sizeof *w);
    if (!w)
        return call_fail(c, ERR_NOMEM, "no memory for the wait");
    w->kind = WAIT_EXIT;
    w->target = target;
    kobj_get(&target->obj);
    err_t r = procwait_add(c, w);
    if (r) {
        kobj_put(&target->obj);
        kfree(w);
    }
    return r;
}

err_t procwait_notification(struct call_ctx *c, struct notification *n,
                           uint64_t deadline)
{
    struct wait *w = kzalloc(sizeof *w);
    if (!w)
        return call_fail(c, ERR_NOMEM, "no memory for the wait");
    w->kind = WAIT_NOTIFY;
    w->notif = n;
    w->deadline = deadline;
    kobj_get(&n->obj);
    err_t r = procwait_add(c, w);
    if (r) {
        kobj_put(&n->obj);
        kfree(w);
    }
    return r;
}

struct wait *procwait_take_notification(struct notification *n)
{
    uint64_t f = spin_lock_irqsave(&waits_lock);
    struct wait **oldest = NULL;
    for (struct wait **pp = &waits; *pp; pp = &(*pp)->next)
        if ((*pp)->kind == WAIT_NOTIFY && (*pp)->notif == n)
            oldest = pp;            /* the list is newest first */
    struct wait *w = oldest ? *oldest : NULL;
    if (w) {
        *oldest = w->next;
        w->next = NULL;
        waits_live--;
    }
    spin_unlock_irqrestore(&waits_lock, f);
    return w;
}

/* Build the result message of w into buf; returns its size or 0. */
static size_t wait_result(const struct wait *w, uint8_t *buf, size_t cap)
{
    uint64_t words[8];
    struct capnp_builder b;
    size_t n = 0;
    capnp_builder_init(&b, words, 8);
    if (w->kind == WAIT_EXIT) {
        capos_process_handle_wait_results_b r =
            capos_process_handle_wait_results_init_root(&b);
        capos_process_handle_wait_results_set_exit_code(r, w->target->exit_code);
    } else if (w->kind == WAIT_NOTIFY) {
        capos_notification_wait_results_set_bits(
            capos_notification_wait_results_init_root(&b), w->bits);
    } else {
        capos_timer_sleep_results_init_root(&b);
    }
    if (capnp_builder_serialize(&b, buf, cap, &n) != CAPNP_OK)
        return 0;
    return n;
}

/* A notification wait that timed out completes with TIMEOUT. */
static bool timed_out(const struct wait *w)
{
    return w->kind == WAIT_NOTIFY && !w->bits;
}

/* Post w's completion (or an error) to its waiter and free w. */
static void wait_complete(struct wait *w, bool cancelled)
{
    struct process *p = w->waiter;
    struct ring_cqe cqe = {.user_data = w->user_data};
    uint8_t buf[96];
    size_t n = cancelled ? 0 : wait_result(w, buf, sizeof buf);
    if (!cancelled) {
        if (timed_out(w)) {
            call_exception_to(p, w->result_addr, w->result_len, &cqe,
                              ERR_TIMEOUT, "no signal before the timeout");
        } else if (n == 0 || n > w->result_len) {
            cqe.result = CAP_ERR_INVALID_RESULT_BUFFER;
            cqe.aux = ERR_TOOSMALL;
        } else if (vm_write(&p->vm, w->result_addr, buf, n)) {
            cqe.result = CAP_ERR_INVALID_RESULT_BUFFER;
            cqe.aux = ERR_FAULT;
        } else {
            cqe.result = (int32_t)n;
        }
        proc_post_cqe(p, &cqe, true);
    }
    proc_wait_uncharge(p, cancelled);
    if (w->target)
        kobj_put(&w->target->obj);
    if (w->notif)
        kobj_put(&w->notif->obj);
    kobj_put(&p->obj);
    kfree(w);
}

/* Unlink and return the waits matching `pred`, as a private list. */
static struct wait *waits_take(bool (*pred)(const struct wait *, const void *),
                               const void *arg)
{
    struct wait *taken = NULL;
    uint64_t f = spin_lock_irqsave(&waits_lock);
    for (struct wait **pp = &waits; *pp;) {
        struct wait *w = *pp;
        if (pred(w, arg)) {
            *pp = w->next;
            w->next = taken;
            taken = w;
            waits_live--;
        } else {
            pp = &w->next;
        }
    }
    spin_unlock_irqrestore(&waits_lock, f);
    return taken;
}

static bool is_due(const struct wait *w, const void *arg)
{
    return w->kind != WAIT_EXIT && w->deadline <= *(const uint64_t *)arg;
}

static bool is_waiter(const struct wait *w, const void *arg)
{
    return w->waiter == arg;
}

static bool is_exit_of(const struct wait *w, const void *arg)
{
    return w->kind == WAIT_EXIT && w->target == arg;
}

/* Complete (or cancel) every wait of a taken list. */
static void waits_finish(struct wait *list, bool cancelled)
{
    while (list) {
        struct wait *next = list->next;
        wait_complete(list, cancelled);
        list = next;
    }
}

void procwait_finish_notification(struct wait *w, uint64_t bits)
{
    w->bits = bits;
    wait_complete(w, false);
}

void timer_waits_tick(uint64_t now)
{
    serialport_tick(now);
    if (__atomic_load_n(&waits_live, __ATOMIC_RELAXED))
        waits_finish(waits_take(is_due, &now), false);
}

void procwait_cancel_all(struct process *p)
{
    serialport_cancel(p);
    waits_finish(waits_take(is_waiter, p), true);
}

void procwait_notify_exit(struct process *p)
{
    waits_finish(waits_take(is_exit_of, p), false);
}
