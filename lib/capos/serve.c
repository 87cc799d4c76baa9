/* SPDX-License-Identifier: MIT */
/*
 * serve.c - capos_serve: RECV on every endpoint, dispatch through the
 * generated tables, answer, track sessions and peer events (see
 * capos/serve.h and docs/ipc.md).
 *
 * Theory of operation: RECV i carries user_data SERVE_UD(i).  After a
 * call is handled, its RETURN and the renewed RECV are queued together
 * and one cap_enter waits for two completions (the RETURN's and the next
 * call's), so a request-answer cycle costs one kernel entry.  The RETURN
 * completion is then taken by its own user_data; a failed RETURN (the
 * caller died: DISCONNECTED) is counted, never fatal.  Sessions live in a
 * fixed table: a session is opened at its first call and forgotten at its
 * session-closed event.  A call too large for the 8 KiB receive buffer
 * stays queued in the kernel (RECV fails with TOOSMALL); it is then taken
 * into one 64 KiB buffer and served like any other.
 */
#include <capos.capnp.h>
#include <capos/msg.h>
#include <capos/rt.h>
#include <capos/serve.h>
#include <common/string.h>

#define SERVE_UD(i) (UINT64_MAX - 64 + (i))  /* apart from capos_ring_user_data */
#define SERVE_RET_UD (UINT64_MAX - 65)
#define EXC_WORDS 32

#define SERVE_BIG_UD (UINT64_MAX - 66)
/* Params up to the kernel's CALL limit (64 KiB), with header and caps. */
#define BIG_WORDS ((65536 + sizeof(struct ring_recv_info) + \
                    RING_MAX_XFER * sizeof(struct ring_cap_rec)) / 8)

static uint64_t serve_rbuf[CAPOS_SERVE_MAX_EPS][CAPOS_SERVE_RECV_WORDS];
static uint64_t serve_big[BIG_WORDS];   /* for a call too large for rbuf */
static uint64_t serve_reply[CAPOS_SERVE_REPLY_WORDS];

int capos_serve_fail(void *ctx, err_t code, const char *why)
{
    ((struct capos_srv_call *)ctx)->why = why;
    return code;
}

uint32_t capos_serve_give(void *ctx, uint32_t cap, uint32_t mode)
{
    struct capos_srv_call *c = ctx;

    if (c->nxfer >= RING_MAX_XFER) {
        c->xfer_overflow = true;
        return CAPNP_CAP_NULL;
    }
    c->xfer[c->nxfer] = (struct ring_xfer){.cap_id = cap, .mode = mode};
    return c->nxfer++;
}

void capos_serve_stop(void *ctx)
{
    ((struct capos_srv_call *)ctx)->srv->stop = true;
}

/* Queue RECV i (no kernel entry). */
static err_t recv_queue(const struct capos_server *s, uint32_t i)
{
    struct ring_sqe sqe;

    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RECV;
    sqe.cap_id = s->eps[i].ep;
    sqe.result_addr = (uint64_t)(uintptr_t)serve_rbuf[i];
    sqe.result_len = sizeof(serve_rbuf[i]);
    sqe.user_data = SERVE_UD(i);
    sqe.flags = SQE_F_RECV_EVENTS;
    return capos_ring_submit(capos_rt_ring(), &sqe);
}

/* Queue the RETURN of call c (results or exception). */
static err_t return_queue(const struct capos_server *s,
                          const struct capos_srv_call *c, const void *reply,
                          uint32_t len, bool exc)
{
    struct ring_sqe sqe;

    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RETURN;
    sqe.cap_id = s->eps[c->ep_index].ep;
    sqe.call_id = c->req->call_id;
    sqe.addr = (uint64_t)(uintptr_t)reply;
    sqe.len = len;
    sqe.flags = exc ? SQE_F_RETURN_EXCEPTION : 0;
    if (!exc && c->nxfer) {
        sqe.xfer_count = (uint16_t)c->nxfer;
        sqe.xfer_addr = (uint64_t)(uintptr_t)c->xfer;
    }
    sqe.user_data = SERVE_RET_UD;
    return capos_ring_submit(capos_rt_ring(), &sqe);
}

/* The session entry of (ep, id), or a free one (NULL if full). */
static struct capos_serve_session *session_find(struct capos_server *s,
                                                uint32_t ep, uint64_t id,
                                                bool create)
{
    struct capos_serve_session *free_slot = NULL;

    for (uint32_t i = 0; i < CAPOS_SERVE_MAX_SESSIONS; i++) {
        struct capos_serve_session *e = &s->sessions[i];
        if (e->used && e->id == id && e->ep_index == ep)
            return e;
        if (!e->used && !free_slot)
            free_slot = e;
    }
    return create ? free_slot : NULL;
}

/* Run the handler of the call in c; returns its code. */
static int dispatch(struct capos_server *s, struct capos_srv_call *c,
                    struct capos_msgbuf *m)
{
    const struct capos_impl *impl = &s->eps[c->ep_index].impl;
    struct capos_request *req = c->req;
    struct capos_serve_session *ss;
    int code;

