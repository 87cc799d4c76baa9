/* SPDX-License-Identifier: MIT */
/*
 * pair.c - Linux workloads with two processes: the counterparts of capOS's
 * IPC round trip, capability transfer and shared-memory bulk transfer.
 *
 * Each workload forks one child that serves requests until told to stop,
 * so both processes stay runnable (the guest never idles inside a timed
 * region).  Ping-pongs first run PP_WARMUP untimed round trips: Linux's
 * scheduler runs in a cheaper mode for the first ~2,000 round trips after
 * a fork.  The 1 MiB transfers subtract the cost of filling and summing
 * the buffer in one process (the fill_sum baseline), so they report what
 * the transfer itself adds, per MiB.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lbench.h"

#define PP_WARMUP 4000u
#define BULK_BYTES (1u << 20)
#define BULK_WORDS (BULK_BYTES / 8)

/* ---- helpers ------------------------------------------------------------- */

static void must_write(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w <= 0)
            lb_die("write");
        p += w;
        len -= (size_t)w;
    }
}

/* Read exactly len bytes; 0 on end of file before the first byte. */
static int must_read(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, p + got, len - got);
        if (r == 0 && got == 0)
            return 0;
        if (r <= 0)
            lb_die("read");
        got += (size_t)r;
    }
    return 1;
}

/* Fork a child running serve(arg), which returns when told to stop. */
static pid_t start_child(void (*serve)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid < 0)
        lb_die("fork");
    if (pid == 0) {
        serve(arg);
        _exit(0);
    }
    return pid;
}

static void reap_child(pid_t pid)
{
    if (waitpid(pid, NULL, 0) != pid)
        lb_die("waitpid");
}

/* Untimed round trips before the trials. */
static void warm_up(bench_fn fn, void *ctx)
{
    fn(ctx, lb_n(PP_WARMUP));
}

/* ---- pipe ping-pong ------------------------------------------------------ */

struct pipes {
    int to_child[2], to_parent[2];
};

static void pipes_open(struct pipes *p)
{
    if (pipe(p->to_child) || pipe(p->to_parent))
        lb_die("pipe");
}

/* In the child: keep only the ends the child uses. */
static void pipes_child_ends(struct pipes *p)
{
    close(p->to_child[1]);
    close(p->to_parent[0]);
}

/* In the parent: drop the child's ends. */
static void pipes_parent_ends(struct pipes *p)
{
    close(p->to_child[0]);
    close(p->to_parent[1]);
}

static void serve_pipe(void *arg)
{
    struct pipes *p = arg;
    char c;
    pipes_child_ends(p);
    while (must_read(p->to_child[0], &c, 1))
        must_write(p->to_parent[1], &c, 1);
}

static void op_pipe(void *ctx, uint64_t n)
{
    struct pipes *p = ctx;
    char c = 'x';
    for (uint64_t i = 0; i < n; i++) {
        must_write(p->to_child[1], &c, 1);
        must_read(p->to_parent[0], &c, 1);
    }
}

static void pipe_pingpong(void)
{
    struct pipes p;
    pipes_open(&p);
    pid_t pid = start_child(serve_pipe, &p);
    pipes_parent_ends(&p);
    warm_up(op_pipe, &p);
    bench_report("pipe_pingpong", op_pipe, &p, lb_n(200), "insn/op");
    close(p.to_child[1]);
    reap_child(pid);
    close(p.to_parent[0]);
}

/* ---- futex ping-pong ----------------------------------------------------- */

