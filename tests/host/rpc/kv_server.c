/* SPDX-License-Identifier: MIT */
/*
 * kv_server.c - the KeyValue and Callback objects of the tests, written
 * against lib/rpc's call-handler table (rpc_object_ops).
 */
#include "kv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kv_obj {
    struct kv_store *st;
    char prefix[48];
};

#define PARAMS(T, in) ((T##_r){params_struct(in)})

static struct capnp_struct params_struct(struct rpc_incoming *in)
{
    struct capnp_ptr p = rpc_in_params(in);
    return capnp_ptr_read_struct(&p, NULL);
}

static struct capnp_struct_builder results_struct(struct rpc_incoming *in,
                                                  uint16_t dw, uint16_t pc)
{
    struct capnp_ptr_builder pb = rpc_in_results(in);
    return capnp_ptr_init_struct(&pb, dw, pc);
}

/* out = a + b[blen], truncated to cap - 1 bytes. */
static void cat2(char *out, size_t cap, const char *a, const char *b,
                 size_t blen)
{
    size_t n = strlen(a);
    if (n > cap - 1)
        n = cap - 1;
    memcpy(out, a, n);
    if (blen > cap - 1 - n)
        blen = cap - 1 - n;
    memcpy(out + n, b, blen);
    out[n + blen] = 0;
}

static void full_key(char *out, size_t cap, const struct kv_obj *o,
                     struct capnp_text key)
{
    cat2(out, cap, o->prefix, key.str, key.len);
}

static int find(const struct kv_store *st, const char *k)
{
    for (int i = 0; i < st->n; i++)
        if (!strcmp(st->keys[i], k))
            return i;
    return -1;
}

static void do_get(struct kv_obj *o, struct rpc_incoming *in)
{
    char k[48];
    full_key(k, sizeof k, o, kv_key_value_get_params_get_key(
                 PARAMS(kv_key_value_get_params, in)));
    int i = find(o->st, k);
    kv_key_value_get_results_b r = {results_struct(in,
        KV_KEY_VALUE_GET_RESULTS_DATA_WORDS, KV_KEY_VALUE_GET_RESULTS_PTR_COUNT)};
    if (i >= 0) {
        kv_key_value_get_results_set_value(r, o->st->vals[i],
                                           (uint32_t)strlen(o->st->vals[i]));
        kv_key_value_get_results_set_found(r, true);
    }
    rpc_in_return(in);
}

static void do_set(struct kv_obj *o, struct rpc_incoming *in)
{
    kv_key_value_set_params_r p = PARAMS(kv_key_value_set_params, in);
    struct capnp_text v = kv_key_value_set_params_get_value(p);
    char k[48];
    full_key(k, sizeof k, o, kv_key_value_set_params_get_key(p));
    int i = find(o->st, k);
    if (i < 0 && o->st->n == KV_MAX) {
        rpc_in_throw(in, RPC_EXC_OVERLOADED, "store full");
        return;
    }
    if (i < 0) {
        i = o->st->n++;
        cat2(o->st->keys[i], sizeof o->st->keys[i], k, "", 0);
    }
    snprintf(o->st->vals[i], sizeof o->st->vals[i], "%.*s", (int)v.len, v.str);
    rpc_in_return(in);
}

static void do_sub(struct kv_obj *o, struct rpc_incoming *in)
{
    struct capnp_text t = kv_key_value_sub_params_get_prefix(
        PARAMS(kv_key_value_sub_params, in));
    char pre[48];
    cat2(pre, sizeof pre, o->prefix, t.str, t.len);
    struct rpc_cap *cap = kv_new(o->st, pre);
    if (o->st->defer_sub && !o->st->pending) {
        o->st->pending = in;
        o->st->pending_cap = cap;
        return;
    }
    kv_key_value_sub_results_b r = {results_struct(in,
        KV_KEY_VALUE_SUB_RESULTS_DATA_WORDS, KV_KEY_VALUE_SUB_RESULTS_PTR_COUNT)};
    kv_key_value_sub_results_set_kv(r, rpc_in_result_cap(in, cap));
    rpc_cap_unref(cap);
    rpc_in_return(in);
}

void kv_finish_pending(struct kv_store *st)
{
    struct rpc_incoming *in = st->pending;
    struct rpc_cap *cap = st->pending_cap;
    if (!in)
        return;
    st->pending = NULL;
    st->pending_cap = NULL;
    kv_key_value_sub_results_b r = {results_struct(in,
        KV_KEY_VALUE_SUB_RESULTS_DATA_WORDS, KV_KEY_VALUE_SUB_RESULTS_PTR_COUNT)};
    kv_key_value_sub_results_set_kv(r, rpc_in_result_cap(in, cap));
    rpc_cap_unref(cap);
    rpc_in_return(in);
}

static void do_echo(struct rpc_incoming *in)
{
    uint32_t i = kv_key_value_echo_params_get_cap(
        PARAMS(kv_key_value_echo_params, in));
    struct rpc_cap *cap = rpc_in_param_cap(in, i);
    kv_key_value_echo_results_b r = {results_struct(in,
        KV_KEY_VALUE_ECHO_RESULTS_DATA_WORDS, KV_KEY_VALUE_ECHO_RESULTS_PTR_COUNT)};
    kv_key_value_echo_results_set_cap(r, rpc_in_result_cap(in, cap));
    rpc_in_return(in);
}

