/*
 * ipc_basic.c - IPC0001: one process is client and server of its own
 * endpoint.  A CALL through a client facet is delivered verbatim (method,
 * params, session, caller pid) to RECV; RETURN completes the CALL with the
 * reply; an exception RETURN surfaces as CAP_ERR_APPLICATION_EXCEPTION
 * with the server's code and message; calls are received in submission
 * order and each completion carries its own reply; a second RETURN of the
 * same call is NOTFOUND; sessions are non-zero, stable per facet and
 * different between facets; Endpoint.pending counts queued calls.
 */
#include "ipc_t.h"

static uint64_t rbuf[128];
static uint64_t res[8][32];

/* CALL, RECV, check what arrived, RETURN, check the completion. */
static void round_trip(uint32_t ep, uint32_t cl)
{
    uint64_t w[16], rw[16];
    struct capos_request req;
    uint32_t n = 99;
    struct capos_msgbuf m = t_msg(w, 42, T_NOCAP);
    uint64_t ud = t_submit(cl, 7, &m, NULL, 0, res[0], sizeof res[0]);

    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, &req), ERR_OK);
    CHECK_EQ(req.method, 7);
    CHECK_EQ(req.params_len, m.len);
    CHECK(memcmp(req.params, m.words, m.len) == 0);
    CHECK_EQ(t_tag(&req.in.msg), 42);
    CHECK_EQ(req.in.ncaps, 0);
    CHECK(req.session != 0);
    CHECK_EQ(req.caller_pid, capos_rt_pid());
    CHECK(req.call_id != 0);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    struct ring_cqe c;
    CHECK(!t_done(ud, &c));                 /* not before RETURN */
    struct capos_msgbuf r = t_msg(rw, 43, T_NOCAP);
    CHECK_EQ(capos_server_return(ep, req.call_id, r.words, r.len, NULL, 0),
             ERR_OK);
    c = t_wait(ud);
    CHECK_EQ(c.result, (int32_t)r.len);
    CHECK_EQ(c.cap_count, 0);
    CHECK_EQ(t_result_tag(&c, res[0], sizeof res[0]), 43);
    /* The same call id cannot be answered twice. */
    CHECK_EQ(capos_server_return(ep, req.call_id, r.words, r.len, NULL, 0),
             ERR_NOTFOUND);
}

/* A server exception reaches the caller with code and message. */
static void exception(uint32_t ep, uint32_t cl)
{
    uint64_t w[16];
    struct capos_request req;
    struct capos_exception ex;
    struct capos_msgbuf m = t_msg(w, 1, T_NOCAP);
    uint64_t ud = t_submit(cl, 3, &m, NULL, 0, res[0], sizeof res[0]);

    CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, &req), ERR_OK);
    CHECK_EQ(capos_server_return_error(ep, req.call_id, ERR_NOTFOUND,
                                       "no such key"), ERR_OK);
    struct ring_cqe c = t_wait(ud);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_NOTFOUND);
    CHECK_EQ(capos_exception_decode(&c, res[0], sizeof res[0], &ex), ERR_OK);
    CHECK_EQ(ex.code, ERR_NOTFOUND);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_FAILED);
    CHECK(!strcmp(ex.message, "no such key"));
}

/* Five calls from two facets arrive in order; replies go to the right
 * completion even when answered in reverse. */
static void ordering(uint32_t ep, uint32_t cl, uint32_t cl2)
{
    uint64_t w[16], ud[5], rw[16];
    uint32_t call[5];
    struct capos_request req;

    for (int i = 0; i < 5; i++) {
        struct capos_msgbuf m = t_msg(w, 100 + i, T_NOCAP);
        ud[i] = t_submit(i & 1 ? cl2 : cl, (uint16_t)i, &m, NULL, 0, res[i],
                         sizeof res[i]);
    }
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, &req), ERR_OK);
        CHECK_EQ(t_tag(&req.in.msg), 100 + i);
        CHECK_EQ(req.method, i);
        call[i] = req.call_id;
    }
    for (int i = 4; i >= 0; i--) {
        struct capos_msgbuf r = t_msg(rw, 200 + i, T_NOCAP);
        CHECK_EQ(capos_server_return(ep, call[i], r.words, r.len, NULL, 0),
                 ERR_OK);
    }
    for (int i = 0; i < 5; i++) {
        struct ring_cqe c = t_wait(ud[i]);
        CHECK(c.result > 0);
        CHECK_EQ(t_result_tag(&c, res[i], sizeof res[i]), 200 + i);
    }
}

/* Session ids: per facet, stable, shared by copies of a facet. */
static void sessions(uint32_t ep, uint32_t cl, uint32_t cl2)
{
    uint64_t w[16], s1 = 0, s1b = 0, s2 = 0, s3 = 0;
    struct capos_msgbuf m = t_msg(w, 0, T_NOCAP);
    uint64_t ud;

    ud = t_submit(cl, 0, &m, NULL, 0, res[0], sizeof res[0]);
    t_serve_one(ep, 0, &s1);
    t_wait(ud);
    ud = t_submit(cl2, 0, &m, NULL, 0, res[0], sizeof res[0]);
    t_serve_one(ep, 0, &s2);
    t_wait(ud);
    ud = t_submit(cl, 0, &m, NULL, 0, res[0], sizeof res[0]);
    t_serve_one(ep, 0, &s1b);
    t_wait(ud);
    CHECK(s1 != 0 && s2 != 0);
    CHECK(s1 != s2);
    CHECK_EQ(s1, s1b);
    /* A facet minted later is a new session. */
    uint32_t cl3;
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&cl3), NULL), ERR_OK);
    ud = t_submit(cl3, 0, &m, NULL, 0, res[0], sizeof res[0]);
    t_serve_one(ep, 0, &s3);
    t_wait(ud);
    CHECK(s3 != s1 && s3 != s2);
    CHECK_EQ(capos_release(cl3), ERR_OK);
}

int main(void)
{
    uint32_t ep = 0, cl = 0, cl2 = 0;
    t_endpoint(&ep, &cl);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&cl2), NULL), ERR_OK);
    round_trip(ep, cl);
    exception(ep, cl);
    ordering(ep, cl, cl2);
    sessions(ep, cl, cl2);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(cl2), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
