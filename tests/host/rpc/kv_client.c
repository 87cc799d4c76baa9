/* SPDX-License-Identifier: MIT */
/*
 * kv_client.c - KeyValue calls over lib/rpc for the tests: each helper
 * builds the params with the generated accessors, sends, and records the
 * response in a struct kv_rec.
 */
#include "kv.h"

#include <stdio.h>
#include <string.h>

/* rec + the method it is for. */
struct pending {
    struct kv_rec *rec;
    uint16_t method;
};

static void record(struct kv_rec *rec, uint16_t method,
                   const struct rpc_response *r)
{
    struct capnp_struct s = capnp_ptr_read_struct(&r->content, NULL);
    uint32_t ci = CAPNP_CAP_NULL;
    rec->got++;
    rec->ok = r->ok;
    rec->type = r->type;
    snprintf(rec->reason, sizeof rec->reason, "%.*s", (int)r->reason.len,
             r->reason.str ? r->reason.str : "");
    if (!r->ok)
        return;
    switch (method) {
    case KV_KEY_VALUE_METHOD_GET: {
        kv_key_value_get_results_r g = {s};
        struct capnp_text t = kv_key_value_get_results_get_value(g);
        snprintf(rec->text, sizeof rec->text, "%.*s", (int)t.len, t.str);
        rec->found = kv_key_value_get_results_get_found(g);
        break;
    }
    case KV_KEY_VALUE_METHOD_SUB:
        ci = kv_key_value_sub_results_get_kv((kv_key_value_sub_results_r){s});
        break;
    case KV_KEY_VALUE_METHOD_ECHO:
        ci = kv_key_value_echo_results_get_cap((kv_key_value_echo_results_r){s});
        break;
    case KV_KEY_VALUE_METHOD_CALL_BACK:
        rec->u32 = kv_key_value_call_back_results_get_r(
            (kv_key_value_call_back_results_r){s});
        break;
    }
    if (ci != CAPNP_CAP_NULL && ci < r->ncaps)
        rec->cap = rpc_cap_ref(r->caps[ci]);
}

static void on_done(void *ctx, const struct rpc_response *r)
{
    struct pending *p = ctx;
    record(p->rec, p->method, r);
}

/* One pending record per method, enough for the tests' sequential use. */
static struct pending slots[64];
static unsigned next_slot;

/* Send; with `release`, the question handle is dropped at once. */
static struct rpc_question *send(struct rpc_call *call, uint16_t method,
                                 struct kv_rec *rec, bool release)
{
    struct pending *p = &slots[next_slot++ % 64];
    p->rec = rec;
    p->method = method;
    memset(rec, 0, sizeof *rec);
    struct rpc_question *q = rpc_call_send(call, on_done, p);
    if (release) {
        rpc_question_release(q);
        return NULL;
    }
    return q;
}

#define START(T, U, kv, M, pb, v)                                           \
    struct rpc_call *call = rpc_call_new(kv, KV_KEY_VALUE_INTERFACE_ID, M); \
    struct capnp_ptr_builder pb = rpc_call_params(call);                    \
    T##_b v = {capnp_ptr_init_struct(&pb, U##_DATA_WORDS, U##_PTR_COUNT)}

void kv_get(struct rpc_cap *kv, const char *key, struct kv_rec *rec)
{
    START(kv_key_value_get_params, KV_KEY_VALUE_GET_PARAMS, kv, KV_KEY_VALUE_METHOD_GET, pb, p);
    kv_key_value_get_params_set_key(p, key, (uint32_t)strlen(key));
    send(call, KV_KEY_VALUE_METHOD_GET, rec, true);
}

void kv_set(struct rpc_cap *kv, const char *key, const char *val,
            struct kv_rec *rec)
{
    START(kv_key_value_set_params, KV_KEY_VALUE_SET_PARAMS, kv, KV_KEY_VALUE_METHOD_SET, pb, p);
    kv_key_value_set_params_set_key(p, key, (uint32_t)strlen(key));
    kv_key_value_set_params_set_value(p, val, (uint32_t)strlen(val));
    send(call, KV_KEY_VALUE_METHOD_SET, rec, true);
}

struct rpc_question *kv_sub(struct rpc_cap *kv, const char *prefix,
                            struct kv_rec *rec)
{
    START(kv_key_value_sub_params, KV_KEY_VALUE_SUB_PARAMS, kv, KV_KEY_VALUE_METHOD_SUB, pb, p);
    kv_key_value_sub_params_set_prefix(p, prefix, (uint32_t)strlen(prefix));
    return send(call, KV_KEY_VALUE_METHOD_SUB, rec, false);
}

void kv_echo(struct rpc_cap *kv, struct rpc_cap *cap, struct kv_rec *rec)
{
    START(kv_key_value_echo_params, KV_KEY_VALUE_ECHO_PARAMS, kv, KV_KEY_VALUE_METHOD_ECHO, pb, p);
    kv_key_value_echo_params_set_cap(p, rpc_call_cap(call, cap));
    send(call, KV_KEY_VALUE_METHOD_ECHO, rec, true);
}

void kv_callback(struct rpc_cap *kv, struct rpc_cap *cb, uint32_t x,
                 struct kv_rec *rec)
{
    START(kv_key_value_call_back_params, KV_KEY_VALUE_CALL_BACK_PARAMS, kv, KV_KEY_VALUE_METHOD_CALL_BACK,
          pb, p);
    kv_key_value_call_back_params_set_cb(p, rpc_call_cap(call, cb));
    kv_key_value_call_back_params_set_x(p, x);
    send(call, KV_KEY_VALUE_METHOD_CALL_BACK, rec, true);
}

void kv_fail(struct rpc_cap *kv, const char *reason, struct kv_rec *rec)
{
    START(kv_key_value_fail_params, KV_KEY_VALUE_FAIL_PARAMS, kv, KV_KEY_VALUE_METHOD_FAIL, pb, p);
    kv_key_value_fail_params_set_reason(p, reason, (uint32_t)strlen(reason));
    send(call, KV_KEY_VALUE_METHOD_FAIL, rec, true);
}
