/* SPDX-License-Identifier: MIT */
/*
 * ipc.c - two-process benchmarks, client side: the IPC round trip
 * (CALL -> server RECV -> RETURN) with a 16-byte message, the same round
 * trip carrying one capability (copied to the server, moved back, then
 * released), and 1 MiB handed over in a shared MemoryObject.
 *
 * Set-up: a fresh Endpoint from ProcessSpawner.newEndpoint, a client facet
 * from Endpoint.makeClient, a 256-page MemoryObject mapped here; then
 * ProcessSpawner.spawn starts "bench_server" (user/bench/server.c) with
 * the endpoint, the MemoryObject and the console.  Every timed round trip
 * is one CALL SQE and one cap_enter(1, forever); the client is blocked
 * while the server runs, so the machine never idles.  After PP_WARMUP
 * untimed round trips (the same warm-up the Linux ping-pongs get) come
 * the trials.  Finally CB_SRV_STOP ends the server and the driver waits
 * for its exit.
 */
#include <string.h>

#include "cbench.h"

#define PP_WARMUP 4000u

struct ipc_ctx {
    struct capos_ring *r;
    uint32_t client;            /* ClientEndpoint facet */
    uint32_t xfer_cap;          /* the cap sent in the transfer benchmark */
    uint32_t release;           /* a returned cap still to release, or 0 */
    uint64_t *map;              /* the shared 1 MiB */
    uint64_t msg[2];            /* 16-byte request */
    uint64_t res[8];            /* reply buffer */
};

/* Queue one CALL of method to the server (optionally with a transfer). */
static inline void queue_call(struct ipc_ctx *c, uint16_t method,
                              const struct ring_xfer *x)
{
    *cb_sqe(c->r) = (struct ring_sqe){
        .opcode = RING_OP_CALL, .cap_id = c->client, .method_id = method,
        .addr = (uintptr_t)c->msg, .len = sizeof c->msg,
        .result_addr = (uintptr_t)c->res, .result_len = sizeof c->res,
        .xfer_count = x ? 1 : 0, .xfer_addr = (uintptr_t)x};
}

/* Enter, wait for `want` completions; the last must be the CALL's with an
 * 8-byte reply.  Returns it (consumed). */
static inline struct ring_cqe *finish_call(struct ipc_ctx *c, uint32_t want)
{
    cb_publish(c->r);
    cb_enter(want, CAP_ENTER_NO_TIMEOUT);
    struct ring_cqe *q = &c->r->cq[(c->r->cq_head + want - 1) &
                                   (RING_CQ_ENTRIES - 1)];
    if (!cb_cqe(c->r) || q->result != 8)
        cb_errors++;
    cb_pop(c->r, want);
    return q;
}

static void op_roundtrip(void *ctx, uint64_t n)
{
    struct ipc_ctx *c = ctx;
    for (uint64_t i = 0; i < n; i++) {
        queue_call(c, CB_SRV_ECHO, NULL);
        finish_call(c, 1);
    }
}

/* Each call copies xfer_cap to the server, which moves it back; the cap
 * that comes back is released together with the next call (one SQE more,
 * same cap_enter), like the close() of the fd on Linux. */
static void op_cap_roundtrip(void *ctx, uint64_t n)
{
    struct ipc_ctx *c = ctx;
    static const struct ring_xfer x0 = {0, XFER_COPY};
    struct ring_xfer x = x0;
    x.cap_id = c->xfer_cap;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t want = 1;
        if (c->release) {
            *cb_sqe(c->r) = (struct ring_sqe){.opcode = RING_OP_RELEASE,
                                              .cap_id = c->release};
            want = 2;
        }
        queue_call(c, CB_SRV_ECHO_CAP, &x);
        struct ring_cqe *q = finish_call(c, want);
        c->release = q->cap_count == 1 ? q->cap0.cap_id : 0;
        if (!c->release)
            cb_errors++;
    }
}

void cb_fill(uint64_t *w, uint64_t seed)
{
    for (uint32_t i = 0; i < CB_BULK_WORDS; i++)
        w[i] = seed + i;
}

uint64_t cb_sum(const uint64_t *w)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < CB_BULK_WORDS; i++)
        s += w[i];
    return s;
}

