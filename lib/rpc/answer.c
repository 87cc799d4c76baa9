/* SPDX-License-Identifier: MIT */
/*
 * answer.c - the peer's calls: the answer table, Call, Bootstrap, Finish
 * and the pipelined calls queued on unanswered calls.
 *
 * States of an answer (struct rpc_incoming): QUEUED (a pipelined call
 * waiting for the answer it targets), RUNNING (the object's handler owns
 * it until rpc_in_return / rpc_in_throw), RETURNED (Return sent; the
 * Return message is kept so later pipelined calls can find their target
 * in it).  It leaves the table when both Return was sent and Finish
 * received.  Unknown or duplicate question ids, a second Finish, targets
 * that name no export or answer are protocol errors; a pipelined call on a
 * failed answer gets that answer's exception.
 */
#include "internal.h"

struct rpc_incoming *answer_find(struct rpc_conn *c, uint32_t id)
{
    for (uint32_t i = 0; i < c->nanswers; i++)
        if (c->answers[i]->id == id)
            return c->answers[i];
    return NULL;
}

/* A new RUNNING answer for question id; NULL after a protocol error. */
struct rpc_incoming *answer_new(struct rpc_conn *c, uint32_t id)
{
    struct rpc_incoming *a;
    if (answer_find(c, id)) {
        conn_protocol_error(c, "question id already in use");
        return NULL;
    }
    if (c->nanswers >= c->lim.max_answers) {
        conn_protocol_error(c, "too many outstanding calls from the peer");
        return NULL;
    }
    a = rpc_zalloc(c->vat, sizeof *a);
    if (!a) {
        conn_fail(c, RPC_E_NOMEM, "out of memory for an answer");
        return NULL;
    }
    a->conn = c;
    a->id = id;
    a->state = ANS_RUNNING;
    a->in_table = true;
    c->refs++;
    c->answers[c->nanswers++] = a;
    return a;
}

void answer_free(struct rpc_incoming *a)
{
    struct rpc_conn *c = a->conn;
    if (a->in_table) {
        for (uint32_t i = 0; i < c->nanswers; i++)
            if (c->answers[i] == a) {
                c->answers[i] = c->answers[--c->nanswers];
                break;
            }
    }
    inmsg_free(c, a->req);
    caps_free(c->vat, a->pcaps, a->npcaps);
    out_free(c, a->out);
    rpc_free(c->vat, a, sizeof *a);
    conn_unref(c);
}

/* Finish.releaseResultCaps: drop the exports our Return added. */
static void release_results(struct rpc_conn *c, struct rpc_incoming *a)
{
    struct rpc_out *o = a->out;
    if (!a->release_result_caps || !o || c->broken)
        return;
    for (uint32_t i = 0; i < o->nexports; i++) {
        uint32_t id = o->exports[i];
        if (!c->exports[id].cap || c->exports[id].refs == 0) {
            conn_protocol_error(c, "releaseResultCaps of released caps");
            return;
        }
        exports_release(c, id, 1);
    }
    o->nexports = 0;
}

/* The cap at pipeline path pa of RETURNED answer t: a new reference, or
 * NULL with *why. */
