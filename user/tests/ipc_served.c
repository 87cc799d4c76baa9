/*
 * ipc_served.c - IPC0012: calls belong to the process that received them
 * (issue 9, items 5 and 9), and the exact RECV and transfer errors.
 *   - a server process that received a call and exits while another
 *     process (this one) still holds the Endpoint: the call completes
 *     DISCONNECTED at once, and the Endpoint keeps working;
 *   - a call id is good only for its receiver: another holder of the
 *     Endpoint (child mode "guess", argv[2] = the id) gets NOTFOUND for it
 *     and for every id it guesses, and the receiver's RETURN still works;
 *   - a too-small RECV buffer: INVALID_RESULT_BUFFER, aux TOOSMALL,
 *     cap0.cap_id = the bytes needed, the call stays queued; the same when
 *     the RECV was parked;
 *   - RECV into a full table: INVOKE_FAILED, aux QUOTA, the call stays
 *     queued; the same when the RECV was parked;
 *   - an Endpoint sent through its own facet: INVOKE_FAILED, aux PERM,
 *     nothing queued, the cap stays.
 */
#include "ipc_t.h"

static uint64_t res[4][16];
static uint64_t rbuf[64];

/* A completed call must be a CapException with error code `err`. */
static void check_exc(struct ring_cqe c, void *buf, err_t err)
{
    struct capos_exception ex;
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, err);
    CHECK_EQ(capos_exception_decode(&c, buf, 128, &ex), ERR_OK);
    CHECK_EQ(ex.code, err);
}

/* A RECV SQE on ep into buf[len]. */
static struct ring_sqe recv_sqe(uint32_t ep, void *buf, uint32_t len)
{
    return (struct ring_sqe){.opcode = RING_OP_RECV, .cap_id = ep,
                             .result_addr = (uintptr_t)buf, .result_len = len,
                             .user_data = capos_ring_user_data(capos_rt_ring())};
}

/* Submit sqe without waiting; returns its user_data. */
static uint64_t submit(struct ring_sqe s)
{
    CHECK_EQ(capos_ring_submit(capos_rt_ring(), &s), ERR_OK);
    CHECK_EQ(capos_ring_flush(capos_rt_ring()), ERR_OK);
    return s.user_data;
}

/* The server (ipc_child, holding a copy of ep) receives a call and exits. */
static void dead_server(void)
{
    uint32_t ep = 0, cl = 0, h = 0;
    int64_t code = 0;
    uint64_t w[16];
    struct ring_cqe c;
    struct capos_spawn_grant g[2] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"ep", 0, CAPOS_ENDPOINT_INTERFACE_ID, XFER_COPY},
    };

    t_endpoint(&ep, &cl);
    g[1].cap = ep;
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "srv", "ipc_child", g, 2,
                                 &h), ERR_OK);
    struct capos_msgbuf m = t_msg(w, 1, T_NOCAP);
    c = t_wait(t_submit(cl, 0, &m, NULL, 0, res[0], 128));
    CHECK_EQ(t_result_tag(&c, res[0], 128), 2);
    uint64_t u = t_submit(cl, 1, &m, NULL, 0, res[1], 128);   /* "exit" */
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 5);
    CHECK(t_done(u, &c));               /* at once, not at our release */
    check_exc(c, res[1], ERR_DISCONNECTED);
    /* The Endpoint still works: this process serves the next call. */
    m = t_msg(w, 30, T_NOCAP);
    u = t_submit(cl, 0, &m, NULL, 0, res[2], 128);
    CHECK_EQ(t_serve_one(ep, 31, NULL), 30);
    c = t_wait(u);
    CHECK_EQ(t_result_tag(&c, res[2], 128), 31);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
}

/* Another holder of the Endpoint cannot answer a call it did not get. */
static void bound_call_ids(void)
{
    uint32_t ep = 0, cl = 0, h = 0;
    int64_t code = -1;
    uint64_t w[16];
    struct capos_request req;
    char id[16];
    struct capos_spawn_grant g[2] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"ep", 0, CAPOS_ENDPOINT_INTERFACE_ID, XFER_COPY},
    };

    t_endpoint(&ep, &cl);
    g[1].cap = ep;
    struct capos_msgbuf m = t_msg(w, 40, T_NOCAP);
    uint64_t u = t_submit(cl, 0, &m, NULL, 0, res[0], 128);
    CHECK_EQ(capos_server_recv(ep, rbuf, sizeof rbuf, &req), ERR_OK);
    snprintf(id, sizeof id, "%u", req.call_id);
    const char *args[] = {"guess", id};
    CHECK_EQ(capos_spawner_spawn_args(t_cap("spawner"), "guesser",
                                      "ipc_served", g, 2, args, 2, &h),
             ERR_OK);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 0);
    m = t_msg(w, 41, T_NOCAP);
    CHECK_EQ(capos_server_return(ep, req.call_id, m.words, m.len, NULL, 0),
             ERR_OK);
    struct ring_cqe c = t_wait(u);
    CHECK_EQ(t_result_tag(&c, res[0], 128), 41);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
}

/* Child "guess": RETURN the parent's call id and 64 others; each must be
 * INVOKE_FAILED / NOTFOUND.  Exit 0 iff so. */