/* callBack: ping the client's Callback, answer when it answers. */
static void ping_done(void *ctx, const struct rpc_response *resp)
{
    struct rpc_incoming *in = ctx;
    if (!resp->ok) {
        rpc_in_throw(in, resp->type, "callback failed");
        return;
    }
    kv_callback_ping_results_r pr = {capnp_ptr_read_struct(&resp->content,
                                                           NULL)};
    kv_key_value_call_back_results_b r = {results_struct(in,
        KV_KEY_VALUE_CALL_BACK_RESULTS_DATA_WORDS,
        KV_KEY_VALUE_CALL_BACK_RESULTS_PTR_COUNT)};
    kv_key_value_call_back_results_set_r(r,
        kv_callback_ping_results_get_y(pr) + 1);
    rpc_in_return(in);
}

static void do_callback(struct rpc_incoming *in)
{
    kv_key_value_call_back_params_r p = PARAMS(kv_key_value_call_back_params, in);
    struct rpc_cap *cb = rpc_in_param_cap(in, kv_key_value_call_back_params_get_cb(p));
    struct rpc_call *call = rpc_call_new(cb, KV_CALLBACK_INTERFACE_ID,
                                         KV_CALLBACK_METHOD_PING);
    if (!call) {
        rpc_in_throw(in, RPC_EXC_FAILED, "no callback");
        return;
    }
    struct capnp_ptr_builder pb = rpc_call_params(call);
    kv_callback_ping_params_b pp = {capnp_ptr_init_struct(&pb,
        KV_CALLBACK_PING_PARAMS_DATA_WORDS, KV_CALLBACK_PING_PARAMS_PTR_COUNT)};
    kv_callback_ping_params_set_x(pp, kv_key_value_call_back_params_get_x(p));
    rpc_question_release(rpc_call_send(call, ping_done, in));
}

static void do_fail(struct rpc_incoming *in)
{
    struct capnp_text t = kv_key_value_fail_params_get_reason(
        PARAMS(kv_key_value_fail_params, in));
    char why[64];
    snprintf(why, sizeof why, "%.*s", (int)t.len, t.str);
    rpc_in_throw(in, RPC_EXC_FAILED, why);
}

static void kv_call(void *obj, struct rpc_incoming *in)
{
    struct kv_obj *o = obj;
    if (rpc_in_interface(in) != KV_KEY_VALUE_INTERFACE_ID) {
        rpc_in_throw(in, RPC_EXC_UNIMPLEMENTED, "unknown interface");
        return;
    }
    switch (rpc_in_method(in)) {
    case KV_KEY_VALUE_METHOD_GET: do_get(o, in); break;
    case KV_KEY_VALUE_METHOD_SET: do_set(o, in); break;
    case KV_KEY_VALUE_METHOD_SUB: do_sub(o, in); break;
    case KV_KEY_VALUE_METHOD_ECHO: do_echo(in); break;
    case KV_KEY_VALUE_METHOD_CALL_BACK: do_callback(in); break;
    case KV_KEY_VALUE_METHOD_FAIL: do_fail(in); break;
    default: rpc_in_throw(in, RPC_EXC_UNIMPLEMENTED, "unknown method"); break;
    }
}

static void kv_drop(void *obj)
{
    struct kv_obj *o = obj;
    o->st->objects--;
    free(o);
}

static const struct rpc_object_ops kv_ops = {kv_call, kv_drop};

struct rpc_cap *kv_new(struct kv_store *st, const char *prefix)
{
    struct kv_obj *o = calloc(1, sizeof *o);
    o->st = st;
    cat2(o->prefix, sizeof o->prefix, prefix, "", 0);
    struct rpc_cap *cap = rpc_cap_local(st->vat, &kv_ops, o);
    if (cap)
        st->objects++;
    else
        free(o);
    return cap;
}

struct cb_obj {
    int *calls;
};

static void cb_call(void *obj, struct rpc_incoming *in)
{
    struct cb_obj *o = obj;
    kv_callback_ping_params_r p = PARAMS(kv_callback_ping_params, in);
    kv_callback_ping_results_b r = {results_struct(in,
        KV_CALLBACK_PING_RESULTS_DATA_WORDS, KV_CALLBACK_PING_RESULTS_PTR_COUNT)};
    (*o->calls)++;
    kv_callback_ping_results_set_y(r, kv_callback_ping_params_get_x(p) * 2);
    rpc_in_return(in);
}

static void cb_drop(void *obj)
{
    free(obj);
}

static const struct rpc_object_ops cb_ops = {cb_call, cb_drop};

struct rpc_cap *kv_callback_new(struct rpc_vat *v, int *calls)
{
    struct cb_obj *o = calloc(1, sizeof *o);
    o->calls = calls;
    struct rpc_cap *cap = rpc_cap_local(v, &cb_ops, o);
    if (!cap)
        free(o);
    return cap;
}
