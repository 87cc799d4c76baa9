/* SPDX-License-Identifier: MIT */
/*
 * bench.c - `make bench-rpc`: wall-clock cost of one KeyValue.get round
 * trip (Call, Return, Finish) through lib/rpc, next to the reference C++
 * library, on the host.  Never asserted; not part of make test.
 *
 *   in-process   two lib/rpc connections through memory pipes
 *   C -> C++     lib/rpc client, libcapnp-rpc server, socketpair
 *   C++ -> C     libcapnp-rpc client, lib/rpc server, socketpair
 *   C++ -> C++   both sides libcapnp-rpc, socketpair
 */
#include "pair.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 20000

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

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

static long fd_read(void *ctx, void *b, size_t n)
{
    return (long)read(*(int *)ctx, b, n);
}

/* Run the C++ peer in `mode` on fd `child` (stdout to out_fd if >= 0). */
static pid_t spawn(const char *mode, int child, int close_fd, int out_fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        char arg[16];
        if (close_fd >= 0)
            close(close_fd);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        snprintf(arg, sizeof arg, "%d", child);
        execl(RPC_INTEROP_CC, RPC_INTEROP_CC, mode, arg, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static long in_process(void)
{
    struct pair p;
    struct kv_rec r;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_set(kv, "a", "1", &r);
    pair_flush(&p);
    uint64_t t0 = now_ns();
    for (int i = 0; i < N; i++) {
        kv_get(kv, "a", &r);
        pair_flush(&p);
    }
    uint64_t t = now_ns() - t0;
    rpc_cap_unref(kv);
    pair_free(&p);
    return (long)(t / N);
}

static long c_to_cxx(void)
{
    int sv[2];
    struct kv_rec r;
    struct rpc_vat v;
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = spawn("server", sv[1], sv[0], -1);
    close(sv[1]);
    rpc_vat_init(&v, &test_alloc);
    struct rpc_transport t = {fd_write, fd_read, &sv[0]};
    struct rpc_conn *c = rpc_conn_new(&v, &t, NULL, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(c);
    uint64_t t0 = now_ns();
    for (int i = 0; i < N; i++) {
        kv_get(kv, "a", &r);
        while (!r.got && rpc_conn_pump(c) == RPC_E_OK)
            ;
    }
    uint64_t el = now_ns() - t0;
    rpc_cap_unref(kv);
    rpc_conn_free(c);
    close(sv[0]);
    waitpid(pid, NULL, 0);
    return (long)(el / N);
}

/* The C++ bench client against a C server (c_server) or a C++ server;
 * returns the client's ns per call. */
static long cxx_client(bool c_server)
{
    int sv[2], out[2];
    char buf[64] = {0};
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    if (pipe(out) != 0)
        return -1;
    pid_t cl = spawn("bench", sv[1], sv[0], out[1]);
    close(out[1]);
    pid_t sp = -1;
    if (c_server) {
        struct rpc_vat v;
        struct kv_store st = {0};
        close(sv[1]);
        rpc_vat_init(&v, &test_alloc);
        st.vat = &v;
        struct rpc_cap *root = kv_new(&st, "");
        struct rpc_transport t = {fd_write, fd_read, &sv[0]};
        struct rpc_conn *c = rpc_conn_new(&v, &t, NULL, root);
        while (rpc_conn_pump(c) == RPC_E_OK)
            ;
        rpc_conn_free(c);
        rpc_cap_unref(root);
    } else {
        sp = spawn("server", sv[0], sv[1], -1);
        close(sv[1]);
    }
    close(sv[0]);
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    close(out[0]);
    waitpid(cl, NULL, 0);
    if (sp > 0) {
        kill(sp, SIGTERM);
        waitpid(sp, NULL, 0);
    }
    return n > 0 ? atol(buf) : -1;
}

static void report(const char *what, long ns)
{
    printf("  %-12s %8ld ns/call\n", what, ns);
    fflush(stdout);
}

int main(void)
{
    char n[16];
    snprintf(n, sizeof n, "%d", N);
    setenv("RPC_BENCH_N", n, 1);
    printf("KeyValue.get round trip (Call + Return + Finish), %d calls, "
           "wall clock, host\n", N);
    fflush(stdout);                  /* before any fork */
    report("in-process", in_process());
    report("C -> C++", c_to_cxx());
    report("C++ -> C", cxx_client(true));
    report("C++ -> C++", cxx_client(false));
    return 0;
}
