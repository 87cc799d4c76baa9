/*
 * timer_exit.c - TIME0010: a process that exits with sleeps still pending
 * leaves nothing behind (the driver's leak check: waits, frames, heap).
 */
#include "t.h"

static uint64_t p[16];
static uint8_t res[4][64] __attribute__((aligned(8)));

int main(void)
{
    uint32_t timer = t_cap("timer");
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, p, 16);
    capos_timer_sleep_params_set_ns(capos_timer_sleep_params_init_root(b),
                                    10000000000ull);
    capos_msg_finish(&m);
    for (int i = 0; i < 4; i++) {
        struct ring_sqe s;
        capos_timer_sleep_call(&s, timer, m.words, m.len, res[i], 64);
        s.user_data = 10 + i;
        CHECK_EQ(capos_ring_submit(capos_rt_ring(), &s), ERR_OK);
    }
    capos_ring_flush(capos_rt_ring());
    return t_result();
}
