/*
 * timer.c - TIME0001..: Timer.now is monotonic; sleep waits at least the
 * time asked; a sleep is deferred while other calls complete first (out of
 * order, matched by user_data); the 17th outstanding sleep exceeds the wait
 * quota (overloaded, QUOTA) and the others still complete; a sleep of 0
 * completes at once; an overflowing deadline is rejected.
 */
#include "t.h"

static uint64_t params[8][16];
static uint8_t results[20][128] __attribute__((aligned(8)));

/* A Timer.sleep SQE for `ns` with params built in params[slot]. */
static struct ring_sqe sleep_sqe(uint32_t timer, uint64_t ns, int slot,
                                 int rslot)
{
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, params[slot], 16);
    capos_timer_sleep_params_set_ns(capos_timer_sleep_params_init_root(b), ns);
    capos_msg_finish(&m);
    struct ring_sqe s;
    capos_timer_sleep_call(&s, timer, m.words, m.len, results[rslot],
                           sizeof results[rslot]);
    return s;
}

static void out_of_order(uint32_t timer)
{
    struct capos_ring *r = capos_rt_ring();
    struct ring_sqe s = sleep_sqe(timer, 30000000ull, 0, 0);
    s.user_data = 111;
    CHECK_EQ(capos_ring_submit(r, &s), ERR_OK);
    struct ring_sqe nop = {.opcode = RING_OP_NOP, .user_data = 222};
    CHECK_EQ(capos_ring_submit(r, &nop), ERR_OK);
    struct ring_cqe c;
    CHECK_EQ(capos_ring_wait_any(r, CAP_ENTER_NO_TIMEOUT, &c), ERR_OK);
    CHECK_EQ(c.user_data, 222);           /* the NOP overtakes the sleep */
    CHECK_EQ(capos_ring_wait_any(r, CAP_ENTER_NO_TIMEOUT, &c), ERR_OK);
    CHECK_EQ(c.user_data, 111);
    CHECK(c.result >= 0);
}

static void quota(uint32_t timer)
{
    struct capos_ring *r = capos_rt_ring();
    for (int i = 0; i < 17; i++) {
        struct ring_sqe s = sleep_sqe(timer, 20000000ull, 1, i);
        s.user_data = 500 + i;
        CHECK_EQ(capos_ring_submit(r, &s), ERR_OK);
        capos_ring_flush(r);
    }
    int ok = 0, quota_hits = 0;
    for (int i = 0; i < 17; i++) {
        struct ring_cqe c;
        CHECK_EQ(capos_ring_wait_any(r, CAP_ENTER_NO_TIMEOUT, &c), ERR_OK);
        if (c.result >= 0)
            ok++;
        else if (c.result == CAP_ERR_APPLICATION_EXCEPTION && c.aux == ERR_QUOTA)
            quota_hits++;
    }
    CHECK_EQ(ok, 16);
    CHECK_EQ(quota_hits, 1);
}

int main(void)
{
    uint32_t timer = t_cap("timer");
    uint64_t a = 0, b = 0;
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &a, NULL), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &b, NULL), ERR_OK);
    CHECK(b >= a);
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 50000000ull, NULL), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &b, NULL), ERR_OK);
    CHECK(b - a >= 50000000ull);
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 0, NULL), ERR_OK);
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 0xffffffffffffffffull, NULL), ERR_OVERFLOW);
    out_of_order(timer);
    quota(timer);
    return t_result();
}
