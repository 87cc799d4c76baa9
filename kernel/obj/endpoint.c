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

#define EP_SMALL_PARAMS 128  /* params up to this size live in the call */
#define EP_SMALL_DELIVERY 256 /* deliveries this small are written at once */

struct ep_recv {
    struct process *server;         /* reference */
    uint64_t user_data, result_addr;
    uint32_t result_len;
};

struct ep_core {
    struct spinlock lock;
    uint32_t refs;                  /* server object, facets, calls */
    bool closed;
    uint32_t client_epoch;
    struct ep_call *q_head, *q_tail;
    uint32_t queued;
    struct ep_call *received;
    uint32_t next_call_id;
    struct ep_recv recv;            /* parked RECV if recv.server */
};

struct endpoint {
    struct kobj obj;
    struct ep_core *core;
};

struct ep_client {
    struct kobj obj;
    struct ep_core *core;
    uint64_t session;
    uint32_t epoch;
};

struct ep_call {
    struct ep_call *next;           /* queue or received list (core) */
    struct ep_call *pnext;          /* caller's outstanding list */
    struct ep_core *core;
    struct process *caller;         /* reference */
    uint64_t user_data, result_addr;
    uint32_t result_len, call_id, epoch;
    uint16_t method;
    bool received, caller_gone;
    uint64_t session;
    uint8_t *params;                /* small_params or kmalloc'd */
    uint32_t params_len;
    struct xfer_set x;
    uint64_t small_params[EP_SMALL_PARAMS / 8];
};

static uint64_t calls_live;
static uint64_t next_session;       /* sessions are unique system-wide */

uint64_t endpoint_calls_live(void)
{
    return calls_live;
}

static void core_get(struct ep_core *c)
{
    __atomic_fetch_add(&c->refs, 1, __ATOMIC_RELAXED);
}

static void core_put(struct ep_core *c)
{
    if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0)
        kfree(c);
}

/* ---- completions to callers ---------------------------------------------- */

/* Unlink call from its caller's outstanding list. */
static void caller_unlink(struct ep_call *call)
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
static void call_free_params(struct ep_call *call)
{
    if (call->params != (uint8_t *)call->small_params)
        kfree(call->params);
}

/* Free a call that is on no list any more. */
static void call_free(struct ep_call *call)
{
    call_free_params(call);
    core_put(call->core);
    kobj_put(&call->caller->obj);
    kfree(call);
    calls_live--;
}

/* If p's thread was just made runnable, run it now (direct handoff). */
static void handoff(struct process *p)
{
    struct thread *t = p->thread;
    if (t && t != thread_current() && t->state == THREAD_RUNNABLE)
        sched_yield_to(t);
}

/* Post cqe to the caller of call (its reserved slot), then free call. */
static void call_complete(struct ep_call *call, struct ring_cqe *cqe)
{
    struct process *p = call->caller;
    cqe->user_data = call->user_data;
    if (!call->caller_gone) {
        caller_unlink(call);
        proc_post_cqe(p, cqe, true);
        proc_wait_uncharge(p, false);
    }
    kobj_get(&p->obj);
    call_free(call);
    handoff(p);
    kobj_put(&p->obj);
}

/* Fail call with error r: moves still reserved roll back first. */
static void call_fail_to_caller(struct ep_call *call, err_t r, const char *msg)
{
    struct ring_cqe cqe = {0};
    if (!call->received && !call->caller_gone)
        xfer_abort(call->caller, &call->x);
    if (!call->caller_gone)
        call_exception_to(call->caller, call->result_addr, call->result_len,
                          &cqe, r, msg);
    call_complete(call, &cqe);
}

/* ---- objects ----------------------------------------------------------------- */

static void ep_close(struct ep_core *core);

static void endpoint_destroy(struct kobj *o)
{
    struct endpoint *ep = (struct endpoint *)o;
    ep_close(ep->core);
    core_put(ep->core);
    kfree(ep);
}

static void client_destroy(struct kobj *o)
{
    struct ep_client *c = (struct ep_client *)o;
    core_put(c->core);
    kfree(c);
}

