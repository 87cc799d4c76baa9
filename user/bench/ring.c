/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the null capability call (one NOP through the ring per
 * cap_enter) and the batched one (16 NOPs per cap_enter): the minimal
 * path of the ring, against Linux's getppid and io_uring NOPs.
 */
#include "cbench.h"

/* Queue b NOP SQEs, enter once, consume b CQEs. */
static inline void nop_batch(struct capos_ring *r, uint32_t b)
{
    for (uint32_t i = 0; i < b; i++)
        *cb_sqe(r) = (struct ring_sqe){.opcode = RING_OP_NOP};
    cb_publish(r);
    if (cb_enter(0, 0) != (int64_t)b)
        cb_errors++;
    struct ring_cqe *c = cb_cqe(r);
    if (!c || c->result != 0)
        cb_errors++;
    cb_pop(r, b);
}

static void op_null(void *ctx, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        nop_batch(ctx, 1);
}

static void op_batch16(void *ctx, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        nop_batch(ctx, 16);
}

void cb_ring_bench(void)
{
    struct capos_ring *r = capos_rt_ring();
    bench_report("null_cap_enter", op_null, r, cb_n(1000), "insn/op");
    uint64_t n = cb_n(100);
    struct bench_stat s = bench_run(op_batch16, r, n);
    s.min_x100 = (s.min_x100 + 8) / 16;
    s.med_x100 = (s.med_x100 + 8) / 16;
    bench_print("nop_batch16", n * 16, s, "insn/op");
}
