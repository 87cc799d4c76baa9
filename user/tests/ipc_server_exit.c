/*
 * ipc_server_exit.c - IPC0005: a server process (ipc_child, spawned with
 * the Endpoint moved to it) answers a call, then exits while two calls are
 * queued or in service.  Both fail with a "disconnected" exception, aux
 * DISCONNECTED; later calls through any facet minted before fail the same
 * way at once.  Nothing leaks (the driver checks).
 */
#include "ipc_t.h"

static uint64_t res[3][16];

/* A completed call must be DISCONNECTED. */
static void check_disconnected(struct ring_cqe c, void *buf, size_t len)
{
    struct capos_exception ex;
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_DISCONNECTED);
    CHECK_EQ(capos_exception_decode(&c, buf, len, &ex), ERR_OK);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_DISCONNECTED);
}

int main(void)
{
    uint32_t ep = 0, cl = 0, cl2 = 0, h = 0;
    uint64_t w[16];
    int64_t code = 0;
    struct capos_spawn_grant g[2] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"ep", 0, CAPOS_ENDPOINT_INTERFACE_ID, XFER_MOVE},
    };

    t_endpoint(&ep, &cl);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&cl2), NULL), ERR_OK);
    g[1].cap = ep;
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "srv", "ipc_child", g, 2,
                                 &h), ERR_OK);
    CHECK(!t_has_cap(ep));                  /* moved to the child */
    /* One good round trip. */
    struct capos_msgbuf m = t_msg(w, 1, T_NOCAP);
    struct ring_cqe c = t_wait(t_submit(cl, 0, &m, NULL, 0, res[0], 128));
    CHECK_EQ(t_result_tag(&c, res[0], 128), 2);
    /* "exit" and one call queued behind it. */
    uint64_t u1 = t_submit(cl, 1, &m, NULL, 0, res[1], 128);
    uint64_t u2 = t_submit(cl2, 0, &m, NULL, 0, res[2], 128);
    check_disconnected(t_wait(u1), res[1], 128);
    check_disconnected(t_wait(u2), res[2], 128);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 5);
    /* Later calls fail at once. */
    check_disconnected(t_wait(t_submit(cl2, 0, &m, NULL, 0, res[0], 128)),
                       res[0], 128);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(cl2), ERR_OK);
    return t_result();
}
