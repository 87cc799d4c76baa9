/* SPDX-License-Identifier: MIT */
/*
 * server.c - the benchmark's second process ("bench_server"), spawned by
 * the driver with the CapSet ep (Endpoint), console and, if the
 * MemoryObject could be transferred, mem (the shared 1 MiB).  Serves the methods of enum cb_server_method until
 * CB_SRV_STOP, then exits 0 (1 on any unexpected completion).
 *
 * The loop is the minimal server path: RETURN the current call and RECV
 * the next one in one cap_enter(2, forever), both as raw SQEs.
 */
#include <string.h>

#include "cbench.h"

struct cb_caps cb_caps;
uint64_t cb_errors;
uint64_t bench_scale = 1;
const char *bench_os = "capos";

/* Receive buffer: info | 16-byte message | cap records. */
static uint64_t rbuf[16];
static uint64_t reply;
static const uint64_t *shared;

/* Queue a RECV on ep into rbuf. */
static inline void queue_recv(struct capos_ring *r, uint32_t ep)
{
    *cb_sqe(r) = (struct ring_sqe){.opcode = RING_OP_RECV, .cap_id = ep,
                                   .result_addr = (uintptr_t)rbuf,
                                   .result_len = sizeof rbuf,
                                   .user_data = 1};
}

/* Queue the RETURN of call_id; x moves a received cap back if not NULL. */
static inline void queue_return(struct capos_ring *r, uint32_t ep,
                                uint32_t call_id, const struct ring_xfer *x)
{
    *cb_sqe(r) = (struct ring_sqe){.opcode = RING_OP_RETURN, .cap_id = ep,
                                   .call_id = call_id,
                                   .addr = (uintptr_t)&reply,
                                   .len = sizeof reply,
                                   .xfer_count = x ? 1 : 0,
                                   .xfer_addr = (uintptr_t)x};
}

/* The first cap record of the received call (after the padded message). */
static inline uint32_t received_cap(void)
{
    struct ring_recv_info info;
    struct ring_cap_rec rec;
    memcpy(&info, rbuf, sizeof info);
    if (!info.cap_count)
        return 0;
    memcpy(&rec, (const char *)rbuf + sizeof info + ((info.msg_len + 7) & ~7u),
           sizeof rec);
    return rec.cap_id;
}

/* Wait for the RECV completion among `want` CQEs; returns its call id and
 * method (via *method), consuming all of them. */
static uint32_t next_call(struct capos_ring *r, uint32_t want,
                          uint32_t *method)
{
    uint32_t call_id = 0;
    cb_enter(want, CAP_ENTER_NO_TIMEOUT);
    for (uint32_t i = 0; i < want; i++) {
        struct ring_cqe *c = &r->cq[(r->cq_head + i) & (RING_CQ_ENTRIES - 1)];
        if (c->user_data == 1 && c->result > 0) {
            call_id = c->call_id;
            *method = c->aux;
        } else if (c->user_data != 0 || c->result != 0) {
            cb_errors++;
        }
    }
    if (!cb_cqe(r))
        cb_errors++;
    cb_pop(r, want);
    return call_id;
}

static void serve(struct capos_ring *r, uint32_t ep)
{
    struct ring_xfer x = {0, XFER_MOVE};
    uint32_t method = 0, call_id;
    queue_recv(r, ep);
    cb_publish(r);
    call_id = next_call(r, 1, &method);
    for (;;) {
        const struct ring_xfer *xp = NULL;
        if (method == CB_SRV_ECHO_CAP) {
            x.cap_id = received_cap();
            xp = &x;
        } else if (method == CB_SRV_SUM && shared) {
            reply = cb_sum(shared);
        }
        queue_return(r, ep, call_id, xp);
        if (method == CB_SRV_STOP || !call_id) {
            cb_publish(r);
            cb_enter(1, CAP_ENTER_NO_TIMEOUT);
            return;
        }
        queue_recv(r, ep);
        cb_publish(r);
        call_id = next_call(r, 2, &method);
    }
}

uint64_t cb_sum(const uint64_t *w)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < CB_BULK_WORDS; i++)
        s += w[i];
    return s;
}

/* MemoryObject.map(0, 0, 1 MiB, read-only) of mem -> shared. */
static int map_shared(uint32_t mem)
{
    uint64_t pw[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_memory_object_map_params_b p =
        capos_memory_object_map_params_init_root(capos_msg_begin(&m, pw, 8));
    capos_memory_object_map_params_set_size(p, CB_BULK_BYTES);
    capos_memory_object_map_params_set_prot(p, 1);
    if (capos_msg_finish(&m) ||
        capos_call(mem, CAPOS_MEMORY_OBJECT_METHOD_MAP, m.words, m.len, res,
                   sizeof res, &cqe) ||
        capos_msg_read(&msg, res, (size_t)cqe.result))
        return -1;
    shared = (const uint64_t *)(uintptr_t)
        capos_memory_object_map_results_get_addr(
            capos_memory_object_map_results_read_root(&msg));
    return 0;
}

int main(void)
{
    uint32_t ep, mem;
    if (capos_capset_find("ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep))
        return 2;
    if (capos_capset_find("mem", CAPOS_MEMORY_OBJECT_INTERFACE_ID, &mem) ==
            ERR_OK && map_shared(mem))
        return 3;
    serve(capos_rt_ring(), ep);
    return cb_errors ? 1 : 0;
}