struct rpc_cap *answer_resolve(struct rpc_incoming *t, rpc_promised_answer_r pa,
                               const char **why)
{
    struct capnp_msg msg;
    rpc_promised_answer_op_rlist ops = rpc_promised_answer_get_transform(pa);
    uint32_t n = rpc_promised_answer_op_rlist_len(ops), idx;
    if (t->exception || !t->out) {
        *why = "pipelined call on a failed call";
        return cap_broken(t->conn->vat, t->etype, *why);
    }
    if (n > t->conn->lim.max_transform) {
        *why = "pipeline transform too long";
        return NULL;
    }
    capnp_msg_init_builder(&msg, &t->out->b, NULL);
    rpc_return_r ret = rpc_message_get_return(rpc_message_read_root(&msg));
    struct capnp_ptr p = rpc_payload_get_content(rpc_return_get_results(ret));
    for (uint32_t i = 0; i < n; i++) {
        rpc_promised_answer_op_r op = rpc_promised_answer_op_rlist_get(ops, i);
        if (rpc_promised_answer_op_which(op) ==
            RPC_PROMISED_ANSWER_OP_GET_POINTER_FIELD) {
            struct capnp_struct s = capnp_ptr_read_struct(&p, NULL);
            p = capnp_struct_ptr(&s,
                    rpc_promised_answer_op_get_get_pointer_field(op));
        } else if (rpc_promised_answer_op_which(op) !=
                   RPC_PROMISED_ANSWER_OP_NOOP) {
            *why = "unknown pipeline transform op";
            return NULL;
        }
    }
    msg.cap_count = t->out->ncaps;
    idx = capnp_ptr_read_cap(&p);
    if (capnp_msg_error(&msg) != CAPNP_OK || idx == CAPNP_CAP_NULL ||
        !t->out->caps[idx]) {
        *why = "pipeline path names no capability";
        return NULL;
    }
    return rpc_cap_ref(t->out->caps[idx]);
}

/* Deliver RUNNING answer a to the cap its target resolved to. */
void deliver_call(struct rpc_incoming *a, struct rpc_cap *cap)
{
    rpc_cap_ref(cap);
    switch (cap->kind) {
    case CAP_LOCAL:
        cap->u.local.ops->call(cap->u.local.obj, a);
        break;
    case CAP_BROKEN:
        rpc_in_throw(a, cap->u.broken.type, cap->u.broken.reason);
        break;
    default:                         /* hosted by a peer: forward */
        rpc_in_forward(a, cap);
        break;
    }
    rpc_cap_unref(cap);
}

/* Deliver a pipelined call a on RETURNED answer t. */
static void pipeline_deliver(struct rpc_incoming *a, struct rpc_incoming *t,
                             rpc_promised_answer_r pa)
{
    const char *why = NULL;
    struct rpc_cap *cap;
    a->state = ANS_RUNNING;
    if (t->exception) {
        rpc_in_throw(a, t->etype, t->reason);
        return;
    }
    cap = answer_resolve(t, pa, &why);
    if (!cap)
        rpc_in_throw(a, RPC_EXC_FAILED, why);
    else
        deliver_call(a, cap);
    rpc_cap_unref(cap);
}

/* a's Return went out (or cannot): drop its params, run the calls queued
 * on it, free it if it is finished. */
void answer_returned(struct rpc_incoming *a)
{
    struct rpc_conn *c = a->conn;
    struct rpc_incoming *w = a->waiting, *next;
    a->state = ANS_RETURNED;
    a->waiting = a->waiting_tail = NULL;
    inmsg_free(c, a->req);
    a->req = NULL;
    caps_free(c->vat, a->pcaps, a->npcaps);
    a->pcaps = NULL;
    a->npcaps = 0;
    for (; w; w = next) {
        next = w->next;
        w->next = NULL;
        c->nqueued--;
        if (c->broken)
            answer_free(w);
        else
            pipeline_deliver(w, a, w->pa);
    }
    if (a->finished)
        release_results(c, a);
    if (a->finished || !a->in_table)
        answer_free(a);
}

/* Call on promisedAnswer pa: queue it or deliver it. */
static void call_pipelined(struct rpc_conn *c, struct rpc_incoming *a,
                           rpc_promised_answer_r pa)
{
    struct rpc_incoming *t = answer_find(c, rpc_promised_answer_get_question_id(pa));
    if (!t || t == a) {
        conn_protocol_error(c, "pipelined call on an unknown question");
        answer_free(a);
        return;
    }
    if (t->state == ANS_RETURNED) {
        pipeline_deliver(a, t, pa);
        return;
    }
    if (c->nqueued >= c->lim.max_queued) {
        rpc_in_throw(a, RPC_EXC_OVERLOADED, "too many queued pipelined calls");
        return;
    }
    a->state = ANS_QUEUED;
    a->pa = pa;
    if (t->waiting_tail)
        t->waiting_tail->next = a;
    else
        t->waiting = a;
    t->waiting_tail = a;
    c->nqueued++;
}