/* Baseline: fill and sum the MiB in this process. */
static void op_fill_sum(void *ctx, uint64_t n)
{
    struct ipc_ctx *c = ctx;
    for (uint64_t i = 0; i < n; i++) {
        cb_fill(c->map, i);
        __asm__ volatile("" : : "r"(cb_sum(c->map)));
    }
}

/* Fill the shared MiB, the server sums it and replies with the sum. */
static void op_bulk(void *ctx, uint64_t n)
{
    struct ipc_ctx *c = ctx;
    for (uint64_t i = 0; i < n; i++) {
        cb_fill(c->map, i);
        queue_call(c, CB_SRV_SUM, NULL);
        finish_call(c, 1);
    }
}

/* Spawn the server with grants ep, console and (mo != 0) mem; *handle
 * gets its process. */
static err_t start_server(uint32_t ep, uint32_t mo, uint32_t *handle)
{
    const struct capos_spawn_grant g[] = {
        {"ep", ep, CAPOS_ENDPOINT_INTERFACE_ID, XFER_COPY},
        {"console", cb_caps.console, CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"mem", mo, CAPOS_MEMORY_OBJECT_INTERFACE_ID, XFER_COPY},
    };
    return capos_spawner_spawn(cb_caps.spawner, "bench_server",
                               "bench_server", g, mo ? 3 : 2, handle);
}

/* Start the server with the shared MiB if the MemoryObject can be
 * transferred, else without (the bulk row is then skipped). */
static err_t start_server_any(struct ipc_ctx *c, uint32_t ep, uint32_t mo,
                              uint32_t *handle)
{
    err_t e = start_server(ep, mo, handle);
    if (e == ERR_PERM && mo) {
        printf("BENCHSKIP os=capos name=bulk_memobj_1mib "
               "reason=MemoryObject-not-transferable\n");
        c->map = NULL;
        e = start_server(ep, 0, handle);
    }
    return e;
}

/* Stop the server, wait for it, release what set-up made. */
static void stop_server(struct ipc_ctx *c, uint32_t handle)
{
    int64_t code = -1;
    queue_call(c, CB_SRV_STOP, NULL);
    finish_call(c, 1);
    if (capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, handle), &code, NULL) != ERR_OK || code != 0) {
        printf("BENCHFAIL os=capos what=server-exit code=%lld\n",
               (long long)code);
        cb_errors++;
    }
    capos_release(handle);
    if (c->release)
        capos_release(c->release);
    capos_release(c->client);
}

static void run_all(struct ipc_ctx *c)
{
    op_roundtrip(c, cb_n(PP_WARMUP));
    bench_report("ipc_roundtrip", op_roundtrip, c, cb_n(200), "insn/op");
    bench_report("ipc_cap_roundtrip", op_cap_roundtrip, c, cb_n(100),
                 "insn/op");
    if (!c->map)
        return;
    uint64_t n = cb_n(4);
    struct bench_stat base = bench_report("fill_sum_1mib", op_fill_sum, c, n,
                                          "insn/MiB");
    bench_print("bulk_memobj_1mib", n,
                bench_run_base(op_bulk, c, n, base.med_x100), "insn/MiB");
}

void cb_ipc_bench(void)
{
    static struct ipc_ctx c;
    uint32_t ep = 0, mo = 0, handle = 0;
    uint64_t addr = 0;
    c.r = capos_rt_ring();
    c.xfer_cap = cb_caps.timer;
    err_t e = capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, cb_caps.spawner), (struct capos_endpoint *)(&ep), NULL);
    if (!e)
        e = capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&c.client), NULL);
    if (!e && cb_alloc_mapped(CB_BULK_BYTES / 4096, &mo, &addr) != ERR_OK) {
        printf("BENCHSKIP os=capos name=bulk_memobj_1mib "
               "reason=no-MemoryObject\n");
        mo = 0;
        addr = 0;
    }
    c.map = (uint64_t *)(uintptr_t)addr;
    if (!e)
        e = start_server_any(&c, ep, mo, &handle);
    if (e) {
        printf("BENCHFAIL os=capos what=ipc-setup err=%s\n", err_name(e));
        cb_errors++;
        return;
    }
    run_all(&c);
    stop_server(&c, handle);
    capos_release(ep);
    if (mo)
        capos_release(mo);
}