static int guess(const char *idtext)
{
    uint32_t ep = 0, id = 0;
    uint64_t w[16];
    int bad = 0;

    if (capos_capset_find("ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep))
        return 2;
    for (const char *s = idtext; *s >= '0' && *s <= '9'; s++)
        id = id * 10 + (uint32_t)(*s - '0');
    struct capos_msgbuf m = t_msg(w, 666, T_NOCAP);
    for (uint32_t i = 0; i <= 64; i++) {
        struct ring_sqe s = {.opcode = RING_OP_RETURN, .cap_id = ep,
                             .call_id = i == 64 ? id : i,
                             .addr = (uintptr_t)m.words, .len = m.len};
        struct ring_cqe c = raw(s);
        bad += c.result != CAP_ERR_INVOKE_FAILED || c.aux != ERR_NOTFOUND;
    }
    return bad || t_failures ? 1 : 0;
}

/* A too-small RECV buffer reports the size needed; parked or not. */
static void recv_too_small(void)
{
    uint32_t ep = 0, cl = 0, n = 0;
    uint64_t w[16];
    struct ring_cqe c;

    t_endpoint(&ep, &cl);
    struct capos_msgbuf m = t_msg(w, 50, T_NOCAP);
    uint32_t need = (uint32_t)(sizeof(struct ring_recv_info) +
                               ((m.len + 7) & ~7u));
    uint64_t u = t_submit(cl, 0, &m, NULL, 0, res[0], 128);
    c = raw(recv_sqe(ep, rbuf, 16));                /* call queued */
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    CHECK_EQ(c.aux, ERR_TOOSMALL);
    CHECK_EQ(c.cap0.cap_id, need);
    CHECK_EQ(t_serve_one(ep, 51, NULL), 50);        /* still queued */
    c = t_wait(u);
    CHECK_EQ(t_result_tag(&c, res[0], 128), 51);
    uint64_t ur = submit(recv_sqe(ep, rbuf, need - 1));    /* parked */
    u = t_submit(cl, 0, &m, NULL, 0, res[0], 128);
    c = t_wait(ur);
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    CHECK_EQ(c.aux, ERR_TOOSMALL);
    CHECK_EQ(c.cap0.cap_id, need);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ(t_serve_one(ep, 52, NULL), 50);
    c = t_wait(u);
    CHECK_EQ(t_result_tag(&c, res[0], 128), 52);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
}

/* RECV of a call carrying a cap into a full table: QUOTA, parked or not;
 * the call stays queued. */
static void recv_full_table(void)
{
    static uint32_t extra[64];
    uint32_t ep = 0, cl = 0, ep2 = 0, cl2 = 0, n = 0, k = 0;
    uint64_t w[16];
    struct ring_cqe c;

    t_endpoint(&ep, &cl);
    t_endpoint(&ep2, &cl2);
    while (k < 64 && capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)&extra[k], NULL) == ERR_OK)
        k++;
    CHECK(k > 0 && k < 64);                         /* the quota stopped it */
    struct ring_xfer x = {.cap_id = cl, .mode = XFER_COPY};
    struct capos_msgbuf m = t_msg(w, 60, 0);
    uint64_t u = t_submit(cl, 0, &m, &x, 1, res[0], 128);
    c = raw(recv_sqe(ep, rbuf, sizeof rbuf));       /* call queued */
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_QUOTA);
    uint64_t ur = submit(recv_sqe(ep2, rbuf, sizeof rbuf));     /* parked */
    uint64_t u2 = t_submit(cl2, 0, &m, &x, 1, res[1], 128);
    c = t_wait(ur);
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_QUOTA);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep2), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ(capos_release(extra[--k]), ERR_OK);    /* room for one */
    CHECK_EQ(t_serve_one(ep, 61, NULL), 60);
    c = t_wait(u);
    CHECK_EQ(t_result_tag(&c, res[0], 128), 61);
    CHECK_EQ(capos_release(ep2), ERR_OK);           /* fails u2 */
    check_exc(t_wait(u2), res[1], ERR_DISCONNECTED);
    while (k)
        CHECK_EQ(capos_release(extra[--k]), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(cl2), ERR_OK);
}

/* An Endpoint cannot travel through its own facet. */
static void self_send(void)
{
    uint32_t ep = 0, cl = 0, ep2 = 0, cl2 = 0, n = 99;
    uint64_t w[16];

    t_endpoint(&ep, &cl);
    t_endpoint(&ep2, &cl2);
    struct capos_msgbuf m = t_msg(w, 70, 0);
    static const uint32_t modes[2] = {XFER_COPY, XFER_MOVE};
    for (int i = 0; i < 2; i++) {
        struct ring_xfer x = {.cap_id = ep, .mode = modes[i]};
        struct ring_cqe c = t_wait(t_submit(cl, 0, &m, &x, 1, res[0], 128));
        CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
        CHECK_EQ(c.aux, ERR_PERM);
        CHECK(t_has_cap(ep));
    }
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    /* Another endpoint's server object and its own facets may go. */
    struct ring_xfer x[2] = {{.cap_id = ep2, .mode = XFER_COPY},
                             {.cap_id = cl, .mode = XFER_COPY}};
    uint64_t u = t_submit(cl, 0, &m, x, 2, res[0], 128);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);
    CHECK_EQ(capos_release(ep), ERR_OK);            /* fails the call */
    check_exc(t_wait(u), res[0], ERR_DISCONNECTED);
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(ep2), ERR_OK);
    CHECK_EQ(capos_release(cl2), ERR_OK);
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "guess"))
        return guess(argv[2]);
    dead_server();
    bound_call_ids();
    recv_too_small();
    recv_full_table();
    self_send();
    return t_result();
}
