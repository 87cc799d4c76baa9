/*
 * ipc_queue.c - IPC0002: an endpoint queues at most 16 calls.  The 17th
 * CALL fails at once with an "overloaded" exception, aux FULL, and is not
 * queued; the 16 queued calls are all received and answered in order, and
 * then the queue takes calls again.
 */
#include "ipc_t.h"

#define QMAX 16

static uint64_t res[QMAX + 1][16];

int main(void)
{
    uint32_t ep = 0, cl = 0, n = 0;
    uint64_t w[16], ud[QMAX + 1];
    struct capos_exception ex;

    t_endpoint(&ep, &cl);
    for (int i = 0; i <= QMAX; i++) {
        struct capos_msgbuf m = t_msg(w, (uint64_t)i, T_NOCAP);
        ud[i] = t_submit(cl, 0, &m, NULL, 0, res[i], sizeof res[i]);
    }
    struct ring_cqe c = t_wait(ud[QMAX]);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_FULL);
    CHECK_EQ(capos_exception_decode(&c, res[QMAX], sizeof res[QMAX], &ex),
             ERR_OK);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_OVERLOADED);
    CHECK_EQ(capos_endpoint_pending(ep, &n), ERR_OK);
    CHECK_EQ(n, QMAX);
    for (int i = 0; i < QMAX; i++)
        CHECK_EQ(t_serve_one(ep, 1000 + (uint64_t)i, NULL), i);
    for (int i = 0; i < QMAX; i++) {
        c = t_wait(ud[i]);
        CHECK_EQ(t_result_tag(&c, res[i], sizeof res[i]), 1000 + i);
    }
    /* Room again. */
    struct capos_msgbuf m = t_msg(w, 77, T_NOCAP);
    ud[0] = t_submit(cl, 0, &m, NULL, 0, res[0], sizeof res[0]);
    CHECK_EQ(t_serve_one(ep, 78, NULL), 77);
    c = t_wait(ud[0]);
    CHECK_EQ(t_result_tag(&c, res[0], sizeof res[0]), 78);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
