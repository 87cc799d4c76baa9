/*
 * ipc_queue.c - IPC0003: an endpoint queues at most 16 calls.
 * One process cannot fill the queue: its 17th outstanding call hits the
 * per-process wait quota first (16, docs/ring.md) and fails QUOTA.  So a
 * child (ipc_child "fill" mode) queues 16 calls; then this process's CALL
 * fails at once with an "overloaded" exception, aux FULL, and is not
 * queued.  The 16 calls are received in order and answered; the child
 * checks every reply (exit 0), and the queue takes calls again.
 */
#include "ipc_t.h"

#define QMAX 16

static uint64_t res[QMAX + 1][16];

/* Own calls: the 17th outstanding one is over the wait quota. */
static void own_quota(uint32_t ep, uint32_t cl)
{
    uint64_t w[16], ud[QMAX + 1];
    struct capos_msgbuf m = t_msg(w, 0, T_NOCAP);

    for (int i = 0; i <= QMAX; i++)
        ud[i] = t_submit(cl, 0, &m, NULL, 0, res[i], sizeof res[i]);
    struct ring_cqe c = t_wait(ud[QMAX]);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_QUOTA);
    for (int i = 0; i < QMAX; i++)
        t_serve_one(ep, 0, NULL);
    for (int i = 0; i < QMAX; i++)
        CHECK(t_wait(ud[i]).result >= 0);
}

/* Sleep until ep has n calls queued (at most ~2 s). */
static void wait_pending(uint32_t ep, uint32_t want)
{
    uint32_t n = 0;
    for (int i = 0; i < 200; i++) {
        CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
        if (n >= want)
            break;
        capos_timer_sleep(CAPOS_HANDLE(capos_timer, t_cap("timer")), 10ull * 1000 * 1000, NULL);
    }
    CHECK_EQ(n, want);
}

int main(void)
{
    uint32_t ep = 0, cl = 0, fill = 0, h = 0, n = 0;
    uint64_t w[16];
    int64_t code = -1;
    struct capos_exception ex;

    t_endpoint(&ep, &cl);
    own_quota(ep, cl);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&fill), NULL), ERR_OK);
    struct capos_spawn_grant g[2] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"fill", fill, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, XFER_MOVE},
    };
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "filler", "ipc_child", g, 2,
                                 &h), ERR_OK);
    wait_pending(ep, QMAX);
    struct capos_msgbuf m = t_msg(w, 99, T_NOCAP);
    struct ring_cqe c = t_wait(t_submit(cl, 0, &m, NULL, 0, res[0], 128));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_FULL);
    CHECK_EQ(capos_exception_decode(&c, res[0], 128, &ex), ERR_OK);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_OVERLOADED);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, QMAX);
    for (uint64_t i = 0; i < QMAX; i++)
        CHECK_EQ(t_serve_one(ep, 1000 + i, NULL), i);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 0);
    /* Room again. */
    uint64_t ud = t_submit(cl, 0, &m, NULL, 0, res[0], 128);
    CHECK_EQ(t_serve_one(ep, 78, NULL), 99);
    c = t_wait(ud);
    CHECK_EQ(t_result_tag(&c, res[0], 128), 78);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
