/*
 * ep_call.c - IPC endpoints, part 2: CALL on a client facet (copy the
 * params, prepare the transfers, charge a wait, queue) and delivery of a
 * queued call into a server's buffer (ring_recv_info, message, cap
 * records) when a RECV is parked or arrives.  Theory of operation: the top
 * of endpoint.c.
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

/* ---- delivery -------------------------------------------------------------------- */

/* Write the pieces of a delivery (message, zero padding to 8, cap
 * records) at addr in p: one page walk when they fit a small buffer. */
err_t ep_deliver_write(struct process *p, uint64_t addr, const void *head,
                       uint32_t head_len, const void *msg, uint32_t msg_len,
                       const struct ring_cap_rec *recs, uint32_t ncaps)
{
    uint64_t small[EP_SMALL_DELIVERY / 8];
    uint32_t body = ep_pad8(msg_len), rlen = ncaps * (uint32_t)sizeof recs[0];
    uint32_t total = head_len + body + rlen;
    if (total <= sizeof small) {
        uint8_t *b = (uint8_t *)small;
        if (head_len)
            memcpy(b, head, head_len);
        memcpy(b + head_len, msg, msg_len);
        memset(b + head_len + msg_len, 0, body - msg_len);
        memcpy(b + head_len + body, recs, rlen);
        return vm_write(&p->vm, addr, small, total);
    }
    uint64_t pad = 0;
    err_t r = vm_write(&p->vm, addr, head, head_len);
    if (!r)
        r = vm_write(&p->vm, addr + head_len, msg, msg_len);
    if (!r)
        r = vm_write(&p->vm, addr + head_len + msg_len, &pad, body - msg_len);
    if (!r)
        r = vm_write(&p->vm, addr + head_len + body, recs, rlen);
    return r;
}

/* Bytes a RECV buffer needs for call: info, params padded to 8, one cap
 * record per transferred cap. */
uint32_t ep_delivery_size(const struct ep_call *call)
{
    return sizeof(struct ring_recv_info) + ep_pad8(call->params_len) +
           call->x.n * (uint32_t)sizeof(struct ring_cap_rec);
}

/* Write call into server's buffer and land its caps there.  On success
 * cqe is the RECV completion and the caller's moves are committed; on
 * error nothing changed (the call stays with the caller of this). */
err_t ep_deliver(struct ep_call *call, struct process *server,
                        uint64_t addr, uint32_t len, struct ring_cqe *cqe)
{
    struct ring_cap_rec recs[RING_MAX_XFER];
    uint32_t ncaps = 0, need = ep_delivery_size(call);
    if (server->state != PROC_ALIVE)
        return ERR_DISCONNECTED;    /* a RECV left parked by a dead server */
    if (need > len)
        return ERR_TOOSMALL;
    if (server->state != PROC_ALIVE)    /* killed while its RECV was parked */
        return ERR_DISCONNECTED;
    err_t r = xfer_reserve(server, &call->x, recs, &ncaps);
    if (!r) {
        struct ring_recv_info info = {
            .session = call->session, .msg_len = call->params_len,
            .method_id = call->method, .cap_count = (uint16_t)ncaps,
            .caller_pid = call->caller->pid};
        r = ep_deliver_write(server, addr, &info, sizeof info, call->params,
                          call->params_len, recs, ncaps);
        if (r)
            xfer_unreserve(server, recs, ncaps);
    }
    if (r)
        return r;
    xfer_land(server, &call->x, recs, CAP_HOLD_COPY);
    xfer_commit(call->caller, &call->x);
    *cqe = (struct ring_cqe){.result = (int32_t)need, .aux = call->method,
                             .cap_count = (uint16_t)ncaps};
    if (ncaps)
        cqe->cap0 = recs[0];
    return ERR_OK;
}

/* The completion of a RECV whose delivery failed with e (the call stays
 * queued): a buffer the kernel cannot write (FAULT) or that is too small
 * (TOOSMALL, cap0.cap_id = the bytes the delivery needs) is
 * INVALID_RESULT_BUFFER; no room in the receiver's table (QUOTA, FULL) or
 * a receiver that is gone is INVOKE_FAILED.  The same whether the RECV
 * was parked or found the call queued. */
