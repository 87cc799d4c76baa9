/* SPDX-License-Identifier: MIT */
/*
 * question.c - our calls: building and sending Call and Bootstrap, the
 * question table, Return, Finish and promise pipelining.
 *
 * A question is referenced by its caller (until rpc_question_release
 * and the answer, or rpc_question_cancel) and by every promise on its
 * results.  Its id is reused only after Return
 * arrived and Finish was sent, as the spec requires.  Finish goes out when
 * the last reference drops: with releaseResultCaps = false after Return
 * (we turned the result caps into imports already), true before it (a
 * cancellation: the results' caps are then ignored and the peer releases
 * them).  Promises keep targeting `promisedAnswer` until Finish, so calls
 * stay ordered without embargoes (see docs/network.md).
 */
#include "internal.h"

struct rpc_call *rpc_call_new(struct rpc_cap *target, uint64_t iface,
                              uint16_t method)
{
    struct rpc_call *call;
    if (!target)
        return NULL;
    call = rpc_zalloc(target->vat, sizeof *call);
    if (!call)
        return NULL;
    call->target = rpc_cap_ref(target);
    call->fail_type = RPC_EXC_FAILED;
    if (target->kind == CAP_IMPORT)
        call->conn = target->u.imp.conn;
    else if (target->kind == CAP_PROMISE)
        call->conn = target->u.prom.q->conn;
    if (target->kind == CAP_LOCAL)
        call->fail = "a local capability is called directly, not by RPC";
    else if (target->kind == CAP_BROKEN || !call->conn) {
        call->fail = target->kind == CAP_BROKEN ? target->u.broken.reason
                                                : "call on a failed call";
        call->fail_type = target->kind == CAP_BROKEN ? target->u.broken.type
                                                     : RPC_EXC_FAILED;
        call->conn = NULL;
    }
    if (call->conn) {
        call->out = out_new(call->conn);
        if (!call->out) {
            rpc_cap_unref(call->target);
            rpc_free(target->vat, call, sizeof *call);
            return NULL;
        }
        call->call = rpc_message_init_call(out_root(call->out));
        rpc_call_set_interface_id(call->call, iface);
        rpc_call_set_method_id(call->call, method);
        call->params = rpc_call_init_params(call->call);
    }
    return call;
}

struct capnp_ptr_builder rpc_call_params(struct rpc_call *call)
{
    if (!call || !call->out)
        return (struct capnp_ptr_builder){0};
    return rpc_payload_slot_content(call->params);
}

uint32_t rpc_call_cap(struct rpc_call *call, struct rpc_cap *cap)
{
    return call && call->out ? out_add_cap(call->out, cap) : CAPNP_CAP_NULL;
}

static void call_free(struct rpc_call *call)
{
    struct rpc_vat *v = call->target->vat;
    if (call->out)
        out_free(call->conn, call->out);
    rpc_cap_unref(call->target);
    rpc_free(v, call, sizeof *call);
}

static bool question_id(struct rpc_conn *c, uint32_t *id)
{
    for (uint32_t i = 0; i < c->lim.max_questions; i++)
        if (!c->questions[i]) {
            *id = i;
            return true;
        }
    return false;
}

static void question_free(struct question *q)
{
    struct rpc_conn *c = q->conn;
    if (q->in_table) {
        c->questions[q->id] = NULL;
        c->nquestions--;
    }
    rpc_free(q->vat, q->param_exports,
             q->nparam_exports * sizeof *q->param_exports);
    rpc_free(q->vat, q, sizeof *q);
    if (c)
        conn_unref(c);
}

void question_unref(struct question *q)
{
    if (--q->refs > 0)
        return;
    if (!q->finish_sent) {
        q->finish_sent = true;
        send_finish(q->conn, q->id, !q->returned);
    }
    if (q->returned || !q->in_table)
        question_free(q);
}

/* Enter q (already sent as `id`) in the table. */
static void question_enter(struct rpc_conn *c, struct question *q, uint32_t id,
                           const struct rpc_out *o)
{
    q->conn = c;
    q->id = id;
    q->in_table = true;
    c->refs++;
    c->questions[id] = q;
    c->nquestions++;
    if (o->nexports) {
        q->param_exports = rpc_zalloc(c->vat, o->nexports * sizeof(uint32_t));
        if (q->param_exports) {
            q->nparam_exports = o->nexports;
            __builtin_memcpy(q->param_exports, o->exports,
                             o->nexports * sizeof(uint32_t));
        }
    }
}

/* Write target cap (import or promise of call->conn) into mt. */
static void target_write(const struct rpc_cap *t, rpc_message_target_b mt)
{
    if (t->kind == CAP_IMPORT)
        rpc_message_target_set_imported_cap(mt, t->u.imp.id);
    else
        promised_answer_write(rpc_message_target_init_promised_answer(mt), t);
}