static const struct kobj_ops endpoint_ops = {
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
    while (all) {
        struct ep_call *next = all->next;
        call_fail_to_caller(all, ERR_DISCONNECTED, "endpoint server is gone");
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

static int ep_make_client(void *ctx, capos_endpoint_make_client_params_r params,
                          capos_endpoint_make_client_results_b results)
{
    (void)params;
    (void)results;
    struct call_ctx *c = ctx;
    struct ep_core *core = ctx_core(ctx);
    struct ep_client *fc = kzalloc(sizeof *fc);
    if (!fc)
        return call_fail(c, ERR_NOMEM, "no memory for a client facet");
    uint64_t f = spin_lock_irqsave(&core->lock);
    fc->session = __atomic_add_fetch(&next_session, 1, __ATOMIC_RELAXED);
    fc->epoch = core->client_epoch;
    spin_unlock_irqrestore(&core->lock, f);
    core_get(core);
    fc->core = core;
    kobj_init(&fc->obj, &client_ops);
    c->result_obj = &fc->obj;
    c->result_iface = CAPOS_CLIENT_ENDPOINT_INTERFACE_ID;
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
        call_fail_to_caller(taken, ERR_REVOKED, "client facet revoked");
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

/* ---- delivery -------------------------------------------------------------------- */

static uint32_t pad8(uint32_t n)
{
    return (n + 7) & ~7u;
}

/* Write call into server's buffer and land its caps there.  On success
 * cqe is the RECV completion and the caller's moves are committed; on
 * error nothing changed (the call stays with the caller of this). */
/* Write the pieces of a delivery (message, zero padding to 8, cap
 * records) at addr in p: one page walk when they fit a small buffer. */
static err_t deliver_write(struct process *p, uint64_t addr, const void *head,
                           uint32_t head_len, const void *msg, uint32_t msg_len,
                           const struct ring_cap_rec *recs, uint32_t ncaps)
{
    uint64_t small[EP_SMALL_DELIVERY / 8];
    uint32_t body = pad8(msg_len), rlen = ncaps * (uint32_t)sizeof recs[0];
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

/* Write call into server's buffer and land its caps there.  On success
 * cqe is the RECV completion and the caller's moves are committed; on
 * error nothing changed (the call stays with the caller of this). */
static err_t ep_deliver(struct ep_call *call, struct process *server,
                        uint64_t addr, uint32_t len, struct ring_cqe *cqe)
{
    struct ring_cap_rec recs[RING_MAX_XFER];
    uint32_t ncaps = 0;
    uint32_t need = sizeof(struct ring_recv_info) + pad8(call->params_len) +
                    call->x.n * (uint32_t)sizeof(struct ring_cap_rec);
    if (need > len)
        return ERR_TOOSMALL;
    err_t r = xfer_reserve(server, &call->x, recs, &ncaps);
    if (!r) {
        struct ring_recv_info info = {
            .session = call->session, .msg_len = call->params_len,
            .method_id = call->method, .cap_count = (uint16_t)ncaps,
            .caller_pid = call->caller->pid};
        r = deliver_write(server, addr, &info, sizeof info, call->params,
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

/* Mark call received under a fresh id (core lock held). */
static void core_receive(struct ep_core *core, struct ep_call *call)
{
    call->received = true;
    call->call_id = ++core->next_call_id ? core->next_call_id
                                         : ++core->next_call_id;
    call->next = core->received;
    core->received = call;
}

static void core_requeue_front(struct ep_core *core, struct ep_call *call)
{
    call->next = core->q_head;
    core->q_head = call;
    if (!core->q_tail)
        core->q_tail = call;
    core->queued++;
}

/* Pop the oldest queued call (core lock held). */
static struct ep_call *core_pop(struct ep_core *core)
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

/* A call arrived or a RECV parked: match them.  Runs with no lock held. */
static void core_match(struct ep_core *core)
{
    uint64_t f = spin_lock_irqsave(&core->lock);
    struct ep_recv r = core->recv;
    struct ep_call *call = r.server ? core_pop(core) : NULL;
    if (call)
        core->recv.server = NULL;
    spin_unlock_irqrestore(&core->lock, f);
    if (!call)
        return;
    struct ring_cqe cqe = {0};
    err_t e = ep_deliver(call, r.server, r.result_addr, r.result_len, &cqe);
    f = spin_lock_irqsave(&core->lock);
    if (e)
        core_requeue_front(core, call);
    else
        core_receive(core, call);
    cqe.call_id = e ? 0 : call->call_id;
    spin_unlock_irqrestore(&core->lock, f);
    if (e)
        cqe = (struct ring_cqe){.result = e == ERR_FAULT || e == ERR_TOOSMALL
                                              ? CAP_ERR_INVALID_RESULT_BUFFER
                                              : CAP_ERR_INVOKE_FAILED,
                                .aux = (uint32_t)e};
    cqe.user_data = r.user_data;
    proc_post_cqe(r.server, &cqe, true);
    proc_wait_uncharge(r.server, false);
    struct process *server = r.server;
    handoff(server);
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
    call_free_params(call);
    kfree(call);
}

/* Make call known to its caller (before anyone else can see it). */
static void call_publish(struct process *p, struct ep_call *call)
{
    core_get(call->core);
    kobj_get(&p->obj);
    calls_live++;
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

bool endpoint_call(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe, struct kobj *facet)
{
    struct ep_client *fc = (struct ep_client *)facet;
    uint32_t aux = 0;
    struct ep_call *call = call_build(p, sqe, cqe);
    if (!call)
        return true;
    int bad = xfer_prepare(p, sqe, &call->x, &aux);
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
        caller_unlink(call);
        proc_wait_uncharge(p, true);
        xfer_abort(p, &call->x);
        call_reject(sqe, cqe, 0, 0, r);
        call_free(call);
        return true;
    }
    core_match(fc->core);
    return false;
}

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
        core_get(*out);
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
                                      .result_len = sqe->result_len};
    }
    spin_unlock_irqrestore(&core->lock, f);
    if (r == ERR_BUSY || r == ERR_DISCONNECTED)
        proc_wait_uncharge(p, true);
    if (r) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = r};
        return true;
    }
    core_match(core);       /* a call may have raced in */
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
        struct ep_call *call = core->recv.server ? NULL : core_pop(core);
        spin_unlock_irqrestore(&core->lock, f);
        if (call) {
            r = ep_deliver(call, p, sqe->result_addr, sqe->result_len, cqe);
            f = spin_lock_irqsave(&core->lock);
            if (r)
                core_requeue_front(core, call);
            else
                core_receive(core, call);
            cqe->call_id = r ? 0 : call->call_id;
            spin_unlock_irqrestore(&core->lock, f);
            if (r)
                *cqe = (struct ring_cqe){.result = CAP_ERR_INVALID_RESULT_BUFFER,
                                         .aux = r};
        } else {
            post = recv_park(p, core, sqe, cqe);
        }
    }
    core_put(core);
    return post;
}

/* Take the received call `id` off core's received list, or NULL. */
static struct ep_call *core_take_received(struct ep_core *core, uint32_t id)
{
    struct ep_call *found = NULL;
    uint64_t f = spin_lock_irqsave(&core->lock);
    for (struct ep_call **pp = &core->received; *pp; pp = &(*pp)->next)
        if ((*pp)->call_id == id) {
            found = *pp;
            *pp = found->next;
            break;
        }
    spin_unlock_irqrestore(&core->lock, f);
    return found;
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
    uint32_t ncaps = 0, need = pad8(len) + x->n * (uint32_t)sizeof recs[0];
    if (need > call->result_len)
        return ERR_TOOSMALL;
    err_t r = xfer_reserve(call->caller, x, recs, &ncaps);
    if (!r) {
        r = deliver_write(call->caller, call->result_addr, NULL, 0, reply, len,
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
            call_free(call);
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
    call_complete(call, &ccqe);
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
    struct ep_call *call = core_take_received(core, sqe->call_id);
    if (!call) {
        *cqe = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED,
                                 .aux = ERR_NOTFOUND};
        core_put(core);
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
        call->next = core->received;    /* the server may try again */
        core->received = call;
        spin_unlock_irqrestore(&core->lock, f);
    } else {
        return_finish(p, call, reply, sqe, &x, cqe);
    }
    if (reply != (uint8_t *)small)
        kfree(reply);
    core_put(core);
    return true;
}

/* ---- a caller exits -------------------------------------------------------------- */

void endpoint_proc_exit(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    struct ep_call *list = p->calls;
    p->calls = NULL;
    spin_unlock_irqrestore(&p->lock, f);
    while (list) {
        struct ep_call *call = list, *next = call->pnext;
        struct ep_core *core = call->core;
        bool queued = false;
        f = spin_lock_irqsave(&core->lock);
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
        if (queued) {
            xfer_abort(p, &call->x);
            call_free(call);
        }
        list = next;
    }
}
