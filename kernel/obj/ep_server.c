/*
 * ep_server.c - IPC endpoints, part 3: the server's RECV and RETURN
 * opcodes, and a caller that exits with calls outstanding.  Theory of
 * operation: the top of endpoint.c.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/endpoint.h>
#include <kernel/kmem.h>
#include <kernel/proc.h>
#include <kernel/ring.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#include <kernel/xfer.h>

#include "endpoint_priv.h"

/* ---- RECV and RETURN -------------------------------------------------------------- */

/* The endpoint core behind cap `id` of p (a reference), or an error. */
static err_t server_core(struct process *p, uint32_t id, struct ep_core **out)
{
    struct cap_entry *e;
    uint64_t f = spin_lock_irqsave(&p->lock);
    err_t r = cap_lookup(&p->caps, id, 0, &e);
    if (!r && e->obj->ops != &endpoint_ops)
        r = ERR_WRONGTYPE;
    if (!r) {
        *out = ((struct endpoint *)e->obj)->core;
        ep_core_get(*out);
    }
    spin_unlock_irqrestore(&p->lock, f);
    return r;
}

/* Park a RECV of p on core (nothing queued); false = deferred. */
static bool recv_park(struct process *p, struct ep_core *core,
                      const struct ring_sqe *sqe, struct ring_cqe *cqe)
{
    err_t r = proc_wait_charge(p);
    uint64_t f = spin_lock_irqsave(&core->lock);
    if (!r && (core->recv.server || core->closed))
        r = core->closed ? ERR_DISCONNECTED : ERR_BUSY;
    if (!r) {
        kobj_get(&p->obj);
        core->recv = (struct ep_recv){.server = p, .user_data = sqe->user_data,
                                      .result_addr = sqe->result_addr,
                                      .result_len = sqe->result_len,
                                      .events = sqe->flags & SQE_F_RECV_EVENTS};
    }
    spin_unlock_irqrestore(&core->lock, f);
    if (r == ERR_BUSY || r == ERR_DISCONNECTED)
        proc_wait_uncharge(p, true);
    if (r) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = r};
        return true;
    }
    ep_core_match(core);       /* a call may have raced in */
    return false;
}

bool endpoint_recv_op(struct process *p, const struct ring_sqe *sqe,
                      struct ring_cqe *cqe)
{
    struct ep_core *core;
    err_t r = server_core(p, sqe->cap_id, &core);
    if (r) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = r};
        return true;
    }
    bool post = true;
    if (!user_range_ok(sqe->result_addr, sqe->result_len)) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_RESULT_BUFFER,
                                 .aux = ERR_FAULT};
    } else {
        uint64_t f = spin_lock_irqsave(&core->lock);
        bool events = sqe->flags & SQE_F_RECV_EVENTS;
        struct ep_event *ev = core->recv.server || !events ? NULL
                              : ep_core_pop_event(core);
        struct ep_call *call = core->recv.server || ev ? NULL : ep_core_pop(core);
        spin_unlock_irqrestore(&core->lock, f);
        if (ev) {
            r = ep_event_deliver(core, ev, p, sqe->result_addr,
                                 sqe->result_len, cqe);
            if (r) {
                f = spin_lock_irqsave(&core->lock);
                ep_core_requeue_event(core, ev);
                spin_unlock_irqrestore(&core->lock, f);
                *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_RESULT_BUFFER,
                                         .aux = r};
            }
        } else if (call) {
            r = ep_deliver(call, p, sqe->result_addr, sqe->result_len, cqe);
            f = spin_lock_irqsave(&core->lock);
            if (r)
                ep_core_requeue_front(core, call);
            else
                ep_core_receive(core, call, p);
            cqe->call_id = r ? 0 : call->call_id;
            if (r)
                *cqe = ep_recv_error(r, call);
            spin_unlock_irqrestore(&core->lock, f);
        } else {
            post = recv_park(p, core, sqe, cqe);
        }
    }
    ep_core_put(core);
    return post;
}

/* The error code of a server's CapException reply (ERR_BADFORMAT if the
 * payload is not one: the caller still gets the bytes). */
static uint32_t exception_code(const uint8_t *reply, uint32_t len)
{
    struct capnp_msg msg;
    struct capnp_read_opts o = {.traversal_limit = 1024, .nesting_limit = 4,
                                .flags = CAPNP_READ_NO_FAR};
    if (((uintptr_t)reply & 7) || capnp_msg_init(&msg, reply, len, &o) != CAPNP_OK)
        return ERR_BADFORMAT;
    uint16_t code = capos_cap_exception_get_code(capos_cap_exception_read_root(&msg));
    return capnp_msg_error(&msg) != CAPNP_OK ? ERR_BADFORMAT
           : code ? code : ERR_INVAL;
}

/* Write the reply of a RETURN into the caller; cqe is the caller's. */
static err_t return_deliver(struct ep_call *call, const uint8_t *reply,
                            uint32_t len, struct xfer_set *x, bool exc,
                            struct ring_cqe *cqe)
{
    struct ring_cap_rec recs[RING_MAX_XFER];
    uint32_t ncaps = 0, need = ep_pad8(len) + x->n * (uint32_t)sizeof recs[0];
    if (need > call->result_len)
        return ERR_TOOSMALL;
    err_t r = xfer_reserve(call->caller, x, recs, &ncaps);
    if (!r) {
        r = ep_deliver_write(call->caller, call->result_addr, NULL, 0, reply, len,
                          recs, ncaps);
        if (r)
            xfer_unreserve(call->caller, recs, ncaps);
    }
    if (r)
        return r;
    xfer_land(call->caller, x, recs, CAP_HOLD_RESULT);
    *cqe = (struct ring_cqe){
        .result = exc ? CAP_ERR_APPLICATION_EXCEPTION : (int32_t)len,
        .cap_count = (uint16_t)ncaps, .aux = exc ? exception_code(reply, len) : 0};
    if (ncaps)
        cqe->cap0 = recs[0];
    return ERR_OK;
}

