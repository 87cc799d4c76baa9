/*
 * notify_child.c - spawned by NOTIFY0001: signal bits 0x1234 on the
 * Notification granted as "n", then exit 0.
 */
#include "t.h"

static uint64_t p[8];
static uint8_t res[64] __attribute__((aligned(8)));

int main(void)
{
    uint32_t n = t_cap("n");
    struct capos_msgbuf m;
    capos_notification_signal_params_set_bits(
        capos_notification_signal_params_init_root(capos_msg_begin(&m, p, 8)),
        0x1234);
    capos_msg_finish(&m);
    struct ring_cqe c = raw(raw_call(n, CAPOS_NOTIFICATION_METHOD_SIGNAL,
                                     (uintptr_t)p, m.len, (uintptr_t)res,
                                     sizeof res));
    CHECK(c.result >= 0);
    return t_result();
}
