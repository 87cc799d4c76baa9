/*
 * ipc_caller_exit.c - IPC0006: a caller (ipc_child with a client facet
 * moved to it) queues two calls and exits without waiting.  The call the
 * server had already received is answered after the caller's death: the
 * RETURN completes with aux DISCONNECTED, the reply is discarded and a cap
 * the server tried to move with it stays with the server.  The call not
 * yet received is dropped (pending 0).  Nothing leaks (the driver checks).
 */
#include "ipc_t.h"

static uint64_t rbuf[128];

int main(void)
{
    uint32_t ep = 0, cl = 0, h = 0, n = 9, t2 = 0;
    uint64_t w[16], ns;
    int64_t code = 0;
    struct capos_request req;
    struct capos_spawn_grant g[3] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"timer", t_cap("timer"), CAPOS_TIMER_INTERFACE_ID, XFER_COPY},
        {"cl", 0, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, XFER_MOVE},
    };

    t_endpoint(&ep, &cl);
    g[2].cap = cl;
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "caller", "ipc_child", g, 3,
                                 &h), ERR_OK);
    CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, &req), ERR_OK);
    CHECK_EQ(t_tag(&req.in.msg), 10);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 3);
    /* A cap to move with the reply: a fresh client facet. */
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&t2), NULL), ERR_OK);
    struct ring_xfer x = {t2, XFER_MOVE};
    struct capos_msgbuf m = t_msg(w, 0, 0);
    CHECK_EQ(capos_server_return(ep, req.call_id, m.words, m.len, &x, 1),
             ERR_DISCONNECTED);
    CHECK(t_has_cap(t2));                   /* the move did not happen */
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t_cap("timer")), &ns, NULL), ERR_OK);
    CHECK_EQ(capos_release(t2), ERR_OK);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