void handle_call(struct rpc_conn *c, struct rpc_inmsg *m, rpc_call_r call)
{
    rpc_message_target_r tg = rpc_call_get_target(call);
    rpc_payload_r params = rpc_call_get_params(call);
    uint32_t qid = rpc_call_get_question_id(call), id;
    rpc_message_target_which_t tw = rpc_message_target_which(tg);
    bool to_caller = rpc_call_send_results_to_which(
        rpc_call_get_send_results_to(call)) == RPC_CALL_SEND_RESULTS_TO_CALLER;
    struct rpc_incoming *a;
    if (!msg_check(c, &m->msg) || !(a = answer_new(c, qid))) {
        inmsg_free(c, m);
        return;
    }
    a->req = m;
    a->iface = rpc_call_get_interface_id(call);
    a->method = rpc_call_get_method_id(call);
    a->params = rpc_payload_get_content(params);
    if (!caps_read(c, params, &a->pcaps, &a->npcaps) ||
        !msg_check(c, &m->msg)) {
        answer_free(a);
        return;
    }
    m->msg.cap_count = a->npcaps;
    if (!to_caller) {
        rpc_in_throw(a, RPC_EXC_UNIMPLEMENTED, "sendResultsTo not caller");
    } else if (tw == RPC_MESSAGE_TARGET_IMPORTED_CAP) {
        id = rpc_message_target_get_imported_cap(tg);
        if (id < c->lim.max_exports && c->exports[id].cap) {
            deliver_call(a, c->exports[id].cap);
        } else {
            conn_protocol_error(c, "Call to a capability never exported");
            answer_free(a);
        }
    } else if (tw == RPC_MESSAGE_TARGET_PROMISED_ANSWER) {
        call_pipelined(c, a, rpc_message_target_get_promised_answer(tg));
    } else {
        conn_protocol_error(c, "unknown MessageTarget kind");
        answer_free(a);
    }
}

void handle_bootstrap(struct rpc_conn *c, rpc_bootstrap_r b)
{
    struct rpc_incoming *a;
    uint32_t qid = rpc_bootstrap_get_question_id(b);
    if (!msg_check(c, c->cur) || !(a = answer_new(c, qid)))
        return;
    if (!c->bootstrap) {
        rpc_in_throw(a, RPC_EXC_FAILED, "no bootstrap capability");
        return;
    }
    struct capnp_ptr_builder pb = rpc_in_results(a);
    capnp_ptr_set_cap_index(&pb, rpc_in_result_cap(a, c->bootstrap));
    rpc_in_return(a);
}

void handle_finish(struct rpc_conn *c, rpc_finish_r f)
{
    uint32_t qid = rpc_finish_get_question_id(f);
    bool rel = rpc_finish_get_release_result_caps(f);
    struct rpc_incoming *a;
    if (!msg_check(c, c->cur))
        return;
    a = answer_find(c, qid);
    if (!a || a->finished) {
        conn_protocol_error(c, a ? "duplicate Finish"
                                 : "Finish for an unknown question");
        return;
    }
    a->finished = true;
    a->release_result_caps = rel;
    if (a->state == ANS_RETURNED) {
        release_results(c, a);
        answer_free(a);
    }
}

/* Connection ended: answers no handler owns are freed; running ones are
 * freed when their handler answers. */
void answers_teardown(struct rpc_conn *c)
{
    for (uint32_t i = 0; i < c->nanswers; i++)
        c->answers[i]->waiting = c->answers[i]->waiting_tail = NULL;
    while (c->nanswers > 0) {
        struct rpc_incoming *a = c->answers[c->nanswers - 1];
        if (a->state == ANS_RUNNING) {
            a->in_table = false;
            c->nanswers--;
        } else {
            answer_free(a);
        }
    }
    c->nqueued = 0;
}