struct ring_cqe ep_recv_error(err_t e, const struct ep_call *call)
{
    bool buf = e == ERR_FAULT || e == ERR_TOOSMALL;
    struct ring_cqe cqe = {.result = buf ? CAP_ERR_INVALID_RESULT_BUFFER
                                         : CAP_ERR_INVOKE_FAILED,
                           .aux = (uint32_t)e};
    if (e == ERR_TOOSMALL && call)
        cqe.cap0.cap_id = ep_delivery_size(call);
    return cqe;
}

/* Mark call received by server under a fresh id (core lock held). */
void ep_core_receive(struct ep_core *core, struct ep_call *call,
                     struct process *server)
{
    call->call_id = ++core->next_call_id ? core->next_call_id
                                         : ++core->next_call_id;
    ep_served_add(core, call, server);
}

void ep_core_requeue_front(struct ep_core *core, struct ep_call *call)
{
    call->next = core->q_head;
    core->q_head = call;
    if (!core->q_tail)
        core->q_tail = call;
    core->queued++;
}

/* Pop the oldest queued call (core lock held). */
struct ep_call *ep_core_pop(struct ep_core *core)
{
    struct ep_call *call = core->q_head;
    if (call) {
        core->q_head = call->next;
        if (!core->q_head)
            core->q_tail = NULL;
        core->queued--;
        call->next = NULL;
    }
    return call;
}

/* A call or event arrived or a RECV parked: match them.  Runs with no
 * lock held. */
void ep_core_match(struct ep_core *core)
{
    uint64_t f = spin_lock_irqsave(&core->lock);
    struct ep_recv r = core->recv;
    struct ep_event *ev = r.server && r.events ? ep_core_pop_event(core) : NULL;
    struct ep_call *call = r.server && !ev ? ep_core_pop(core) : NULL;
    if (call || ev)
        core->recv.server = NULL;
    spin_unlock_irqrestore(&core->lock, f);
    if (ev) {
        ep_event_to_recv(core, ev, &r);
        return;
    }
    if (!call)
        return;
    struct ring_cqe cqe = {0};
    err_t e = ep_deliver(call, r.server, r.result_addr, r.result_len, &cqe);
    f = spin_lock_irqsave(&core->lock);
    if (e)
        ep_core_requeue_front(core, call);
    else
        ep_core_receive(core, call, r.server);
    cqe.call_id = e ? 0 : call->call_id;
    if (e)
        cqe = ep_recv_error(e, call);   /* call is only safe under the lock */
    spin_unlock_irqrestore(&core->lock, f);
    cqe.user_data = r.user_data;
    proc_post_cqe(r.server, &cqe, true);
    proc_wait_uncharge(r.server, false);
    struct process *server = r.server;
    ep_handoff(server);
    kobj_put(&server->obj);
}

/* ---- CALL on a client facet ------------------------------------------------------ */

/* Build a call record for sqe (params copied); fills cqe on failure. */
static struct ep_call *call_build(struct process *p, const struct ring_sqe *sqe,
                                  struct ring_cqe *cqe)
{
    if (!user_range_ok(sqe->result_addr, sqe->result_len)) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_RESULT_BUFFER,
                                 .aux = ERR_FAULT};
        return NULL;
    }
    if (sqe->len > CALL_PARAMS_MAX) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_PARAMS_BUFFER,
                                 .aux = ERR_RANGE};
        return NULL;
    }
    struct ep_call *call = kmalloc(sizeof *call);
    bool small = sqe->len <= EP_SMALL_PARAMS;
    uint8_t *params = small || !call ? NULL : kmalloc(sqe->len);
    if (!call || (!small && !params)) {
        kfree(call);
        kfree(params);
        call_exception_to(NULL, sqe->result_addr, sqe->result_len, cqe,
                          ERR_NOMEM, "no kernel memory for the call");
        return NULL;
    }
    if (small)
        params = (uint8_t *)call->small_params;
    if (copy_from_user(params, sqe->addr, sqe->len)) {
        if (!small)
            kfree(params);
        kfree(call);
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_PARAMS_BUFFER,
                                 .aux = ERR_FAULT};
        return NULL;
    }
    /* Every field but the transfer set (xfer_prepare fills it). */
    memset(call, 0, offsetof(struct ep_call, x));
    call->caller = p;
    call->user_data = sqe->user_data;
    call->result_addr = sqe->result_addr;
    call->result_len = sqe->result_len;
    call->method = sqe->method_id;
    call->params = params;
    call->params_len = sqe->len;
    return call;
}