#define EP_SMALL_REPLY 256

/* Copy the reply payload of a RETURN (<= CALL_PARAMS_MAX) into small (if it
 * fits) or a new buffer; NULL + cqe on failure. */
static uint8_t *return_payload(const struct ring_sqe *sqe, struct ring_cqe *cqe,
                               uint64_t *small)
{
    if (sqe->len > CALL_PARAMS_MAX) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_PARAMS_BUFFER,
                                 .aux = ERR_RANGE};
        return NULL;
    }
    uint8_t *buf = sqe->len <= EP_SMALL_REPLY ? (uint8_t *)small
                                               : kmalloc(sqe->len);
    if (!buf) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = ERR_NOMEM};
        return NULL;
    }
    if (copy_from_user(buf, sqe->addr, sqe->len)) {
        if (buf != (uint8_t *)small)
            kfree(buf);
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_PARAMS_BUFFER,
                                 .aux = ERR_FAULT};
        return NULL;
    }
    return buf;
}

/* Finish RETURN of call by server p with payload and transfers. */
static void return_finish(struct process *p, struct ep_call *call,
                          const uint8_t *reply, const struct ring_sqe *sqe,
                          struct xfer_set *x, struct ring_cqe *cqe)
{
    struct ring_cqe ccqe = {0};
    bool exc = sqe->flags & SQE_F_RETURN_EXCEPTION;
    err_t r = call->caller_gone ? ERR_DISCONNECTED
              : return_deliver(call, reply, sqe->len, x, exc, &ccqe);
    if (r) {
        xfer_abort(p, x);
        *cqe = (struct ring_cqe){.result = 0, .aux = (uint32_t)r};
        if (call->caller_gone) {
            ep_call_free(call);
            return;
        }
        ccqe = (struct ring_cqe){.result = CAP_ERR_INVALID_RESULT_BUFFER,
                                 .aux = (uint32_t)r};
        if (r == ERR_QUOTA || r == ERR_FULL || r == ERR_NOMEM)
            call_exception_to(call->caller, call->result_addr,
                              call->result_len, &ccqe, r,
                              "no room for the result capabilities");
    } else {
        xfer_commit(p, x);
        *cqe = (struct ring_cqe){.result = 0};
    }
    ep_call_complete(call, &ccqe);
}

bool endpoint_return_op(struct process *p, const struct ring_sqe *sqe,
                        struct ring_cqe *cqe)
{
    struct ep_core *core;
    err_t r = server_core(p, sqe->cap_id, &core);
    if (r) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = r};
        return true;
    }
    struct ep_call *call = ep_served_take(core, sqe->call_id, p);
    if (!call) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED,
                                 .aux = ERR_NOTFOUND};
        ep_core_put(core);
        return true;
    }
    uint32_t aux = 0;
    struct xfer_set x;
    uint64_t small[EP_SMALL_REPLY / 8];
    uint8_t *reply = return_payload(sqe, cqe, small);
    int bad = reply ? xfer_prepare(p, sqe, &x, &aux) : 0;
    if (!reply || bad) {
        if (bad)
            *cqe = (struct ring_cqe){.result = bad, .aux = aux};
        uint64_t f = spin_lock_irqsave(&core->lock);
        ep_served_add(core, call, p);   /* the server may try again */
        spin_unlock_irqrestore(&core->lock, f);
    } else {
        return_finish(p, call, reply, sqe, &x, cqe);
    }
    if (reply != (uint8_t *)small)
        kfree(reply);
    ep_core_put(core);
    return true;
}

/* ---- a caller exits -------------------------------------------------------------- */

/* Mark call's caller gone; true if it was still queued (then it is off
 * the queue and belongs to the caller of this). */
static bool call_orphan(struct ep_call *call)
{
    struct ep_core *core = call->core;
    bool queued = false;
    uint64_t f = spin_lock_irqsave(&core->lock);
    call->caller_gone = true;
    for (struct ep_call **pp = &core->q_head; *pp; pp = &(*pp)->next)
        if (*pp == call) {
            *pp = call->next;
            core->queued--;
            queued = true;
            break;
        }
    if (queued) {
        core->q_tail = NULL;
        for (struct ep_call *c = core->q_head; c; c = c->next)
            core->q_tail = c;
    }
    spin_unlock_irqrestore(&core->lock, f);
    return queued;
}

/* Two passes: first every call is marked orphaned (and the queued ones
 * unlinked), then the queued ones are undone.  Undoing a call's transfers
 * may destroy an Endpoint whose queue held another of p's calls; by then
 * that call is either ours already or orphaned, never freed under us. */
void endpoint_proc_exit(struct process *p)
{
    ep_served_proc_exit(p);
    uint64_t f = spin_lock_irqsave(&p->lock);
    struct ep_call *list = p->calls, *cancel = NULL;
    p->calls = NULL;
    spin_unlock_irqrestore(&p->lock, f);
    while (list) {
        struct ep_call *call = list;
        list = call->pnext;
        if (call_orphan(call)) {
            call->next = cancel;
            cancel = call;
        }
    }
    while (cancel) {
        struct ep_call *call = cancel;
        cancel = call->next;
        xfer_abort(p, &call->x);
        ep_call_free(call);
    }
}