/* Shared word: 1 = the child's turn, 0 = the parent's, 2 = stop. */
static void futex_wait(uint32_t *w, uint32_t val)
{
    syscall(SYS_futex, w, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake(uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void serve_futex(void *arg)
{
    uint32_t *w = arg;
    for (;;) {
        uint32_t v;
        while ((v = __atomic_load_n(w, __ATOMIC_ACQUIRE)) == 0)
            futex_wait(w, 0);
        if (v == 2)
            return;
        __atomic_store_n(w, 0, __ATOMIC_RELEASE);
        futex_wake(w);
    }
}

static void op_futex(void *ctx, uint64_t n)
{
    uint32_t *w = ctx;
    for (uint64_t i = 0; i < n; i++) {
        __atomic_store_n(w, 1, __ATOMIC_RELEASE);
        futex_wake(w);
        while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 1)
            futex_wait(w, 1);
    }
}

static void futex_pingpong(void)
{
    uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED)
        lb_die("mmap");
    *w = 0;
    pid_t pid = start_child(serve_futex, w);
    warm_up(op_futex, w);
    bench_report("futex_pingpong", op_futex, w, lb_n(200), "insn/op");
    __atomic_store_n(w, 2, __ATOMIC_RELEASE);
    futex_wake(w);
    reap_child(pid);
    munmap(w, 4096);
}

/* ---- eventfd ping-pong --------------------------------------------------- */

struct evfds {
    int to_child, to_parent;
};

static void serve_eventfd(void *arg)
{
    struct evfds *e = arg;
    uint64_t v;
    while (must_read(e->to_child, &v, 8) && v == 1)
        must_write(e->to_parent, &v, 8);
}

static void op_eventfd(void *ctx, uint64_t n)
{
    struct evfds *e = ctx;
    uint64_t v = 1;
    for (uint64_t i = 0; i < n; i++) {
        must_write(e->to_child, &v, 8);
        must_read(e->to_parent, &v, 8);
    }
}

static void eventfd_pingpong(void)
{
    struct evfds e = {eventfd(0, 0), eventfd(0, 0)};
    if (e.to_child < 0 || e.to_parent < 0)
        lb_die("eventfd");
    pid_t pid = start_child(serve_eventfd, &e);
    warm_up(op_eventfd, &e);
    bench_report("eventfd_pingpong", op_eventfd, &e, lb_n(200), "insn/op");
    uint64_t stop = 2;
    must_write(e.to_child, &stop, 8);
    reap_child(pid);
    close(e.to_child);
    close(e.to_parent);
}

/* ---- fd over a Unix socket (SCM_RIGHTS) and back ------------------------- */

/* Send one byte, with fd attached if fd >= 0. */
static void send_fd(int sock, int fd)
{
    char byte = fd >= 0 ? 'f' : 'q';
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct iovec iov = {&byte, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        memset(&u, 0, sizeof u);
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    if (sendmsg(sock, &m, 0) != 1)
        lb_die("sendmsg");
}

/* Receive one byte and the fd attached to it (-1 if none). */
static int recv_fd(int sock)
{
    char byte;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct iovec iov = {&byte, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &m, 0) != 1)
        lb_die("recvmsg");
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int fd = -1;
    if (c && c->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static void serve_scm(void *arg)
{
    int sock = *(int *)arg, fd;
    while ((fd = recv_fd(sock)) >= 0) {
        send_fd(sock, fd);
        close(fd);
    }
}

struct scm {
    int sock, fd;
};

static void op_scm(void *ctx, uint64_t n)
{
    struct scm *s = ctx;
    for (uint64_t i = 0; i < n; i++) {
        send_fd(s->sock, s->fd);
        int back = recv_fd(s->sock);
        if (back < 0)
            lb_die("scm back");
        close(back);
    }
}

static void scm_rights(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        lb_die("socketpair");
    pid_t pid = start_child(serve_scm, &sv[1]);
    close(sv[1]);
    struct scm s = {sv[0], eventfd(0, 0)};
    warm_up(op_scm, &s);
    bench_report("scm_rights_roundtrip", op_scm, &s, lb_n(100), "insn/op");
    send_fd(sv[0], -1);
    reap_child(pid);
    close(sv[0]);
    close(s.fd);
}

/* ---- 1 MiB bulk transfers ------------------------------------------------ */

static uint64_t bulk_src[BULK_WORDS], bulk_dst[BULK_WORDS];

__attribute__((noinline)) static void bulk_fill(uint64_t *w, uint64_t seed)
{
    for (uint32_t i = 0; i < BULK_WORDS; i++)
        w[i] = seed + i;
}

__attribute__((noinline)) static uint64_t bulk_sum(const uint64_t *w)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < BULK_WORDS; i++)
        s += w[i];
    return s;
}

/* Baseline: fill and sum 1 MiB in one process. */
static void op_fill_sum(void *ctx, uint64_t n)
{
    (void)ctx;
    for (uint64_t i = 0; i < n; i++)
        __asm__ volatile("" : : "r"(bulk_sum((bulk_fill(bulk_src, i),
                                                bulk_src))));
}

/* Both transfers: with map == NULL the MiB itself goes through the pipe;
 * otherwise it is written into the shared mapping and the pipe carries a
 * one-byte "go".  The child answers with the sum either way. */
struct bulk {
    struct pipes p;
    uint64_t *map;
};

static void serve_bulk(void *arg)
{
    struct bulk *b = arg;
    pipes_child_ends(&b->p);
    for (;;) {
        uint64_t s;
        if (b->map) {
            char c;
            if (!must_read(b->p.to_child[0], &c, 1))
                return;
            s = bulk_sum(b->map);
        } else {
            if (!must_read(b->p.to_child[0], bulk_dst, BULK_BYTES))
                return;
            s = bulk_sum(bulk_dst);
        }
        must_write(b->p.to_parent[1], &s, 8);
    }
}

static void op_bulk(void *ctx, uint64_t n)
{
    struct bulk *b = ctx;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t s;
        if (b->map) {
            bulk_fill(b->map, i);
            must_write(b->p.to_child[1], "g", 1);
        } else {
            bulk_fill(bulk_src, i);
            must_write(b->p.to_child[1], bulk_src, BULK_BYTES);
        }
        must_read(b->p.to_parent[0], &s, 8);
    }
}

static void bulk_row(const char *name, uint64_t *map, uint64_t base_x100)
{
    struct bulk b = {.map = map};
    pipes_open(&b.p);
    pid_t pid = start_child(serve_bulk, &b);
    pipes_parent_ends(&b.p);
    uint64_t n = lb_n(4);
    bench_print(name, n, bench_run_base(op_bulk, &b, n, base_x100),
                "insn/MiB");
    close(b.p.to_child[1]);
    reap_child(pid);
    close(b.p.to_parent[0]);
}

static void bulk(void)
{
    struct bench_stat base = bench_report("fill_sum_1mib", op_fill_sum, NULL,
                                          lb_n(4), "insn/MiB");
    bulk_row("bulk_pipe_1mib", NULL, base.med_x100);
    int fd = (int)syscall(SYS_memfd_create, "bulk", 0);
    if (fd < 0 || ftruncate(fd, BULK_BYTES))
        lb_die("memfd");
    uint64_t *map = mmap(NULL, BULK_BYTES, PROT_READ | PROT_WRITE,
                         MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        lb_die("mmap memfd");
    bulk_row("bulk_memfd_1mib", map, base.med_x100);
    munmap(map, BULK_BYTES);
    close(fd);
}

void lb_pairs(void)
{
    pipe_pingpong();
    futex_pingpong();
    eventfd_pingpong();
    scm_rights();
    bulk();
}