/* Queue call on core unless closed, revoked or full (returns the error). */
static err_t core_enqueue(struct ep_core *core, struct ep_call *call,
                          const struct ep_client *fc)
{
    uint64_t f = spin_lock_irqsave(&core->lock);
    err_t r = core->closed                        ? ERR_DISCONNECTED
              : fc->epoch != core->client_epoch   ? ERR_REVOKED
              : core->queued >= EP_QUEUE_MAX       ? ERR_FULL
                                                   : ERR_OK;
    if (!r) {
        call->next = NULL;
        call->seq = ++core->seq;
        if (core->q_tail)
            core->q_tail->next = call;
        else
            core->q_head = call;
        core->q_tail = call;
        core->queued++;
    }
    spin_unlock_irqrestore(&core->lock, f);
    return r;
}

/* Undo a call that was never queued. */
static void call_discard(struct process *p, struct ep_call *call)
{
    xfer_abort(p, &call->x);
    ep_call_free_params(call);
    kfree(call);
}

/* Make call known to its caller (before anyone else can see it). */
static void call_publish(struct process *p, struct ep_call *call)
{
    ep_core_get(call->core);
    kobj_get(&p->obj);
    ep_calls_live++;
    uint64_t f = spin_lock_irqsave(&p->lock);
    call->pnext = p->calls;
    p->calls = call;
    spin_unlock_irqrestore(&p->lock, f);
}

/* Complete a CALL that could not be queued (error r or transport bad). */
static void call_reject(const struct ring_sqe *sqe, struct ring_cqe *cqe,
                        int bad, uint32_t aux, err_t r)
{
    if (bad)
        *cqe = (struct ring_cqe){.result = bad, .aux = aux};
    else if (r == ERR_REVOKED)
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = r};
    else
        call_exception_to(NULL, sqe->result_addr, sqe->result_len, cqe, r,
                          r == ERR_FULL ? "endpoint queue full" : NULL);
}

/* A transfer that would put core's own Endpoint (server object) in its
 * queue: refused, as Zircon refuses writing a channel into itself (the
 * queue would keep its own server alive). */
static int xfer_self(const struct xfer_set *x, const struct ep_core *core,
                     uint32_t *aux)
{
    for (uint32_t i = 0; i < x->n; i++) {
        const struct kobj *o = x->g[i].obj;
        if (o && o->ops == &endpoint_ops &&
            ((const struct endpoint *)o)->core == core) {
            *aux = ERR_PERM;
            return CAP_ERR_INVOKE_FAILED;
        }
    }
    return 0;
}

bool endpoint_call(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe, struct kobj *facet)
{
    struct ep_client *fc = (struct ep_client *)facet;
    uint32_t aux = 0;
    struct ep_call *call = call_build(p, sqe, cqe);
    if (!call)
        return true;
    int bad = xfer_prepare(p, sqe, &call->x, &aux);
    if (!bad)
        bad = xfer_self(&call->x, fc->core, &aux);
    err_t r = bad ? ERR_OK : proc_wait_charge(p);
    if (bad || r) {
        call_discard(p, call);
        call_reject(sqe, cqe, bad, aux, r);
        return true;
    }
    call->core = fc->core;
    call->session = fc->session;
    call->epoch = fc->epoch;
    call_publish(p, call);
    r = core_enqueue(fc->core, call, fc);
    if (r) {
        ep_caller_unlink(call);
        proc_wait_uncharge(p, true);
        xfer_abort(p, &call->x);
        call_reject(sqe, cqe, 0, 0, r);
        ep_call_free(call);
        return true;
    }
    ep_core_match(fc->core);
    return false;
}

