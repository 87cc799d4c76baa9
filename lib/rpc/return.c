/* SPDX-License-Identifier: MIT */
/*
 * return.c - the peer's answers to our questions (Return), and failing
 * every waiting question when the connection ends.
 *
 * Return is decoded completely (results caps become imports) before the
 * question changes state; a Return for an unknown or already answered
 * question, or of a kind we never asked for (resultsSentElsewhere,
 * takeFromOtherQuestion, acceptFromThirdParty), is a protocol error.
 */
#include "internal.h"

/* Return.releaseParamCaps: the callee gives back the params' exports. */
static bool release_params(struct rpc_conn *c, struct question *q)
{
    for (uint32_t i = 0; i < q->nparam_exports; i++) {
        uint32_t id = q->param_exports[i];
        if (!c->exports[id].cap || c->exports[id].refs == 0) {
            conn_protocol_error(c, "releaseParamCaps of released caps");
            return false;
        }
        exports_release(c, id, 1);
    }
    return true;
}

/* Run q's callback (unless canceled) with r; drop the caller's reference
 * if it released q, then the guard. */
static void question_answered(struct question *q, const struct rpc_response *r)
{
    q->returned = true;
    q->refs++;
    if (!q->canceled && q->done)
        q->done(q->ctx, r);
    if (q->released)
        question_drop_caller(q);
    question_unref(q);
}

static enum rpc_exc exc_type(rpc_exception_r e)
{
    uint16_t t = (uint16_t)rpc_exception_get_type(e);
    return t <= RPC_EXC_UNIMPLEMENTED ? (enum rpc_exc)t : RPC_EXC_FAILED;
}

void handle_return(struct rpc_conn *c, struct rpc_inmsg *m, rpc_return_r r)
{
    uint32_t id = rpc_return_get_answer_id(r), ncaps = 0;
    rpc_return_which_t which = rpc_return_which(r);
    bool rel = rpc_return_get_release_param_caps(r);
    struct question *q = id < c->lim.max_questions ? c->questions[id] : NULL;
    struct rpc_response resp = {.ok = false, .type = RPC_EXC_FAILED};
    struct rpc_cap **caps = NULL;
    if (!msg_check(c, &m->msg))
        return;
    if (!q || q->returned) {
        conn_protocol_error(c, "Return for an unknown question");
        return;
    }
    if (which == RPC_RETURN_RESULTS) {
        rpc_payload_r p = rpc_return_get_results(r);
        if (!q->finish_sent && !caps_read(c, p, &caps, &ncaps))
            return;
        m->msg.cap_count = ncaps;
        resp.ok = true;
        resp.content = rpc_payload_get_content(p);
        resp.caps = caps;
        resp.ncaps = ncaps;
    } else if (which == RPC_RETURN_EXCEPTION) {
        resp.type = exc_type(rpc_return_get_exception(r));
        resp.reason = rpc_exception_get_reason(rpc_return_get_exception(r));
    } else if (which == RPC_RETURN_CANCELED) {
        resp.reason = (struct capnp_text){"canceled", 8};
    } else {
        conn_protocol_error(c, "Return of a kind never requested");
        return;
    }
    if (!msg_check(c, &m->msg) || (rel && !release_params(c, q))) {
        caps_free(c->vat, caps, ncaps);
        return;
    }
    question_answered(q, &resp);
    caps_free(c->vat, caps, ncaps);
}

/* Connection ended: every unanswered question fails DISCONNECTED. */
void questions_teardown(struct rpc_conn *c)
{
    char why[RPC_REASON_MAX] = "disconnected: ";
    rpc_strcpy(why + 14, c->reason, sizeof why - 14);
    struct rpc_response r = {.ok = false, .type = RPC_EXC_DISCONNECTED,
                             .reason = {why, rpc_strlen(why)}};
    for (uint32_t i = 0; i < c->lim.max_questions; i++) {
        struct question *q = c->questions[i];
        if (!q)
            continue;
        c->questions[i] = NULL;
        c->nquestions--;
        q->in_table = false;
        q->finish_sent = true;
        if (!q->returned)
            question_answered(q, &r);
    }
}
