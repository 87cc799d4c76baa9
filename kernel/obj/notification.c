/*
 * notification.c - Notification and NotificationFactory capabilities.
 *
 * A notification is a word of pending signal bits.  signal ORs bits in;
 * wait takes and clears them, or, when none are pending, becomes a
 * deferred CALL (kernel/proc/procwait.c) that the next signal completes
 * with every pending bit, or the timer tick with TIMEOUT.  Waiters are
 * woken oldest first, one per signal; a signal that finds no waiter stays
 * pending.  Nothing is allocated per signal, so signalling cannot fail
 * for lack of memory and can come from an interrupt (notification.h).
 *
 * A pending wait holds a reference on the notification: releasing the
 * last capability leaves the wait to end by its timeout (or a signal from
 * the kernel side), never by a use after free.  The waiter's exit cancels
 * its waits.  Locking: see notification.h.
 */
#include <capos.capnp.h>
#include <kernel/cap_table.h>
#include <kernel/clock.h>
#include <kernel/kobjs.h>
#include <kernel/kmem.h>
#include <kernel/notification.h>
#include <kernel/procwait.h>

#define WAIT_FOREVER UINT64_MAX

static void notification_destroy(struct kobj *o)
{
    kfree(o);
}

static const struct kobj_ops notification_ops = {
    .name = "notification", .type = KOBJ_NOTIFICATION,
    .destroy = notification_destroy};

struct notification *notification_create(void)
{
    struct notification *n = kzalloc(sizeof *n);
    if (!n)
        return NULL;
    n->lock = (struct spinlock)SPINLOCK_INIT("notification");
    kobj_init(&n->obj, &notification_ops);
    return n;
}

void notification_signal(struct notification *n, uint64_t bits)
{
    uint64_t f = spin_lock_irqsave(&n->lock);
    n->pending |= bits;
    struct wait *w = procwait_take_notification(n);
    uint64_t taken = w ? n->pending : 0;
    if (w)
        n->pending = 0;
    spin_unlock_irqrestore(&n->lock, f);
    if (w)
        procwait_finish_notification(w, taken);
}

/* Take and clear the pending bits of n (n->lock held). */
static uint64_t take_pending(struct notification *n)
{
    uint64_t bits = n->pending;
    n->pending = 0;
    return bits;
}

static int nt_signal(void *ctx, capos_notification_signal_params_r params,
                     capos_notification_signal_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    uint64_t bits = capos_notification_signal_params_get_bits(params);
    if (!bits)
        return call_fail(c, ERR_INVAL, "no bits to signal");
    notification_signal((struct notification *)c->target, bits);
    return ERR_OK;
}

/* The absolute deadline of a wait of `timeout` ns from now. */
static uint64_t wait_deadline(uint64_t timeout)
{
    uint64_t now = clock_ns();
    if (timeout == WAIT_FOREVER || now + timeout < now)
        return WAIT_FOREVER;
    return now + timeout;
}

static int nt_wait(void *ctx, capos_notification_wait_params_r params,
                   capos_notification_wait_results_b results)
{
    struct call_ctx *c = ctx;
    struct notification *n = (struct notification *)c->target;
    uint64_t timeout = capos_notification_wait_params_get_timeout_ns(params);
    err_t r = ERR_OK;
    uint64_t f = spin_lock_irqsave(&n->lock);
    uint64_t bits = take_pending(n);
    if (bits)
        capos_notification_wait_results_set_bits(results, bits);
    else if (!timeout)
        r = call_fail(c, ERR_TIMEOUT, "nothing pending");
    else
        r = procwait_notification(c, n, wait_deadline(timeout));
    spin_unlock_irqrestore(&n->lock, f);
    return r;
}

static int nt_poll(void *ctx, capos_notification_poll_params_r params,
                   capos_notification_poll_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    struct notification *n = (struct notification *)c->target;
    uint64_t f = spin_lock_irqsave(&n->lock);
    uint64_t bits = take_pending(n);
    spin_unlock_irqrestore(&n->lock, f);
    capos_notification_poll_results_set_bits(results, bits);
    return ERR_OK;
}

static const capos_notification_server_t notification_server = {
    .signal = nt_signal,
    .wait = nt_wait,
    .poll = nt_poll,
};

static int notification_dispatch(struct call_ctx *c, uint16_t m,
                                 struct capnp_msg *params,
                                 struct capnp_builder *res)
{
    return capos_notification_dispatch(&notification_server, c, m, params, res);
}

const struct kiface notification_iface = {
    .id = CAPOS_NOTIFICATION_INTERFACE_ID, .name = "Notification",
    .dispatch = notification_dispatch};

/* ---- the factory ------------------------------------------------------ */

static const struct kobj_ops factory_ops = {.name = "notification-factory",
                                            .type = KOBJ_NOTIFYFACTORY};
static struct kobj factory;

struct kobj *notification_factory_obj(void)
{
    if (!factory.ops)
        kobj_init(&factory, &factory_ops);
    return &factory;
}

static int nf_create(void *ctx, capos_notification_factory_create_params_r params,
                     capos_notification_factory_create_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    struct notification *n = notification_create();
    if (!n)
        return call_fail(c, ERR_NOMEM, "no memory for the notification");
    capos_notification_factory_create_results_set_notification(results, 0);
    c->result_obj = &n->obj;
    c->result_iface = CAPOS_NOTIFICATION_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static const capos_notification_factory_server_t factory_server = {
    .create = nf_create,
};

static int factory_dispatch(struct call_ctx *c, uint16_t m,
                            struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_notification_factory_dispatch(&factory_server, c, m, params,
                                               res);
}

const struct kiface notification_factory_iface = {
    .id = CAPOS_NOTIFICATION_FACTORY_INTERFACE_ID,
    .name = "NotificationFactory", .dispatch = factory_dispatch};
