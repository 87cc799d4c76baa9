/* SPDX-License-Identifier: MIT */
/*
 * cbench.h - the capOS benchmark driver (user/bench/): shared state, the
 * minimal ring path and the per-area entry points.
 *
 * Theory of operation: the timed loops talk to the ring page directly
 * (cb_sqe/cb_publish/cb_enter/cb_cqe/cb_pop), not through the runtime's
 * ring client, so a measured operation is exactly "write SQEs, one
 * cap_enter, read CQEs".  They keep the runtime client's own copies of
 * sq_tail and cq_head (struct capos_ring) in step, so ordinary runtime
 * calls (capos_call, the typed wrappers) still work between benchmarks.
 * Nothing may be in flight in the runtime client while a raw loop runs.
 * A raw loop counts unexpected completions in cb_errors instead of
 * printing; main reports them after the timed regions.
 */
#pragma once

#include <abi/ring.h>
#include <abi/syscall.h>
#include <capos/capos.h>
#include <stdint.h>

#include "bench.h"

/* Capabilities the manifest grants the driver (0 = missing). */
struct cb_caps {
    uint32_t console, timer, spawner, frames, vm, boot;
};

extern struct cb_caps cb_caps;
extern uint64_t cb_errors;      /* unexpected completions seen */
extern uint64_t bench_scale;    /* divides every n (smoke mode: 100) */

/* Methods of the benchmark server (user/bench/server.c). */
enum cb_server_method {
    CB_SRV_ECHO = 0,     /* reply with 8 bytes */
    CB_SRV_ECHO_CAP = 1, /* move the received cap back with the reply */
    CB_SRV_SUM = 2,      /* reply with the sum of the shared 1 MiB */
    CB_SRV_STOP = 3,     /* reply, then exit 0 */
};

#define CB_BULK_BYTES (1u << 20)
#define CB_BULK_WORDS (CB_BULK_BYTES / 8)

/* n scaled down in smoke mode, at least 1. */
uint64_t cb_n(uint64_t n);

/* cap_enter without the library call. */
static inline int64_t cb_enter(uint64_t min_complete, uint64_t timeout_ns)
{
    int64_t r = SYS_CAP_ENTER;
    register uint64_t rsi __asm__("rsi") = timeout_ns;
    __asm__ volatile("syscall"
                     : "+a"(r)
                     : "D"(min_complete), "r"(rsi)
                     : "rcx", "r11", "memory");
    return r;
}

/* The next free SQ slot (the caller fills all of it, then publishes). */
static inline struct ring_sqe *cb_sqe(struct capos_ring *r)
{
    return &r->sq[r->sq_tail++ & (RING_SQ_ENTRIES - 1)];
}

/* Publish every SQE written since the last publish. */
static inline void cb_publish(struct capos_ring *r)
{
    __atomic_store_n(&r->hdr->sq_tail, r->sq_tail, __ATOMIC_RELEASE);
}

/* The oldest unconsumed CQE, or NULL if there is none. */
static inline struct ring_cqe *cb_cqe(struct capos_ring *r)
{
    uint32_t tail = __atomic_load_n(&r->hdr->cq_tail, __ATOMIC_ACQUIRE);
    return tail == r->cq_head ? NULL
                              : &r->cq[r->cq_head & (RING_CQ_ENTRIES - 1)];
}

/* Consume k CQEs. */
static inline void cb_pop(struct capos_ring *r, uint32_t k)
{
    r->cq_head += k;
    __atomic_store_n(&r->hdr->cq_head, r->cq_head, __ATOMIC_RELEASE);
}

/* Call `method` of cap with a framed params message; opens the result in
 * res[nres] as msg.  Errors as capos_call / capos_msg_read. */
err_t cb_call(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
              uint64_t *res, uint32_t nres, struct capnp_msg *msg,
              struct ring_cqe *cqe);

/* Area entry points (each prints its own BENCH lines). */
void cb_ring_bench(void);      /* ring.c: null call, NOP batch */
void cb_ipc_bench(void);       /* ipc.c: round trips, cap transfer, bulk */
void cb_mem_bench(void);       /* mem.c: map/touch/unmap */
void cb_spawn_bench(void);     /* mem.c: spawn + exit + wait */

/* mem.c helpers used by ipc.c: a MemoryObject of `pages` frames mapped
 * read-write into this process (*addr). */
err_t cb_alloc_mapped(uint32_t pages, uint32_t *mo, uint64_t *addr);

/* Fill / sum CB_BULK_WORDS words (the bulk baseline; same code on Linux). */
void cb_fill(uint64_t *w, uint64_t seed);
uint64_t cb_sum(const uint64_t *w);
