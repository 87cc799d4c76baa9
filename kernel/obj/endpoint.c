/*
 * endpoint.c - IPC endpoints: queued calls, RECV/RETURN, client facets,
 * sessions, dead peers and revocation of client facets.
 *
 * An endpoint is a shared core (struct ep_core) seen through two kinds of
 * object: the server object (Endpoint: RECV, RETURN, methods) and client
 * facets (ClientEndpoint: CALL only).  Each facet is one session: the
 * server learns who calls from the session id the kernel attaches, never
 * from message bytes.  The core lives while the server object, a facet or
 * a call refers to it.
 *
 * A CALL on a facet copies the params, prepares its transfer list, charges
 * the caller one wait and one reserved completion slot, and queues the
 * call (at most EP_QUEUE_MAX).  RECV delivers the oldest call into the
 * server's buffer (struct ring_recv_info, params, cap records; abi/ring.h)
 * or, with none queued, parks until one comes.  RETURN writes the reply
 * (and result caps) into the caller's buffer and posts its completion.
 * Delivery writes through the receiving process's page tables, so it works
 * from any context; when it wakes a process blocked in cap_enter, the CPU
 * is handed straight to it (direct handoff).
 *
 * Dead peers: when the server object goes (last Endpoint cap released,
 * e.g. the server exited) every queued or received call fails with
 * DISCONNECTED; a caller that exits cancels its queued calls (moves roll
 * back), and the server's later RETURN to it is discarded.
 * revokeClients bumps the core's client epoch: older facets fail with
 * REVOKED at their next CALL (O(1)), and their queued calls fail too.
 *
 * Locking: core->lock protects the queue, received list and parked RECV;
 * it is never held while a process lock is taken.  A call taken off a list
 * is owned by whoever took it.
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

uint64_t ep_calls_live;
static uint64_t next_session;       /* sessions are unique system-wide */

uint64_t endpoint_calls_live(void)
{
    return ep_calls_live;
}

void ep_core_get(struct ep_core *c)
{
    __atomic_fetch_add(&c->refs, 1, __ATOMIC_RELAXED);
}

void ep_core_put(struct ep_core *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(c);
}

/* ---- completions to callers ---------------------------------------------- */

/* Unlink call from its caller's outstanding list. */
void ep_caller_unlink(struct ep_call *call)
{
    struct process *p = call->caller;
    uint64_t f = spin_lock_irqsave(&p->lock);
    for (struct ep_call **pp = &p->calls; *pp; pp = &(*pp)->pnext)
        if (*pp == call) {
            *pp = call->pnext;
            break;
        }
    spin_unlock_irqrestore(&p->lock, f);
}

/* Free the params of call unless they are inline. */
void ep_call_free_params(struct ep_call *call)
{
    if (call->params != (uint8_t *)call->small_params)
        kfree(call->params);
}

/* Free a call that is on no list any more. */
void ep_call_free(struct ep_call *call)
{
    ep_call_free_params(call);
    ep_core_put(call->core);
    kobj_put(&call->caller->obj);
    kfree(call);
    ep_calls_live--;
}

/* If p's thread was just made runnable, run it now (direct ep_handoff). */
void ep_handoff(struct process *p)
{
    struct thread *t = p->thread;
    if (t && t != thread_current() && t->state == THREAD_RUNNABLE)
        sched_yield_to(t);
}

/* Post cqe to the caller of call (its reserved slot), then free call. */
void ep_call_complete(struct ep_call *call, struct ring_cqe *cqe)
{
    struct process *p = call->caller;
    cqe->user_data = call->user_data;
    if (!call->caller_gone) {
        ep_caller_unlink(call);
        proc_post_cqe(p, cqe, true);
        proc_wait_uncharge(p, false);
    }
    kobj_get(&p->obj);
    ep_call_free(call);
    ep_handoff(p);
    kobj_put(&p->obj);
}

/* Fail call with error r: moves still reserved roll back first. */
void ep_call_fail_to_caller(struct ep_call *call, err_t r, const char *msg)
{
    struct ring_cqe cqe = {0};
    if (!call->received && !call->caller_gone)
        xfer_abort(call->caller, &call->x);
    if (!call->caller_gone)
        call_exception_to(call->caller, call->result_addr, call->result_len,
                          &cqe, r, msg);
    ep_call_complete(call, &cqe);
}

/* ---- objects ----------------------------------------------------------------- */

static void ep_close(struct ep_core *core);

static void endpoint_destroy(struct kobj *o)
{
    struct endpoint *ep = (struct endpoint *)o;
    ep_close(ep->core);
    ep_core_put(ep->core);
    kfree(ep);
}

static void client_destroy(struct kobj *o)
{
    struct ep_client *c = (struct ep_client *)o;
    ep_facet_close(c);
    ep_core_put(c->core);
    kfree(c);
}

const struct kobj_ops endpoint_ops = {
    .name = "endpoint", .type = KOBJ_ENDPOINT, .destroy = endpoint_destroy};
static const struct kobj_ops client_ops = {
    .name = "ep-client", .type = KOBJ_EPCLIENT, .destroy = client_destroy};

struct kobj *endpoint_create(void)
{
    struct endpoint *ep = kzalloc(sizeof *ep);
    struct ep_core *core = kzalloc(sizeof *core);
    if (!ep || !core) {
        kfree(ep);
        kfree(core);
        return NULL;
    }
    core->lock = (struct spinlock)SPINLOCK_INIT("endpoint");
    core->refs = 1;
    ep->core = core;
    kobj_init(&ep->obj, &endpoint_ops);
    return &ep->obj;
}