/* Send call; on success q is in the table and true is returned. */
static bool call_transmit(struct rpc_call *call, struct question *q)
{
    struct rpc_conn *c = call->conn;
    uint32_t id;
    if (c->broken) {
        call->fail = "connection closed";
        call->fail_type = RPC_EXC_DISCONNECTED;
        return false;
    }
    if (!question_id(c, &id)) {
        call->fail = "too many outstanding calls";
        call->fail_type = RPC_EXC_OVERLOADED;
        return false;
    }
    rpc_call_set_question_id(call->call, id);
    target_write(call->target, rpc_call_init_target(call->call));
    out_write_caps(c, call->out, call->params);
    if (!out_send(c, call->out)) {
        call->fail = call->out->fail;
        if (c->broken)
            call->fail_type = RPC_EXC_DISCONNECTED;
        return false;
    }
    question_enter(c, q, id, call->out);
    return true;
}

struct rpc_question *rpc_call_send(struct rpc_call *call, rpc_done_fn *done,
                                   void *ctx)
{
    if (!call) {                     /* rpc_call_new ran out of memory */
        struct rpc_response r = {.ok = false, .type = RPC_EXC_FAILED,
                                 .reason = {"out of memory", 13}};
        if (done)
            done(ctx, &r);
        return NULL;
    }
    struct rpc_vat *v = call->target->vat;
    struct question *q = rpc_zalloc(v, sizeof *q);
    if (q) {
        q->vat = v;
        q->refs = 1;
        q->caller_ref = true;
        q->done = done;
        q->ctx = ctx;
    } else if (!call->fail) {
        call->fail = "out of memory";
    }
    if (!call->fail && call_transmit(call, q)) {
        call_free(call);
        return (struct rpc_question *)q;
    }
    /* Failed locally: the caller hears it now. */
    struct rpc_response r = {.ok = false, .type = call->fail_type,
                             .reason = {call->fail, rpc_strlen(call->fail)}};
    call_free(call);
    if (q)
        q->returned = q->finish_sent = true;
    if (done)
        done(ctx, &r);
    return (struct rpc_question *)q;
}

struct rpc_cap *rpc_question_pipeline(struct rpc_question *rq,
                                      const uint16_t *path, uint32_t n)
{
    struct question *q = (struct question *)rq;
    struct rpc_cap *cap;
    if (!q)
        return NULL;
    if (!q->conn || q->conn->broken)
        return cap_broken(q->vat, q->conn ? RPC_EXC_DISCONNECTED
                          : RPC_EXC_FAILED, "pipelined on a failed call");
    cap = rpc_zalloc(q->vat, sizeof *cap);
    if (!cap)
        return NULL;
    if (n) {
        cap->u.prom.path = rpc_zalloc(q->vat, n * sizeof *path);
        if (!cap->u.prom.path) {
            rpc_free(q->vat, cap, sizeof *cap);
            return NULL;
        }
        __builtin_memcpy(cap->u.prom.path, path, n * sizeof *path);
    }
    cap->vat = q->vat;
    cap->refs = 1;
    cap->kind = CAP_PROMISE;
    cap->u.prom.q = q;
    cap->u.prom.n = n;
    q->refs++;
    return cap;
}

/* Drop the caller's reference if it is still counted. */
void question_drop_caller(struct question *q)
{
    if (q->caller_ref) {
        q->caller_ref = false;
        question_unref(q);
    }
}

void rpc_question_release(struct rpc_question *rq)
{
    struct question *q = (struct question *)rq;
    if (!q || q->released)
        return;
    q->released = true;
    if (q->returned)
        question_drop_caller(q);
}

void rpc_question_cancel(struct rpc_question *rq)
{
    struct question *q = (struct question *)rq;
    if (!q || q->canceled)
        return;
    q->canceled = q->released = true;
    question_drop_caller(q);
}

struct rpc_cap *rpc_conn_bootstrap(struct rpc_conn *c)
{
    struct question *q;
    struct rpc_out *o;
    struct rpc_cap *cap;
    uint32_t id;
    if (c->broken)
        return cap_broken(c->vat, RPC_EXC_DISCONNECTED, "connection closed");
    if (!question_id(c, &id))
        return cap_broken(c->vat, RPC_EXC_OVERLOADED,
                          "too many outstanding calls");
    q = rpc_zalloc(c->vat, sizeof *q);
    o = q ? out_new(c) : NULL;
    if (!o) {
        rpc_free(c->vat, q, sizeof *q);
        return NULL;
    }
    rpc_bootstrap_set_question_id(rpc_message_init_bootstrap(out_root(o)), id);
    q->vat = c->vat;
    q->released = q->canceled = true; /* only promises hold it */
    bool sent = out_send(c, o);
    if (sent)
        question_enter(c, q, id, o);
    out_free(c, o);
    if (!sent) {
        rpc_free(c->vat, q, sizeof *q);
        return cap_broken(c->vat, RPC_EXC_DISCONNECTED, "connection closed");
    }
    cap = rpc_question_pipeline((struct rpc_question *)q, NULL, 0);
    if (!cap) {
        q->refs = 1;
        question_unref(q);
    }
    return cap;
}
