/*
 * timer.c - the Timer capability: monotonic time and sleeping.
 *
 * sleep is a deferred CALL: the completion arrives from the timer tick once
 * the deadline passes (kernel/proc/procwait.c), so a process can sleep and
 * keep other calls in flight.  Resolution is one tick (1/CLOCK_HZ s).
 */
#include <capos.capnp.h>
#include <kernel/clock.h>
#include <kernel/kobjs.h>
#include <kernel/procwait.h>

static const struct kobj_ops timer_ops = {.name = "timer", .type = KOBJ_TIMER};
static struct kobj timer;

struct kobj *timer_obj(void)
{
    if (!timer.ops)
        kobj_init(&timer, &timer_ops);
    return &timer;
}

static int timer_now(void *ctx, capos_timer_now_params_r params,
                     capos_timer_now_results_b results)
{
    (void)ctx;
    (void)params;
    capos_timer_now_results_set_ns(results, clock_ns());
    return ERR_OK;
}

static int timer_sleep(void *ctx, capos_timer_sleep_params_r params,
                       capos_timer_sleep_results_b results)
{
    (void)results;
    uint64_t ns = capos_timer_sleep_params_get_ns(params), now = clock_ns();
    if (now + ns < now)
        return call_fail(ctx, ERR_OVERFLOW, "sleep deadline overflows");
    if (ns == 0)
        return ERR_OK;
    return procwait_sleep(ctx, now + ns);
}

static const capos_timer_server_t timer_server = {
    .now = timer_now,
    .sleep = timer_sleep,
};

static int timer_dispatch(struct call_ctx *c, uint16_t m,
                          struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_timer_dispatch(&timer_server, c, m, params, res);
}

const struct kiface timer_iface = {
    .id = CAPOS_TIMER_INTERFACE_ID, .name = "Timer", .dispatch = timer_dispatch};
