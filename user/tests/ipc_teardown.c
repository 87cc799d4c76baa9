/*
 * ipc_teardown.c - IPC0011: an Endpoint destroyed from inside another
 * operation never deadlocks the kernel.  Each case drops the last
 * reference of an Endpoint while the kernel is in the middle of something
 * that used to hold a lock (issue 9, item 1):
 *   - the only Endpoint cap (with a RECV parked on it) moved into a kernel
 *     method that ignores capabilities (Console.writeLine);
 *   - nested teardown: an Endpoint whose queue holds a call carrying (by
 *     copy) the last reference of a second Endpoint with its own queued
 *     call, then released; the same through revokeClients;
 *   - a caller that exits with such a call queued (child mode, argv[1] =
 *     "child").
 * Every call and RECV ends with the exact error; nothing leaks (the
 * driver checks).
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

/* The only Endpoint cap, with a RECV parked, moved into writeLine. */
static void moved_into_kernel_method(void)
{
    uint32_t ep = 0, cl = 0, con = t_cap("console");
    uint64_t pw[16], w[16];
    struct capos_msgbuf m;
    struct ring_cqe c;

    t_endpoint(&ep, &cl);
    uint64_t ur = capos_ring_user_data(capos_rt_ring());
    CHECK_EQ(capos_server_recv_submit(ep, rbuf, sizeof rbuf, ur), ERR_OK);
    capos_console_write_line_params_b p =
        capos_console_write_line_params_init_root(capos_msg_begin(&m, pw, 16));
    capos_console_write_line_params_set_text(p, "  moved endpoint", 16);
    capos_msg_finish(&m);
    struct ring_xfer x = {.cap_id = ep, .mode = XFER_MOVE};
    c = t_wait(t_submit(con, CAPOS_CONSOLE_METHOD_WRITE_LINE, &m, &x, 1,
                        res[0], sizeof res[0]));
    CHECK(c.result >= 0);
    CHECK_EQ(c.aux, 0);
    CHECK(!t_has_cap(ep));
    c = t_wait(ur);                         /* the parked RECV */
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_DISCONNECTED);
    struct capos_msgbuf mm = t_msg(w, 1, T_NOCAP);
    check_exc(t_wait(t_submit(cl, 0, &mm, NULL, 0, res[1], 128)), res[1],
              ERR_DISCONNECTED);
    CHECK_EQ(capos_release(cl), ERR_OK);
}

/* ep2 has a call queued (*u2) and its last reference travels in a call
 * queued on ep1 (*u1). */
static void nest(uint32_t cl1, uint64_t *u1, uint64_t *u2)
{
    uint32_t ep2 = 0, cl2 = 0;
    uint64_t w[16];
    struct capos_msgbuf m = t_msg(w, 7, T_NOCAP);

    t_endpoint(&ep2, &cl2);
    *u2 = t_submit(cl2, 0, &m, NULL, 0, res[2], 128);
    struct ring_xfer x = {.cap_id = ep2, .mode = XFER_COPY};
    m = t_msg(w, 8, 0);
    *u1 = t_submit(cl1, 0, &m, &x, 1, res[1], 128);
    CHECK_EQ(capos_release(ep2), ERR_OK);   /* the grant holds the last ref */
    CHECK_EQ(capos_release(cl2), ERR_OK);
}

/* Nested teardown by RELEASE of the outer Endpoint. */
static void nested_release(void)
{
    uint32_t ep1 = 0, cl1 = 0;
    uint64_t u1, u2;

    t_endpoint(&ep1, &cl1);
    nest(cl1, &u1, &u2);
    CHECK_EQ(capos_release(ep1), ERR_OK);
    check_exc(t_wait(u1), res[1], ERR_DISCONNECTED);
    check_exc(t_wait(u2), res[2], ERR_DISCONNECTED);
    CHECK_EQ(capos_release(cl1), ERR_OK);
}

/* Nested teardown by revokeClients of the outer Endpoint. */
static void nested_revoke(void)
{
    uint32_t ep1 = 0, cl1 = 0;
    uint64_t u1, u2;

    t_endpoint(&ep1, &cl1);
    nest(cl1, &u1, &u2);
    CHECK_EQ(capos_endpoint_revoke_clients(ep1), ERR_OK);
    struct ring_cqe c = t_wait(u1);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_REVOKED);
    check_exc(t_wait(u2), res[2], ERR_DISCONNECTED);
    CHECK_EQ(capos_release(ep1), ERR_OK);
    CHECK_EQ(capos_release(cl1), ERR_OK);
}

/* A caller exits with the nested call queued on the parent's ep1. */
static void caller_exit(void)
{
    uint32_t ep1 = 0, cl1 = 0, h = 0, n = 99;
    int64_t code = 0;
    const char *args[] = {"child"};
    struct capos_spawn_grant g[2] = {
        {"cl", 0, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, XFER_COPY},
        {"spawner", t_cap("spawner"), CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
         XFER_COPY},
    };

    t_endpoint(&ep1, &cl1);
    g[0].cap = cl1;
    CHECK_EQ(capos_spawner_spawn_args(t_cap("spawner"), "teardown-child",
                                      "ipc_teardown", g, 2, args, 1, &h),
             ERR_OK);
    CHECK_EQ(capos_process_wait(h, &code), ERR_OK);
    CHECK_EQ(code, 3);
    CHECK_EQ(capos_endpoint_pending(ep1, &n), ERR_OK);
    CHECK_EQ(n, 0);                         /* its call was cancelled */
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(ep1), ERR_OK);
    CHECK_EQ(capos_release(cl1), ERR_OK);
}

/* Child: leave the nested call queued on "cl" and exit(3). */
static int child(void)
{
    uint32_t cl = 0;
    uint64_t u1, u2;

    if (capos_capset_find("cl", CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &cl))
        return 1;
    nest(cl, &u1, &u2);
    (void)u1;
    (void)u2;
    return t_failures ? 1 : 3;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child();
    moved_into_kernel_method();
    nested_release();
    nested_revoke();
    caller_exit();
    return t_result();
}
