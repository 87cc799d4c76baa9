/* SPDX-License-Identifier: MIT */
/*
 * disembargo.c - the two messages of promise resolution that a level-1
 * peer sends us: Resolve (of a promise it exported to us) and Disembargo
 * (senderLoopback, when its promise on our answer resolved to one of its
 * own caps).
 *
 * Resolve is handled simply: we keep calling the promise's export id (the
 * peer forwards those calls), so the resolution's cap reference is taken
 * and dropped at once (an import gets its Release).  A senderLoopback
 * Disembargo is echoed at once as receiverLoopback: calls we forwarded to
 * that cap are already on the stream ahead of it, which is the ordering
 * the embargo waits for.  We never send Resolve or senderLoopback
 * ourselves (docs/network.md).
 */
#include "internal.h"

void handle_resolve(struct rpc_conn *c, rpc_resolve_r r)
{
    bool ok = true;
    bool is_cap = rpc_resolve_which(r) == RPC_RESOLVE_CAP;
    rpc_cap_descriptor_r d = rpc_resolve_get_cap(r);
    if (!msg_check(c, c->cur) || !is_cap)
        return;
    rpc_cap_unref(cap_read(c, d, &ok));
}

/* The cap a Disembargo target names (new reference) or NULL after a
 * protocol error. */
static struct rpc_cap *target_cap(struct rpc_conn *c, rpc_message_target_r tg)
{
    const char *why = NULL;
    if (rpc_message_target_which(tg) == RPC_MESSAGE_TARGET_IMPORTED_CAP) {
        uint32_t id = rpc_message_target_get_imported_cap(tg);
        if (id < c->lim.max_exports && c->exports[id].cap)
            return rpc_cap_ref(c->exports[id].cap);
    } else if (rpc_message_target_which(tg) ==
               RPC_MESSAGE_TARGET_PROMISED_ANSWER) {
        rpc_promised_answer_r pa =
            rpc_message_target_get_promised_answer(tg);
        struct rpc_incoming *a =
            answer_find(c, rpc_promised_answer_get_question_id(pa));
        if (a && a->state == ANS_RETURNED)
            return answer_resolve(a, pa, &why);
    }
    conn_protocol_error(c, "Disembargo target names nothing resolved");
    return NULL;
}

static void loopback(struct rpc_conn *c, rpc_message_target_r tg, uint32_t eid)
{
    struct rpc_cap *cap = target_cap(c, tg);
    struct rpc_out *o;
    if (!cap)
        return;
    if (!rpc_cap_is_remote(cap, c)) {
        conn_protocol_error(c, "Disembargo target is not the sender's");
        rpc_cap_unref(cap);
        return;
    }
    o = out_new_small(c);
    if (o) {
        rpc_disembargo_b d = rpc_message_init_disembargo(out_root(o));
        rpc_message_target_b mt = rpc_disembargo_init_target(d);
        if (cap->kind == CAP_IMPORT)
            rpc_message_target_set_imported_cap(mt, cap->u.imp.id);
        else
            promised_answer_write(
                rpc_message_target_init_promised_answer(mt), cap);
        rpc_disembargo_context_set_receiver_loopback(
            rpc_disembargo_init_context(d), eid);
        out_send(c, o);
        out_free(c, o);
    } else {
        conn_fail(c, RPC_E_NOMEM, "out of memory for a message");
    }
    rpc_cap_unref(cap);
}

void handle_disembargo(struct rpc_conn *c, struct rpc_inmsg *m,
                       rpc_disembargo_r d)
{
    rpc_disembargo_context_r ctx = rpc_disembargo_get_context(d);
    rpc_disembargo_context_which_t w = rpc_disembargo_context_which(ctx);
    uint32_t eid = rpc_disembargo_context_get_sender_loopback(ctx);
    if (!msg_check(c, &m->msg))
        return;
    if (w == RPC_DISEMBARGO_CONTEXT_SENDER_LOOPBACK)
        loopback(c, rpc_disembargo_get_target(d), eid);
    else if (w == RPC_DISEMBARGO_CONTEXT_RECEIVER_LOOPBACK)
        conn_protocol_error(c, "receiverLoopback we never asked for");
    else
        send_unimplemented(c, m);    /* accept / provide: level 3 */
}
