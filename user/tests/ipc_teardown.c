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
 *     "child");
 *   - exitThread in one batch with a queued IPC call, a transfer list (a
 *     copy and a move) and 32 KiB params and a 64 KiB result buffer
 *     (child mode "exit"; issue 9, item 4): the process ends with code 9
 *     and every in-flight resource (params copy, result arena, grants,
 *     the queued call) is freed.
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
    CHECK_EQ(capos_endpoint_revoke_clients(CAPOS_HANDLE(capos_endpoint, ep1), NULL), ERR_OK);
    struct ring_cqe c = t_wait(u1);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_REVOKED);
    check_exc(t_wait(u2), res[2], ERR_DISCONNECTED);
    CHECK_EQ(capos_release(ep1), ERR_OK);
    CHECK_EQ(capos_release(cl1), ERR_OK);
}

/* Spawn this binary in child mode `mode` with "cl" (a facet of ep1) and
 * the parent's caps; returns its exit code.  ep1 has nothing queued
 * afterwards: the child's calls were cancelled. */
static int64_t run_child(const char *mode)
{
    uint32_t ep1 = 0, cl1 = 0, h = 0, n = 99;
    int64_t code = -1;
    const char *args[] = {mode};
    struct capos_spawn_grant g[4] = {
        {"cl", 0, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, XFER_COPY},
        {"spawner", t_cap("spawner"), CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
         XFER_COPY},
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"thread", t_cap("thread"), CAPOS_THREAD_CONTROL_INTERFACE_ID,
         XFER_COPY},
    };

    t_endpoint(&ep1, &cl1);
    g[0].cap = cl1;
    CHECK_EQ(capos_spawner_spawn_args(t_cap("spawner"), "teardown-child",
                                      "ipc_teardown", g, 4, args, 1, &h),
             ERR_OK);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep1), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK_EQ(capos_release(ep1), ERR_OK);
    CHECK_EQ(capos_release(cl1), ERR_OK);
    return code;
}

static uint64_t big_params[1 + 4096];
static uint8_t big_res[65536] __attribute__((aligned(8)));

/* Child "exit": one cap_enter runs a CALL that stays queued (carrying a
 * copy of a new facet), then exitThread(9) with a copy and a move and
 * large buffers, then a NOP that must never run. */
static int child_exit(void)
{
    uint32_t cl = 0, tc = 0, ep2 = 0, cl2 = 0;
    uint64_t w[16];
    struct ring_sqe s[3];
    struct ring_xfer x1 = {.mode = XFER_COPY}, x2[2];
    struct capos_ring *r = capos_rt_ring();

    if (capos_capset_find("cl", CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &cl) ||
        capos_capset_find("thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, &tc))
        return 1;
    t_endpoint(&ep2, &cl2);
    struct capos_msgbuf m = t_msg(w, 1, 0);
    x1.cap_id = cl2;
    capnpc_sqe_call(&s[0], cl, 0, m.words, m.len, res[0], 128);
    s[0].xfer_count = 1;
    s[0].xfer_addr = (uintptr_t)&x1;
    /* exitThread(code 9) params in a 4,096-word segment: 32 KiB copied. */
    big_params[0] = 4096ull << 32;
    big_params[1] = 1ull << 32;         /* root: struct, 1 data word */
    big_params[2] = 9;
    x2[0] = (struct ring_xfer){.cap_id = cl2, .mode = XFER_COPY};
    x2[1] = (struct ring_xfer){.cap_id = ep2, .mode = XFER_MOVE};
    s[1] = raw_call(tc, CAPOS_THREAD_CONTROL_METHOD_EXIT_THREAD,
                    (uintptr_t)big_params, sizeof big_params,
                    (uintptr_t)big_res, sizeof big_res);
    s[1].xfer_count = 2;
    s[1].xfer_addr = (uintptr_t)x2;
    s[2] = (struct ring_sqe){.opcode = RING_OP_NOP};
    for (int i = 0; i < 3; i++) {
        s[i].user_data = capos_ring_user_data(r);
        if (capos_ring_submit(r, &s[i]))
            return 1;
    }
    capos_ring_flush(r);
    return 2;                           /* not reached */
}

/* A caller exits with the nested call queued on the parent's ep1. */
static void caller_exit(void)
{
    CHECK_EQ(run_child("child"), 3);
}

/* exitThread mid-batch frees everything in flight. */
static void exit_mid_batch(void)
{
    CHECK_EQ(run_child("exit"), 9);
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
    if (argc > 1 && !strcmp(argv[1], "exit"))
        return child_exit();
    moved_into_kernel_method();
    nested_release();
    nested_revoke();
    caller_exit();
    exit_mid_batch();
    return t_result();
}
