/*
 * notify.c - NOTIFY0001: Notification objects.
 *
 * A factory makes a notification; poll and wait take and clear the pending
 * bits; signal(0) is INVAL; wait(0) with nothing pending is TIMEOUT at
 * once; a deferred wait completes with every bit of the next signal;
 * waiters wake oldest first, one per signal; a timed wait ends with
 * TIMEOUT no earlier than asked; the 17th outstanding wait exceeds the
 * wait quota; a child process given the notification signals it; a wait
 * outlives the release of the last capability and still times out; the
 * process exits with a wait pending (the driver's leak check).
 */
#include "tspawn.h"

#define FOREVER 0xffffffffffffffffull
#define SLOTS 20
#define UD (1ull << 62)    /* user_data of slot 0; the runtime counts from 1 */

static uint64_t params[SLOTS][8];
static uint8_t results[SLOTS][128] __attribute__((aligned(8)));

/* An SQE for method m of cap with one UInt64 argument (ignored by poll)
 * framed in params[slot], results into results[slot]. */
static struct ring_sqe nsqe(uint32_t cap, uint16_t m, uint64_t arg, int slot)
{
    struct capos_msgbuf mb;
    struct capnp_builder *b = capos_msg_begin(&mb, params[slot], 8);
    if (m == CAPOS_NOTIFICATION_METHOD_SIGNAL)
        capos_notification_signal_params_set_bits(
            capos_notification_signal_params_init_root(b), arg);
    else if (m == CAPOS_NOTIFICATION_METHOD_WAIT)
        capos_notification_wait_params_set_timeout_ns(
            capos_notification_wait_params_init_root(b), arg);
    else
        capos_notification_poll_params_init_root(b);
    capos_msg_finish(&mb);
    struct ring_sqe s = raw_call(cap, m, (uintptr_t)params[slot], mb.len,
                                 (uintptr_t)results[slot],
                                 sizeof results[slot]);
    s.user_data = UD + (uint64_t)slot;
    return s;
}

/* The bits of a wait or poll result in results[slot] (same layout). */
static uint64_t bits_of(int slot, const struct ring_cqe *c)
{
    struct capnp_msg msg;
    if (c->result < 0 || capos_msg_read(&msg, results[slot], (size_t)c->result))
        return ~0ull;
    return capos_notification_wait_results_get_bits(
        capos_notification_wait_results_read_root(&msg));
}

/* Call method m synchronously; returns the CQE. */
static struct ring_cqe ncall(uint32_t cap, uint16_t m, uint64_t arg)
{
    return raw(nsqe(cap, m, arg, 0));
}

/* The exact error of an exception completion (0 if it succeeded). */
static err_t exc(const struct ring_cqe *c)
{
    if (c->result >= 0)
        return ERR_OK;
    CHECK_EQ(c->result, CAP_ERR_APPLICATION_EXCEPTION);
    return (err_t)c->aux;
}

static void submit(struct ring_sqe s)
{
    CHECK_EQ(capos_ring_submit(capos_rt_ring(), &s), ERR_OK);
    CHECK_EQ(capos_ring_flush(capos_rt_ring()), ERR_OK);
}

static struct ring_cqe next_cqe(void)
{
    struct ring_cqe c = {0};
    CHECK_EQ(capos_ring_wait_any(capos_rt_ring(), CAP_ENTER_NO_TIMEOUT, &c),
             ERR_OK);
    return c;
}

/* A fresh notification from the factory. */
static uint32_t create(uint32_t factory)
{
    struct ring_cqe c = raw(raw_call(factory,
                                     CAPOS_NOTIFICATION_FACTORY_METHOD_CREATE, 0,
                                     0, (uintptr_t)results[0], 64));
    CHECK(c.result >= 0);
    CHECK_EQ(c.cap_count, 1);
    CHECK_EQ(c.cap0.iface_lo, (uint32_t)CAPOS_NOTIFICATION_INTERFACE_ID);
    return c.cap0.cap_id;
}

static void immediate(uint32_t n)
{
    struct ring_cqe c = ncall(n, CAPOS_NOTIFICATION_METHOD_POLL, 0);
    CHECK_EQ(bits_of(0, &c), 0);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_WAIT, 0);
    CHECK_EQ(exc(&c), ERR_TIMEOUT);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0);
    CHECK_EQ(exc(&c), ERR_INVAL);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0x5);
    CHECK_EQ(exc(&c), ERR_OK);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0x10);
    CHECK_EQ(exc(&c), ERR_OK);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_POLL, 0);
    CHECK_EQ(bits_of(0, &c), 0x15);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_POLL, 0);
    CHECK_EQ(bits_of(0, &c), 0);
    ncall(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0x80);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER);  /* pending: at once */
    CHECK_EQ(bits_of(0, &c), 0x80);
    c = ncall(n, 7, 0);
    CHECK_EQ(exc(&c), ERR_NOSYS);
}

