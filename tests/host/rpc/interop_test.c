/* SPDX-License-Identifier: MIT */
/*
 * interop_test.c - lib/rpc against Cap'n Proto's reference C++ library
 * (rpc-interop-cc, TwoPartyVatNetwork) over a socketpair, both ways: the
 * C++ client calls this C KeyValue server, and this C client calls the C++
 * server; pipelined calls, capabilities passed back and forth, a callback
 * from inside a call, exceptions; zero live objects after disconnect.
 */
#include "kv.h"

#include <common/test.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RPC_INTEROP_CC
#error "RPC_INTEROP_CC: path of the C++ peer"
#endif

static void *t_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static const struct rpc_alloc alloc = {t_alloc, t_free, NULL};

static int fd_write(void *ctx, const void *b, size_t n)
{
    int fd = *(int *)ctx;
    const char *p = b;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read with a 20 s timeout (a hung peer fails the test, not the suite). */
static long fd_read(void *ctx, void *b, size_t n)
{
    int fd = *(int *)ctx;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 20000) != 1)
        return -1;
    return (long)read(fd, b, n);
}

/* Start the C++ peer in `mode` on one end of a socketpair; *fd = ours. */
static pid_t spawn(const char *mode, int *fd)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char arg[16];
        close(sv[0]);
        snprintf(arg, sizeof arg, "%d", sv[1]);
        execl(RPC_INTEROP_CC, RPC_INTEROP_CC, mode, arg, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    *fd = sv[0];
    return pid;
}

static int reap(pid_t pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(rpc_interop_cxx_client_c_server)
{
    struct rpc_vat v;
    struct kv_store st = {0};
    int fd = -1;
    rpc_vat_init(&v, &alloc);
    st.vat = &v;
    struct rpc_cap *root = kv_new(&st, "");
    pid_t pid = spawn("client", &fd);
    ASSERT_TRUE(pid > 0);
    struct rpc_transport tr = {fd_write, fd_read, &fd};
    struct rpc_conn *c = rpc_conn_new(&v, &tr, NULL, root);
    enum rpc_err e;
    while ((e = rpc_conn_pump(c)) == RPC_E_OK)
        ;
    EXPECT_EQ(e, RPC_E_DISCONNECTED);           /* the client exited */
    EXPECT_EQ(reap(pid), 0);                    /* every C++ check passed */
    struct rpc_conn_stats s = rpc_conn_stats(c);
    EXPECT_EQ(s.exports + s.imports + s.answers + s.questions, 0);
    rpc_conn_free(c);
    close(fd);
    rpc_cap_unref(root);
    EXPECT_EQ(st.objects, 0);
    EXPECT_EQ(v.live, 0);
}

/* Pump c until rec has its answer. */
static bool wait_for(struct rpc_conn *c, const struct kv_rec *rec)
{
    while (!rec->got)
        if (rpc_conn_pump(c) != RPC_E_OK)
            return false;
    return true;
}

static const uint16_t field0[] = {0};

TEST(rpc_interop_c_client_cxx_server)
{
    struct rpc_vat v;
    struct kv_rec r1, r2, r3, rs;
    int fd = -1, pings = 0;
    rpc_vat_init(&v, &alloc);
    pid_t pid = spawn("server", &fd);
    ASSERT_TRUE(pid > 0);
    struct rpc_transport tr = {fd_write, fd_read, &fd};
    struct rpc_conn *c = rpc_conn_new(&v, &tr, NULL, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(c);

    /* set/get pipelined on the bootstrap */
    kv_set(kv, "a", "1", &r1);
    kv_get(kv, "a", &r2);
    ASSERT_TRUE(wait_for(c, &r2));
    EXPECT_TRUE(r1.ok && r2.ok && r2.found && !strcmp(r2.text, "1"));

    /* pipelining: calls on sub().kv before sub() returns */
    struct rpc_question *q = kv_sub(kv, "p/", &rs);
    struct rpc_cap *sub = rpc_question_pipeline(q, field0, 1);
    kv_set(sub, "x", "piped", &r1);
    kv_get(sub, "x", &r2);
    EXPECT_EQ(rs.got, 0);
    ASSERT_TRUE(wait_for(c, &r2));
    ASSERT_TRUE(wait_for(c, &rs));
    EXPECT_TRUE(r1.ok && !strcmp(r2.text, "piped"));
    EXPECT_TRUE(rs.ok && rs.cap && rpc_cap_is_remote(rs.cap, c));
    kv_get(kv, "p/x", &r3);
    ASSERT_TRUE(wait_for(c, &r3));
    EXPECT_TRUE(!strcmp(r3.text, "piped"));

    /* our cap to C++ and back: the same local cap */
    struct rpc_cap *cb = kv_callback_new(&v, &pings);
    kv_echo(kv, cb, &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(r1.ok && r1.cap == cb);
    rpc_cap_unref(r1.cap);

    /* the C++ cap to C++ and back: the same import */
    kv_echo(kv, rs.cap, &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(r1.ok && r1.cap == rs.cap);
    rpc_cap_unref(r1.cap);

    /* a promise sent back (receiverAnswer) */
    kv_echo(kv, sub, &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(r1.ok && r1.cap != NULL);
    kv_get(r1.cap, "x", &r2);
    ASSERT_TRUE(wait_for(c, &r2));
    EXPECT_TRUE(!strcmp(r2.text, "piped"));
    rpc_cap_unref(r1.cap);

    /* C++ calls our callback from inside its call */
    kv_callback(kv, cb, 21, &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(r1.ok);
    EXPECT_EQ(r1.u32, 43);
    EXPECT_EQ(pings, 1);

    /* exceptions, and a pipelined call on a failed answer */
    kv_fail(kv, "boom", &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(!r1.ok && r1.type == RPC_EXC_FAILED && strstr(r1.reason, "boom"));
    struct rpc_call *fc = rpc_call_new(kv, KV_KEY_VALUE_INTERFACE_ID,
                                       KV_KEY_VALUE_METHOD_FAIL);
    struct capnp_ptr_builder pb = rpc_call_params(fc);
    kv_key_value_fail_params_b fp = {capnp_ptr_init_struct(&pb, 0, 1)};
    kv_key_value_fail_params_set_reason(fp, "early", 5);
    struct rpc_question *fq = rpc_call_send(fc, NULL, NULL);
    struct rpc_cap *fprom = rpc_question_pipeline(fq, field0, 1);
    kv_get(fprom, "x", &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    EXPECT_TRUE(!r1.ok && strstr(r1.reason, "early"));
    rpc_cap_unref(fprom);
    rpc_question_release(fq);

    /* everything released: after one more round trip the C++ side has
     * released our callback and we hold none of its caps */
    rpc_cap_unref(cb);
    rpc_cap_unref(sub);
    rpc_question_release(q);
    rpc_cap_unref(rs.cap);
    kv_get(kv, "a", &r1);
    ASSERT_TRUE(wait_for(c, &r1));
    rpc_cap_unref(kv);
    struct rpc_conn_stats s = rpc_conn_stats(c);
    EXPECT_EQ(s.exports, 0);
    EXPECT_EQ(s.imports, 0);
    EXPECT_EQ(s.questions, 0);
    rpc_conn_free(c);                /* the C++ server sees the end */
    close(fd);
    EXPECT_EQ(reap(pid), 0);
    EXPECT_EQ(v.live, 0);
}