    if (req->method >= impl->nmethods)
        return capos_serve_fail(c, ERR_NOSYS, "no such method");
    if (capnp_msg_error(&req->in.msg) != CAPNP_OK)
        return capos_serve_fail(c, ERR_BADFORMAT, "malformed params");
    if (!(ss = session_find(s, c->ep_index, req->session, true)))
        return capos_serve_fail(c, ERR_QUOTA, "too many sessions");
    if (!ss->used) {
        *ss = (struct capos_serve_session){.id = req->session,
                                           .ep_index = c->ep_index,
                                           .used = true};
        c->session_state = NULL;
        ss->state = s->opened ? s->opened(c) : NULL;
    }
    c->session_state = ss->state;
    code = impl->methods[req->method].invoke(
        impl->server, c, &req->in.msg,
        capos_msg_begin(m, serve_reply, CAPOS_SERVE_REPLY_WORDS));
    if (code == ERR_OK && capnp_msg_error(&req->in.msg) != CAPNP_OK)
        code = capos_serve_fail(c, ERR_BADFORMAT, "malformed params");
    if (code == ERR_OK && c->xfer_overflow)
        code = capos_serve_fail(c, ERR_RANGE, "more than 8 result capabilities");
    if (code == ERR_OK && (code = capos_msg_finish(m)) != ERR_OK)
        code = capos_serve_fail(c, code, "results too large for the server");
    return code;
}

/* Answer call req on endpoint i and renew RECV i, in one cap_enter. */
static err_t answer(struct capos_server *s, uint32_t i,
                    struct capos_request *req)
{
    static uint64_t exc[EXC_WORDS];
    struct capos_srv_call c = {.srv = s, .ep_index = i, .req = req,
                               .session = req->session};
    struct capos_msgbuf m;
    struct ring_cqe cqe;
    uint32_t len = 0;
    int code = dispatch(s, &c, &m);
    err_t e;

    (void)capos_msg_caps_release_rest(&req->in);   /* caps not adopted */
    s->calls++;
    if (code == ERR_OK) {
        e = return_queue(s, &c, m.words, m.len, false);
    } else {
        s->errors++;
        e = capos_exception_build(exc, EXC_WORDS, (err_t)code,
                                  c.why ? c.why : err_name((err_t)code), &len);
        if (e == ERR_OK)
            e = return_queue(s, &c, exc, len, true);
    }
    if (e == ERR_OK && !s->stop && (e = recv_queue(s, i)) == ERR_OK)
        e = capos_ring_enter(capos_rt_ring(), 2, CAP_ENTER_NO_TIMEOUT);
    if (e == ERR_OK)
        e = capos_ring_wait(capos_rt_ring(), SERVE_RET_UD,
                            CAP_ENTER_NO_TIMEOUT, &cqe);
    return e;
}

/* A peer event on endpoint i; renews RECV i unless serving stops. */
static err_t event(struct capos_server *s, uint32_t i,
                   const struct capos_request *req)
{
    if (req->event == RING_EVENT_SESSION_CLOSED) {
        struct capos_serve_session *ss =
            session_find(s, i, req->session, false);
        if (s->closed)
            s->closed(s, i, req->session, ss ? ss->state : NULL);
        if (ss)
            ss->used = false;
    } else if (req->event == RING_EVENT_NO_CLIENTS) {
        s->idle_mask |= 1u << i;
        if (s->no_clients ? s->no_clients(s, i)
                          : s->idle_mask == (1u << s->neps) - 1)
            s->stop = true;
    }
    if (s->stop)
        return ERR_OK;
    err_t e = recv_queue(s, i);
    return e == ERR_OK ? capos_ring_flush(capos_rt_ring()) : e;
}

/* The call waiting on endpoint i did not fit its receive buffer: take
 * it (or whatever comes first) into the large one, synchronously. */
static err_t recv_big(const struct capos_server *s, uint32_t i,
                      struct capos_request *req)
{
    struct ring_sqe sqe;
    struct ring_cqe cqe;
    err_t e;

    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RECV;
    sqe.cap_id = s->eps[i].ep;
    sqe.flags = SQE_F_RECV_EVENTS;
    sqe.result_addr = (uint64_t)(uintptr_t)serve_big;
    sqe.result_len = sizeof(serve_big);
    sqe.user_data = SERVE_BIG_UD;
    if ((e = capos_ring_submit(capos_rt_ring(), &sqe)) != ERR_OK ||
        (e = capos_ring_wait(capos_rt_ring(), SERVE_BIG_UD,
                             CAP_ENTER_NO_TIMEOUT, &cqe)) != ERR_OK)
        return e;
    return capos_server_parse(&cqe, serve_big, sizeof(serve_big), req);
}

err_t capos_serve(struct capos_server *s)
{
    struct capos_request req;
    struct ring_cqe cqe;
    err_t e = ERR_OK;

    if (s->neps == 0 || s->neps > CAPOS_SERVE_MAX_EPS)
        return ERR_RANGE;
    s->stop = false;
    s->idle_mask = 0;
    for (uint32_t i = 0; i < s->neps && e == ERR_OK; i++)
        e = recv_queue(s, i);
    if (e == ERR_OK)
        e = capos_ring_flush(capos_rt_ring());
    while (e == ERR_OK && !s->stop) {
        e = capos_ring_wait_any(capos_rt_ring(), CAP_ENTER_NO_TIMEOUT, &cqe);
        if (e != ERR_OK)
            break;
        uint32_t i = (uint32_t)(cqe.user_data - SERVE_UD(0));
        if (cqe.user_data < SERVE_UD(0) || i >= s->neps)
            continue;              /* someone else's completion */
        e = capos_server_parse(&cqe, serve_rbuf[i], sizeof(serve_rbuf[i]),
                               &req);
        if (e == ERR_TOOSMALL)
            e = recv_big(s, i, &req);
        if (e != ERR_OK)
            break;
        if (req.event == 0)
            s->idle_mask &= ~(1u << i);
        e = req.event ? event(s, i, &req) : answer(s, i, &req);
    }
    return e;
}