/* Take every call off the core's lists and the parked RECV (lock held). */
static struct ep_call *core_take_all(struct ep_core *core, struct ep_recv *r)
{
    struct ep_call *all = core->q_head, **tail = &all;
    while (*tail)
        tail = &(*tail)->next;
    ep_served_remove_all(core->received);
    *tail = core->received;
    core->q_head = core->q_tail = NULL;
    core->received = NULL;
    core->queued = 0;
    *r = core->recv;
    core->recv.server = NULL;
    return all;
}

/* The server object is gone: fail everything outstanding. */
static void ep_close(struct ep_core *core)
{
    struct ep_recv r;
    uint64_t f = spin_lock_irqsave(&core->lock);
    core->closed = true;
    struct ep_call *all = core_take_all(core, &r);
    spin_unlock_irqrestore(&core->lock, f);
    ep_core_drop_events(core);
    while (all) {
        struct ep_call *next = all->next;
        ep_call_fail_to_caller(all, ERR_DISCONNECTED, "endpoint server is gone");
        all = next;
    }
    if (r.server) {
        struct ring_cqe cqe = {.user_data = r.user_data,
                               .result = CAP_ERR_INVOKE_FAILED,
                               .aux = ERR_DISCONNECTED};
        proc_post_cqe(r.server, &cqe, true);
        proc_wait_uncharge(r.server, false);
        kobj_put(&r.server->obj);
    }
}

/* ---- methods of the server object ------------------------------------------ */

static struct ep_core *ctx_core(void *ctx)
{
    return ((struct endpoint *)((struct call_ctx *)ctx)->target)->core;
}

/* True if iface is served by a kernel object type (a facet may not pose
 * as one: kernel code trusts those interfaces' objects). */
static bool kernel_interface(uint64_t iface)
{
    for (uint32_t t = 0; t < KOBJ__COUNT; t++)
        if (kiface_find(t, iface))
            return true;
    return iface == CAPOS_CLIENT_ENDPOINT_INTERFACE_ID;
}

static int ep_make_client(void *ctx, capos_endpoint_make_client_params_r params,
                          capos_endpoint_make_client_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct ep_core *core = ctx_core(ctx);
    uint64_t iface = capos_endpoint_make_client_params_get_interface_id(params);
    if (iface && kernel_interface(iface))
        return call_fail(c, ERR_INVAL, "a facet cannot serve a kernel interface");
    struct ep_client *fc = kzalloc(sizeof *fc);
    if (!fc)
        return call_fail(c, ERR_NOMEM, "no memory for a client facet");
    uint64_t f = spin_lock_irqsave(&core->lock);
    fc->session = __atomic_add_fetch(&next_session, 1, __ATOMIC_RELAXED);
    fc->epoch = core->client_epoch;
    spin_unlock_irqrestore(&core->lock, f);
    ep_core_get(core);
    fc->core = core;
    kobj_init(&fc->obj, &client_ops);
    if (ep_facet_open(core, fc)) {
        kobj_put(&fc->obj);
        return call_fail(c, ERR_NOMEM, "no memory for a client facet");
    }
    c->result_obj = &fc->obj;
    c->result_iface = iface ? iface : CAPOS_CLIENT_ENDPOINT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static int ep_pending(void *ctx, capos_endpoint_pending_params_r params,
                      capos_endpoint_pending_results_b results)
{
    (void)params;
    capos_endpoint_pending_results_set_count(results, ctx_core(ctx)->queued);
    return ERR_OK;
}

/* Unlink queued calls from facets older than the current epoch. */
static struct ep_call *core_take_revoked(struct ep_core *core)
{
    struct ep_call *taken = NULL, **pp = &core->q_head;
    core->q_tail = NULL;
    while (*pp) {
        struct ep_call *call = *pp;
        if (call->epoch != core->client_epoch) {
            *pp = call->next;
            call->next = taken;
            taken = call;
            core->queued--;
        } else {
            core->q_tail = call;
            pp = &call->next;
        }
    }
    return taken;
}

static int ep_revoke_clients(void *ctx,
                             capos_endpoint_revoke_clients_params_r params,
                             capos_endpoint_revoke_clients_results_b results)
{
    (void)params;
    (void)results;
    struct ep_core *core = ctx_core(ctx);
    uint64_t f = spin_lock_irqsave(&core->lock);
    core->client_epoch++;
    struct ep_call *taken = core_take_revoked(core);
    spin_unlock_irqrestore(&core->lock, f);
    while (taken) {
        struct ep_call *next = taken->next;
        ep_call_fail_to_caller(taken, ERR_REVOKED, "client facet revoked");
        taken = next;
    }
    return ERR_OK;
}

static const capos_endpoint_server_t endpoint_server = {
    .make_client = ep_make_client,
    .pending = ep_pending,
    .revoke_clients = ep_revoke_clients,
};

static int endpoint_dispatch(struct call_ctx *c, uint16_t m,
                             struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_endpoint_dispatch(&endpoint_server, c, m, params, res);
}

const struct kiface endpoint_iface = {
    .id = CAPOS_ENDPOINT_INTERFACE_ID, .name = "Endpoint",
    .dispatch = endpoint_dispatch};

