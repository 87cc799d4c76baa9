/*
 * ipc_xfer.c - IPC0003: capability transfer on CALL and RETURN.
 * COPY leaves the sender's cap and gives the receiver a new CapId of the
 * same interface; MOVE removes the sender's slot (CapabilityManager.list);
 * a copied client facet keeps its session; result caps arrive as cap
 * records (cqe.cap0 and after the result message).  Every failing transfer
 * changes nothing (no cap gained or lost, nothing queued): a bad mode
 * (INVALID_REQUEST/INVAL), more than 8 entries (INVALID_REQUEST/INVAL), a
 * stale id (INVOKE_FAILED/BADCAP), a list whose good COPY precedes a stale
 * entry, a non-transferable ProcessHandle (INVOKE_FAILED/PERM) and the
 * same cap moved twice in one list (INVOKE_FAILED/BUSY).
 */
#include "ipc_t.h"

#define TIMER_LO ((uint32_t)CAPOS_TIMER_INTERFACE_ID)

static uint64_t rbuf[128];
static uint64_t res[64];

/* The cap a received call carries in its carrier message. */
static uint32_t req_cap(struct capos_request *req, uint64_t iface)
{
    struct capnp_ptr p =
        capos_spawn_grant_get_cap(capos_spawn_grant_read_root(&req->in.msg));
    uint32_t id = 0;
    CHECK_EQ(capos_msg_caps_take(&req->in, capnp_ptr_read_cap(&p), iface, &id),
             ERR_OK);
    return id;
}

/* CALL cl carrying x[n] (cap index 0), RECV it; returns the user_data. */
static uint64_t send_caps(uint32_t ep, uint32_t cl, const struct ring_xfer *x,
                          uint32_t n, struct capos_request *req)
{
    uint64_t w[16];
    struct capos_msgbuf m = t_msg(w, 5, n ? 0 : T_NOCAP);
    uint64_t ud = t_submit(cl, 1, &m, x, n, res, sizeof res);
    CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, req), ERR_OK);
    CHECK_EQ(req->in.ncaps, n);
    return ud;
}

/* Answer req with an empty reply and wait for ud. */
static void finish(uint32_t ep, const struct capos_request *req, uint64_t ud)
{
    uint64_t w[16];
    struct capos_msgbuf r = t_msg(w, 0, T_NOCAP);
    CHECK_EQ(capos_server_return(ep, req->call_id, r.words, r.len, NULL, 0),
             ERR_OK);
    CHECK(t_wait(ud).result >= 0);
}

/* COPY then MOVE of a Timer cap through the endpoint. */
static uint32_t copy_and_move(uint32_t ep, uint32_t cl)
{
    uint32_t timer = t_cap("timer"), n0 = t_ncaps(), t2, t3;
    struct capos_request req;
    uint64_t ns;
    struct ring_xfer x = {timer, XFER_COPY};
    uint64_t ud = send_caps(ep, cl, &x, 1, &req);

    CHECK_EQ(req.in.caps[0].iface_lo, TIMER_LO);
    t2 = req_cap(&req, CAPOS_TIMER_INTERFACE_ID);
    finish(ep, &req, ud);
    CHECK(t2 != timer);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t2), &ns, NULL), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &ns, NULL), ERR_OK);
    CHECK_EQ(t_ncaps(), n0 + 1);
    x = (struct ring_xfer){t2, XFER_MOVE};
    ud = send_caps(ep, cl, &x, 1, &req);
    t3 = req_cap(&req, CAPOS_TIMER_INTERFACE_ID);
    finish(ep, &req, ud);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t2), &ns, NULL), ERR_BADCAP);
    CHECK(!t_has_cap(t2));
    CHECK(t_has_cap(t3));
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t3), &ns, NULL), ERR_OK);
    CHECK_EQ(t_ncaps(), n0 + 1);
    return t3;
}

/* A copy of a client facet is the same session. */
static void facet_copy_session(uint32_t ep, uint32_t cl)
{
    struct capos_request req;
    struct ring_xfer x = {cl, XFER_COPY};
    uint64_t s1, s2, w[16];
    uint64_t ud = send_caps(ep, cl, &x, 1, &req);
    uint32_t copy = req_cap(&req, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID);

    s1 = req.session;
    finish(ep, &req, ud);
    struct capos_msgbuf m = t_msg(w, 9, T_NOCAP);
    ud = t_submit(copy, 0, &m, NULL, 0, res, sizeof res);
    CHECK_EQ(t_serve_one(ep, 0, &s2), 9);
    t_wait(ud);
    CHECK_EQ(s1, s2);
    CHECK_EQ(capos_release(copy), ERR_OK);
}

