/* SPDX-License-Identifier: MIT */
/*
 * incoming.c - the server side of one call (struct rpc_incoming): params,
 * results, Return with results or an exception, and forwarding to a cap
 * hosted elsewhere (a peer's cap reflected back, or another connection).
 *
 * The results are built in the answer's own Return message (out), created
 * on first use.  Return always says releaseParamCaps = false: the params'
 * caps are imports released by Release when their last reference goes.
 * After the connection ended, answering only frees the call.
 */
#include "internal.h"

uint64_t rpc_in_interface(const struct rpc_incoming *in)
{
    return in->iface;
}

uint16_t rpc_in_method(const struct rpc_incoming *in)
{
    return in->method;
}

struct capnp_ptr rpc_in_params(const struct rpc_incoming *in)
{
    return in->params;
}

struct rpc_cap *rpc_in_param_cap(const struct rpc_incoming *in, uint32_t index)
{
    return index < in->npcaps ? in->pcaps[index] : NULL;
}

/* Create in's Return message (false when out of memory or closed). */
static bool ret_start(struct rpc_incoming *in, bool results)
{
    struct rpc_conn *c = in->conn;
    if (in->out)
        return true;
    if (c->broken || !(in->out = out_new(c)))
        return false;
    rpc_return_b ret = rpc_message_init_return(out_root(in->out));
    rpc_return_set_answer_id(ret, in->id);
    rpc_return_set_release_param_caps(ret, false);
    if (results) {
        in->results = rpc_return_init_results(ret);
    } else {
        rpc_exception_b e = rpc_return_init_exception(ret);
        rpc_exception_set_type(e, (rpc_exception_type_t)in->etype);
        rpc_exception_set_reason(e, in->reason, rpc_strlen(in->reason));
    }
    return true;
}

struct capnp_ptr_builder rpc_in_results(struct rpc_incoming *in)
{
    if (in->state != ANS_RUNNING || !ret_start(in, true))
        return (struct capnp_ptr_builder){0};
    return rpc_payload_slot_content(in->results);
}

uint32_t rpc_in_result_cap(struct rpc_incoming *in, struct rpc_cap *cap)
{
    if (in->state != ANS_RUNNING || !ret_start(in, true))
        return CAPNP_CAP_NULL;
    return out_add_cap(in->out, cap);
}

void rpc_in_return(struct rpc_incoming *in)
{
    struct rpc_conn *c = in->conn;
    if (in->state != ANS_RUNNING)
        return;
    if (!c->broken && !ret_start(in, true)) {
        rpc_in_throw(in, RPC_EXC_FAILED, "out of memory for the results");
        return;
    }
    if (!c->broken) {
        out_write_caps(c, in->out, in->results);
        if (!out_send(c, in->out) && !c->broken) {
            const char *why = in->out->fail;
            rpc_in_throw(in, RPC_EXC_FAILED, why);
            return;
        }
    }
    answer_returned(in);
}

void rpc_in_throw(struct rpc_incoming *in, enum rpc_exc type,
                  const char *reason)
{
    struct rpc_conn *c = in->conn;
    if (in->state != ANS_RUNNING)
        return;
    out_free(c, in->out);
    in->out = NULL;
    in->exception = true;
    in->etype = type;
    rpc_strcpy(in->reason, reason, sizeof in->reason);
    if (ret_start(in, false)) {
        out_send(c, in->out);
        out_free(c, in->out);
        in->out = NULL;
    }
    answer_returned(in);
}

static void forward_done(void *ctx, const struct rpc_response *r)
{
    struct rpc_incoming *in = ctx;
    if (r->ok) {
        struct capnp_ptr_builder pb = rpc_in_results(in);
        capnp_ptr_copy(&pb, &r->content);
        for (uint32_t i = 0; i < r->ncaps; i++)
            rpc_in_result_cap(in, r->caps[i]);
        rpc_in_return(in);
    } else {
        char why[RPC_REASON_MAX];
        uint32_t n = r->reason.len < sizeof why - 1 ? r->reason.len
                                                     : sizeof why - 1;
        __builtin_memcpy(why, r->reason.str, n);
        why[n] = 0;
        rpc_in_throw(in, r->type, why);
    }
}

void rpc_in_forward(struct rpc_incoming *in, struct rpc_cap *target)
{
    struct rpc_call *call = rpc_call_new(target, in->iface, in->method);
    if (!call) {
        rpc_in_throw(in, RPC_EXC_FAILED, "out of memory to forward a call");
        return;
    }
    struct capnp_ptr_builder pb = rpc_call_params(call);
    capnp_ptr_copy(&pb, &in->params);
    for (uint32_t i = 0; i < in->npcaps; i++)
        rpc_call_cap(call, in->pcaps[i]);
    rpc_question_release(rpc_call_send(call, forward_done, in));
}
