/* SPDX-License-Identifier: MIT */
/*
 * uring.c - io_uring NOPs through the raw system calls (no liburing): the
 * Linux counterpart of capOS's NOP-through-the-ring benchmarks.
 *
 * One ring of 16 entries, set up once.  An operation is one
 * io_uring_enter(to_submit = b, min_complete = b, GETEVENTS) after writing
 * b NOP SQEs, then reaping b CQEs.  Reported per NOP (batch time / b).
 * If the kernel refuses io_uring (a host sandbox in the smoke test) the
 * rows are skipped with a BENCHSKIP line.
 */
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lbench.h"

#define URING_ENTRIES 16u

struct uring {
    int fd;
    uint32_t *sq_tail, *sq_mask, *sq_array;
    uint32_t *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    uint32_t batch;
};

static void *map_ring(int fd, size_t len, uint64_t off)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_POPULATE, fd, (off_t)off);
    if (p == MAP_FAILED)
        lb_die("io_uring mmap");
    return p;
}

/* Set up the ring; false if io_uring is not available. */
static int uring_setup(struct uring *u)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    u->fd = (int)syscall(__NR_io_uring_setup, URING_ENTRIES, &p);
    if (u->fd < 0)
        return 0;
    size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
    size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (sq_len < cq_len)
        sq_len = cq_len;
    char *sq = map_ring(u->fd, sq_len, IORING_OFF_SQ_RING);
    char *cq = (p.features & IORING_FEAT_SINGLE_MMAP)
                   ? sq : map_ring(u->fd, cq_len, IORING_OFF_CQ_RING);
    u->sq_tail = (uint32_t *)(sq + p.sq_off.tail);
    u->sq_mask = (uint32_t *)(sq + p.sq_off.ring_mask);
    u->sq_array = (uint32_t *)(sq + p.sq_off.array);
    u->cq_head = (uint32_t *)(cq + p.cq_off.head);
    u->cq_tail = (uint32_t *)(cq + p.cq_off.tail);
    u->cq_mask = (uint32_t *)(cq + p.cq_off.ring_mask);
    u->sqes = map_ring(u->fd, p.sq_entries * sizeof(struct io_uring_sqe),
                       IORING_OFF_SQES);
    return 1;
}

/* Queue b NOP SQEs and publish the tail. */
static void uring_queue_nops(struct uring *u, uint32_t b)
{
    uint32_t tail = *u->sq_tail, mask = *u->sq_mask;
    for (uint32_t i = 0; i < b; i++, tail++) {
        uint32_t idx = tail & mask;
        struct io_uring_sqe *s = &u->sqes[idx];
        memset(s, 0, sizeof *s);
        s->opcode = IORING_OP_NOP;
        s->user_data = tail;
        u->sq_array[idx] = idx;
    }
    __atomic_store_n(u->sq_tail, tail, __ATOMIC_RELEASE);
}

/* Consume every completion; returns how many. */
static uint32_t uring_reap(struct uring *u)
{
    uint32_t head = *u->cq_head;
    uint32_t tail = __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE);
    __atomic_store_n(u->cq_head, tail, __ATOMIC_RELEASE);
    return tail - head;
}

/* n batches of u->batch NOPs, one io_uring_enter each. */
static void op_uring(void *ctx, uint64_t n)
{
    struct uring *u = ctx;
    for (uint64_t i = 0; i < n; i++) {
        uring_queue_nops(u, u->batch);
        long r = syscall(__NR_io_uring_enter, u->fd, u->batch, u->batch,
                         IORING_ENTER_GETEVENTS, NULL, 0);
        if (r != (long)u->batch || uring_reap(u) != u->batch)
            lb_die("io_uring_enter");
    }
}

/* Run batches of b and print per-NOP figures. */
static void uring_row(struct uring *u, const char *name, uint32_t b,
                      uint64_t n)
{
    u->batch = b;
    struct bench_stat s = bench_run(op_uring, u, n);
    s.min_x100 = (s.min_x100 + b / 2) / b;
    s.med_x100 = (s.med_x100 + b / 2) / b;
    bench_print(name, n * b, s, "insn/op");
}

void lb_uring(void)
{
    static struct uring u;
    if (!uring_setup(&u)) {
        printf("BENCHSKIP os=linux name=uring_nop reason=io_uring_setup\n");
        return;
    }
    uring_row(&u, "uring_nop_batch1", 1, lb_n(1000));
    uring_row(&u, "uring_nop_batch16", 16, lb_n(100));
}