/* RETURN moves t3 back to the caller; then two copies at once. */
static void result_caps(uint32_t ep, uint32_t cl, uint32_t t3)
{
    uint64_t w[16];
    struct capos_request req;
    struct capos_msg_caps rc;
    uint32_t got = 0, got2 = 0;
    uint64_t ns;
    uint64_t ud = send_caps(ep, cl, NULL, 0, &req);
    struct capos_msgbuf r = t_msg(w, 6, 0);
    struct ring_xfer x[2] = {{t3, XFER_MOVE}, {t_cap("console"), XFER_COPY}};

    CHECK_EQ(capos_server_return(ep, req.call_id, r.words, r.len, x, 1), ERR_OK);
    struct ring_cqe c = t_wait(ud);
    CHECK_EQ(c.cap_count, 1);
    CHECK_EQ(c.cap0.iface_lo, TIMER_LO);
    CHECK_EQ(capos_msg_caps_open_result(&rc, &c, res, sizeof res), ERR_OK);
    CHECK_EQ(t_tag(&rc.msg), 6);
    CHECK_EQ(capos_msg_caps_take(&rc, 0, CAPOS_TIMER_INTERFACE_ID, &got), ERR_OK);
    CHECK_EQ(got, c.cap0.cap_id);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, got), &ns, NULL), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t3), &ns, NULL), ERR_BADCAP);
    /* Two result caps: records after the message. */
    ud = send_caps(ep, cl, NULL, 0, &req);
    x[0] = (struct ring_xfer){got, XFER_COPY};
    CHECK_EQ(capos_server_return(ep, req.call_id, r.words, r.len, x, 2), ERR_OK);
    c = t_wait(ud);
    CHECK_EQ(c.cap_count, 2);
    CHECK_EQ(capos_msg_caps_open_result(&rc, &c, res, sizeof res), ERR_OK);
    CHECK_EQ(capos_msg_caps_take(&rc, 1, CAPOS_TIMER_INTERFACE_ID, &got2),
             ERR_WRONGTYPE);
    CHECK_EQ(capos_msg_caps_take(&rc, 1, CAPOS_CONSOLE_INTERFACE_ID, &got2),
             ERR_OK);
    CHECK_EQ(capos_msg_caps_release_rest(&rc), ERR_OK);
    CHECK_EQ(capos_release(got2), ERR_OK);
    CHECK_EQ(capos_release(got), ERR_OK);
}

/* A CALL with x[n] must fail with (result, aux) and change nothing. */
static void must_fail(uint32_t ep, uint32_t cl, const struct ring_xfer *x,
                      uint32_t n, int32_t result, uint32_t aux)
{
    uint32_t n0 = t_ncaps(), pend = 9;
    uint64_t w[16];
    struct capos_msgbuf m = t_msg(w, 1, 0);
    struct ring_cqe c = t_wait(t_submit(cl, 0, &m, x, n, res, sizeof res));

    if (c.result != result || c.aux != aux)
        printf("  xfer case %u/%u: got result %d aux %u\n", x[0].mode,
               n, c.result, c.aux);
    CHECK_EQ(c.result, result);
    CHECK_EQ(c.aux, aux);
    CHECK_EQ(t_ncaps(), n0);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &pend, NULL), ERR_OK);
    CHECK_EQ(pend, 0);
    for (uint32_t i = 0; i < n && i < RING_MAX_XFER; i++)
        if (x[i].cap_id == t_cap("timer"))
            CHECK(t_has_cap(x[i].cap_id));
}

/* Every failing transfer list leaves both sides unchanged. */
static void rollbacks(uint32_t ep, uint32_t cl)
{
    uint32_t timer = t_cap("timer"), h = 0, stale;
    int64_t code = 0;
    struct ring_xfer x[RING_MAX_XFER + 1];
    const struct capos_spawn_grant g = {"console", t_cap("console"),
                                        CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY};

    x[0] = (struct ring_xfer){timer, 2};
    must_fail(ep, cl, x, 1, CAP_ERR_INVALID_REQUEST, ERR_INVAL);
    for (int i = 0; i <= (int)RING_MAX_XFER; i++)
        x[i] = (struct ring_xfer){timer, XFER_COPY};
    must_fail(ep, cl, x, RING_MAX_XFER + 1, CAP_ERR_INVALID_REQUEST,
              ERR_INVAL);
    /* A stale id: a released copy. */
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, t_cap("spawner")), (struct capos_endpoint *)(&stale), NULL), ERR_OK);
    CHECK_EQ(capos_release(stale), ERR_OK);
    x[0] = (struct ring_xfer){stale, XFER_MOVE};
    must_fail(ep, cl, x, 1, CAP_ERR_INVOKE_FAILED, ERR_BADCAP);
    x[0] = (struct ring_xfer){timer, XFER_COPY};
    x[1] = (struct ring_xfer){stale, XFER_COPY};
    must_fail(ep, cl, x, 2, CAP_ERR_INVOKE_FAILED, ERR_BADCAP);
    /* ProcessHandle is not transferable, by copy or move. */
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "xfer-child", "exit_code",
                                 &g, 1, &h), ERR_OK);
    x[0] = (struct ring_xfer){h, XFER_COPY};
    must_fail(ep, cl, x, 1, CAP_ERR_INVOKE_FAILED, ERR_PERM);
    x[0] = (struct ring_xfer){h, XFER_MOVE};
    must_fail(ep, cl, x, 1, CAP_ERR_INVOKE_FAILED, ERR_PERM);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 7);
    CHECK_EQ(capos_release(h), ERR_OK);
    /* The same cap moved twice in one list. */
    x[0] = (struct ring_xfer){timer, XFER_MOVE};
    x[1] = (struct ring_xfer){timer, XFER_MOVE};
    must_fail(ep, cl, x, 2, CAP_ERR_INVOKE_FAILED, ERR_BUSY);
}

int main(void)
{
    uint32_t ep = 0, cl = 0;
    t_endpoint(&ep, &cl);
    uint32_t t3 = copy_and_move(ep, cl);
    facet_copy_session(ep, cl);
    result_caps(ep, cl, t3);
    rollbacks(ep, cl);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