/* Two deferred waits: each signal wakes the oldest, with all its bits. */
static void deferred(uint32_t n)
{
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER, 1));
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER, 2));
    struct ring_cqe none;
    CHECK_EQ(capos_ring_wait_any(capos_rt_ring(), 0, &none), ERR_TIMEOUT);
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0x3, 3));
    struct ring_cqe a = next_cqe(), b = next_cqe();
    if (a.user_data == UD + 3) {      /* the signal's own completion first */
        struct ring_cqe t = a;
        a = b;
        b = t;
    }
    CHECK_EQ(a.user_data, UD + 1);
    CHECK_EQ(bits_of(1, &a), 0x3);
    CHECK_EQ(b.user_data, UD + 3);
    CHECK_EQ(exc(&b), ERR_OK);
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 0x40, 3));
    a = next_cqe();
    b = next_cqe();
    struct ring_cqe w = a.user_data == UD + 2 ? a : b;
    CHECK_EQ(w.user_data, UD + 2);
    CHECK_EQ(bits_of(2, &w), 0x40);
    struct ring_cqe p = ncall(n, CAPOS_NOTIFICATION_METHOD_POLL, 0);
    CHECK_EQ(bits_of(0, &p), 0);    /* the woken waiter took them all */
}

static void timeout(uint32_t n, uint32_t timer)
{
    uint64_t t0 = 0, t1 = 0;
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t0, NULL), ERR_OK);
    struct ring_cqe c = ncall(n, CAPOS_NOTIFICATION_METHOD_WAIT, 20000000ull);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t1, NULL), ERR_OK);
    CHECK_EQ(exc(&c), ERR_TIMEOUT);
    CHECK(t1 - t0 >= 20000000ull);
}

/* 16 waits are the default quota: the 17th is refused, the rest wake. */
static void quota(uint32_t n)
{
    for (int i = 1; i <= 17; i++)
        submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER, i));
    struct ring_cqe c = next_cqe();
    CHECK_EQ(c.user_data, UD + 17);
    CHECK_EQ(exc(&c), ERR_QUOTA);
    int woken = 0;
    for (int i = 0; i < 16; i++) {
        ncall(n, CAPOS_NOTIFICATION_METHOD_SIGNAL, 1ull << i);
        c = next_cqe();
        int slot = (int)(c.user_data - UD);
        CHECK_EQ(slot, i + 1);                     /* oldest first */
        if (slot >= 1 && slot < SLOTS && bits_of(slot, &c) == 1ull << i)
            woken++;
    }
    CHECK_EQ(woken, 16);
}

/* A child holding a copy signals; the parent's deferred wait sees it. */
static void cross_process(uint32_t n, uint32_t spawner)
{
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER, 1));
    struct tgrant g[] = {{"n", n, CAPOS_NOTIFICATION_INTERFACE_ID, 0}};
    uint32_t h = 0;
    CHECK_EQ(t_spawn(spawner, "notify_child", "notify_child", g, 1, &h),
             ERR_OK);
    struct ring_cqe c = next_cqe();
    CHECK_EQ(c.user_data, UD + 1);
    CHECK_EQ(bits_of(1, &c), 0x1234);
    CHECK_EQ(t_wait(h), 0);
}

/* Releasing the only cap leaves a pending wait to its timeout. */
static void release_while_waiting(uint32_t factory)
{
    uint32_t n = create(factory);
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, 30000000ull, 1));
    CHECK_EQ(capos_release(n), ERR_OK);
    struct ring_cqe c = next_cqe();
    CHECK_EQ(c.user_data, UD + 1);
    CHECK_EQ(exc(&c), ERR_TIMEOUT);
    c = ncall(n, CAPOS_NOTIFICATION_METHOD_POLL, 0);
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_BADCAP);
}

int main(void)
{
    uint32_t factory = t_cap("notifications"), timer = t_cap("timer");
    uint32_t spawner = t_cap("spawner");
    uint32_t n = create(factory);
    immediate(n);
    deferred(n);
    timeout(n, timer);
    quota(n);
    cross_process(n, spawner);
    release_while_waiting(factory);
    submit(nsqe(n, CAPOS_NOTIFICATION_METHOD_WAIT, FOREVER, 1)); /* left pending */
    return t_result();
}
