/* SPDX-License-Identifier: MIT */
/*
 * kv.h - a KeyValue server and client helpers on lib/rpc, shared by the
 * in-process tests and the interop test against the C++ library.
 */
#pragma once

#include <rpc/rpc.h>

#include "kv.capnp.h"

#define KV_MAX 16

/* The data behind every KeyValue object of one server. */
struct kv_store {
    struct rpc_vat *vat;
    char keys[KV_MAX][48], vals[KV_MAX][64];
    int n;
    int objects;                     /* live KeyValue objects */
    bool defer_sub;                  /* hold sub() answers in `pending` */
    struct rpc_incoming *pending;
    struct rpc_cap *pending_cap;
};

/* A new KeyValue object over st with key prefix `prefix`. */
struct rpc_cap *kv_new(struct kv_store *st, const char *prefix);
/* Answer the held sub() call (defer_sub). */
void kv_finish_pending(struct kv_store *st);
/* A Callback object answering ping(x) with x * 2; *calls counts pings. */
struct rpc_cap *kv_callback_new(struct rpc_vat *v, int *calls);

/* What a call returned, copied out of the response. */
struct kv_rec {
    int got;
    bool ok;
    enum rpc_exc type;
    char reason[128];
    char text[64];
    bool found;
    uint32_t u32;
    struct rpc_cap *cap;             /* a reference, if the results had one */
};

/* Calls; the answer lands in *rec (rec->got counts answers). */
void kv_get(struct rpc_cap *kv, const char *key, struct kv_rec *rec);
void kv_set(struct rpc_cap *kv, const char *key, const char *val,
            struct kv_rec *rec);
/* sub(): returns the question (for pipelining); release it yourself. */
struct rpc_question *kv_sub(struct rpc_cap *kv, const char *prefix,
                            struct kv_rec *rec);
void kv_echo(struct rpc_cap *kv, struct rpc_cap *cap, struct kv_rec *rec);
void kv_callback(struct rpc_cap *kv, struct rpc_cap *cb, uint32_t x,
                 struct kv_rec *rec);
void kv_fail(struct rpc_cap *kv, const char *reason, struct kv_rec *rec);
