/* SPDX-License-Identifier: MIT */
/*
 * conn_test.c - two lib/rpc connections talking through memory pipes:
 * bootstrap, calls, pipelining (queued until the answer), capabilities in
 * both directions, exceptions, Finish/Release bookkeeping and disconnect.
 * Every test ends with every table empty and zero live allocations.
 */
#include "pair.h"

#include <string.h>

static const uint16_t field0[] = {0};

TEST(rpc_bootstrap_get_set)
{
    struct pair p;
    struct kv_rec r1, r2, r3;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_set(kv, "k", "v", &r1);       /* pipelined on the bootstrap */
    kv_get(kv, "k", &r2);
    kv_get(kv, "nope", &r3);
    EXPECT_EQ(r1.got, 0);
    pair_flush(&p);
    EXPECT_EQ(r1.got, 1);
    EXPECT_TRUE(r1.ok);
    EXPECT_EQ(r2.got, 1);
    EXPECT_TRUE(r2.found);
    EXPECT_TRUE(!strcmp(r2.text, "v"));
    EXPECT_TRUE(r3.ok && !r3.found);
    EXPECT_EQ(rpc_conn_stats(p.a).questions, 1);   /* the bootstrap */
    EXPECT_EQ(rpc_conn_stats(p.b).answers, 1);
    rpc_cap_unref(kv);                            /* Finish */
    pair_flush(&p);
    EXPECT_EQ(rpc_conn_stats(p.a).questions, 0);
    EXPECT_EQ(rpc_conn_stats(p.a).imports, 0);
    EXPECT_EQ(rpc_conn_stats(p.b).answers, 0);
    EXPECT_EQ(rpc_conn_stats(p.b).exports, 0);
    EXPECT_EQ(rpc_conn_status(p.a), RPC_E_OK);
    EXPECT_EQ(rpc_conn_status(p.b), RPC_E_OK);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_pump_reads_transport)
{
    struct pair p;
    struct kv_rec r;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_set(kv, "a", "1", &r);
    struct pipe in = {0};
    pipe_take(&p.ab, &in);
    /* B reads A's bytes one pump at a time through its read callback. */
    struct pipe outp = {.rd = &in};
    struct rpc_transport tr = test_pipe_transport;
    tr.ctx = &outp;
    struct rpc_conn *b2 = rpc_conn_new(&p.vb, &tr, NULL, p.root);
    for (int i = 0; i < 100 && in.len; i++)
        EXPECT_EQ(rpc_conn_pump(b2), RPC_E_OK);
    EXPECT_EQ(p.st.n, 1);
    in.eof = true;
    EXPECT_EQ(rpc_conn_pump(b2), RPC_E_DISCONNECTED);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(b2), "peer closed the connection"));
    rpc_conn_free(b2);
    pipe_free(&in);
    pipe_free(&outp);
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_framing_split_bytes)
{
    struct pair p;
    struct kv_rec r;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_set(kv, "split", "yes", &r);
    struct pipe in = {0};
    pipe_take(&p.ab, &in);
    for (size_t i = 0; i < in.len; i++)          /* one byte at a time */
        EXPECT_EQ(rpc_conn_feed(p.b, in.buf + i, 1), RPC_E_OK);
    pipe_free(&in);
    pair_flush(&p);
    EXPECT_TRUE(r.got == 1 && r.ok);
    EXPECT_TRUE(!strcmp(p.st.keys[0], "split"));
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_pipelining_queued_until_answer)
{
    struct pair p;
    struct kv_rec rs, r1, r2, r3;
    pair_init(&p, NULL);
    p.st.defer_sub = true;
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    struct rpc_question *q = kv_sub(kv, "p/", &rs);
    struct rpc_cap *sub = rpc_question_pipeline(q, field0, 1);
    kv_set(sub, "x", "1", &r1);                   /* on the promise */
    kv_get(sub, "x", &r2);
    pair_flush(&p);
    EXPECT_EQ(rs.got + r1.got + r2.got, 0);
    EXPECT_EQ(rpc_conn_stats(p.b).queued, 2);     /* waiting for sub() */
    kv_finish_pending(&p.st);
    pair_flush(&p);
    EXPECT_EQ(rpc_conn_stats(p.b).queued, 0);
    EXPECT_TRUE(rs.got == 1 && rs.ok && rs.cap);
    EXPECT_TRUE(r1.got == 1 && r1.ok);
    EXPECT_TRUE(r2.got == 1 && r2.found && !strcmp(r2.text, "1"));
    kv_get(kv, "p/x", &r3);                       /* prefix applied */
    pair_flush(&p);
    EXPECT_TRUE(!strcmp(r3.text, "1"));
    /* After Return the promise still works (promisedAnswer until Finish). */
    kv_get(sub, "x", &r3);
    pair_flush(&p);
    EXPECT_TRUE(r3.ok && !strcmp(r3.text, "1"));
    rpc_question_release(q);
    rpc_cap_unref(sub);
    rpc_cap_unref(rs.cap);
    rpc_cap_unref(kv);
    pair_flush(&p);
    struct rpc_conn_stats sa = rpc_conn_stats(p.a), sb = rpc_conn_stats(p.b);
    EXPECT_EQ(sa.questions + sa.imports + sa.exports, 0);
    EXPECT_EQ(sb.answers + sb.exports + sb.imports, 0);
    EXPECT_EQ(p.st.objects, 1);                   /* only the root */
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_caps_both_directions)
{
    struct pair p;
    struct kv_rec r, rs;
    int pings = 0;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    struct rpc_cap *cb = kv_callback_new(&p.va, &pings);
    /* A's object called by B from inside B's handler. */
    kv_callback(kv, cb, 21, &r);
    pair_flush(&p);
    EXPECT_TRUE(r.got == 1 && r.ok);
    EXPECT_EQ(r.u32, 43);
    EXPECT_EQ(pings, 1);
    EXPECT_EQ(rpc_conn_stats(p.a).exports, 0);    /* B released it */
    /* A's cap sent and returned: receiverHosted gives the same cap. */
    kv_echo(kv, cb, &r);
    pair_flush(&p);
    EXPECT_TRUE(r.ok && r.cap == cb);
    rpc_cap_unref(r.cap);
    /* B's cap sent back to B and returned: the same import. */
    struct rpc_question *q = kv_sub(kv, "s/", &rs);
    pair_flush(&p);
    ASSERT_TRUE(rs.cap != NULL);
    EXPECT_TRUE(rpc_cap_is_remote(rs.cap, p.a));
    kv_echo(kv, rs.cap, &r);
    pair_flush(&p);
    EXPECT_TRUE(r.ok && r.cap == rs.cap);
    rpc_cap_unref(r.cap);
    /* A promise sent back (receiverAnswer) resolves at B. */
    struct rpc_cap *prom = rpc_question_pipeline(q, field0, 1);
    kv_echo(kv, prom, &r);
    pair_flush(&p);
    EXPECT_TRUE(r.ok && r.cap == rs.cap);
    rpc_cap_unref(r.cap);
    rpc_cap_unref(prom);
    rpc_question_release(q);
    rpc_cap_unref(rs.cap);
    rpc_cap_unref(cb);
    rpc_cap_unref(kv);
    pair_flush(&p);
    EXPECT_EQ(rpc_conn_stats(p.a).imports + rpc_conn_stats(p.a).exports, 0);
    EXPECT_EQ(rpc_conn_stats(p.b).imports + rpc_conn_stats(p.b).exports, 0);
    EXPECT_EQ(p.st.objects, 1);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_exceptions)
{
    struct pair p;
    struct kv_rec r, r2;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_fail(kv, "boom", &r);
    pair_flush(&p);
    EXPECT_TRUE(r.got == 1 && !r.ok);
    EXPECT_EQ(r.type, RPC_EXC_FAILED);
    EXPECT_TRUE(!strcmp(r.reason, "boom"));
    /* unknown method -> unimplemented */
    struct rpc_call *call = rpc_call_new(kv, KV_KEY_VALUE_INTERFACE_ID, 77);
    struct kv_rec *rp = &r2;
    memset(rp, 0, sizeof *rp);
    kv_get(kv, "x", &r);                          /* ordering check */
    rpc_question_release(rpc_call_send(call, NULL, NULL));
    pair_flush(&p);
    EXPECT_TRUE(r.ok);
    /* pipelined call on an answer that failed gets its exception */
    struct rpc_call *fc = rpc_call_new(kv, KV_KEY_VALUE_INTERFACE_ID,
                                       KV_KEY_VALUE_METHOD_FAIL);
    struct capnp_ptr_builder pb = rpc_call_params(fc);
    kv_key_value_fail_params_b fp = {capnp_ptr_init_struct(&pb, 0, 1)};
    kv_key_value_fail_params_set_reason(fp, "first", 5);
    struct rpc_question *q = rpc_call_send(fc, NULL, NULL);
    struct rpc_cap *prom = rpc_question_pipeline(q, field0, 1);
    kv_get(prom, "x", &r2);
    pair_flush(&p);
    EXPECT_TRUE(r2.got == 1 && !r2.ok);
    EXPECT_EQ(r2.type, RPC_EXC_FAILED);
    EXPECT_TRUE(!strcmp(r2.reason, "first"));
    /* a local cap and a broken cap fail at once */
    struct rpc_cap *cb = kv_callback_new(&p.va, &(int){0});
    kv_get(cb, "x", &r);
    EXPECT_TRUE(r.got == 1 && !r.ok);
    rpc_cap_unref(cb);
    rpc_cap_unref(prom);
    rpc_question_release(q);
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_disconnect_fails_questions_releases_exports)
{
    struct pair p;
    struct kv_rec rs, rc, rg;
    int pings = 0;
    pair_init(&p, NULL);
    p.st.defer_sub = true;
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    struct rpc_cap *cb = kv_callback_new(&p.va, &pings);
    struct rpc_question *q = kv_sub(kv, "d/", &rs);  /* held by B */
    struct rpc_cap *prom = rpc_question_pipeline(q, field0, 1);
    kv_echo(prom, cb, &rg);           /* queued at B, holding A's cap */
    kv_echo(kv, cb, &rc);
    rpc_cap_unref(cb);
    pair_flush(&p);
    p.st.defer_sub = false;
    EXPECT_TRUE(rc.ok && rc.cap == cb);
    EXPECT_EQ(rpc_conn_stats(p.a).exports, 1);
    EXPECT_EQ(rpc_conn_stats(p.b).queued, 1);
    /* B's end goes away: A reads end of stream. */
    p.ba.eof = true;
    rpc_conn_free(p.b);
    p.b = NULL;
    EXPECT_EQ(rpc_conn_pump(p.a), RPC_E_DISCONNECTED);
    EXPECT_TRUE(rs.got == 1 && !rs.ok && rg.got == 1 && !rg.ok);
    EXPECT_EQ(rs.type, RPC_EXC_DISCONNECTED);
    EXPECT_EQ(rg.type, RPC_EXC_DISCONNECTED);
    EXPECT_EQ(rpc_conn_stats(p.a).exports, 0);
    EXPECT_EQ(rpc_conn_stats(p.a).questions, 0);
    /* Calls on caps of the dead connection fail at once. */
    struct kv_rec r;
    kv_get(kv, "x", &r);
    EXPECT_TRUE(r.got == 1 && !r.ok && r.type == RPC_EXC_DISCONNECTED);
    /* B's handler answers after the end: nothing is sent, all is freed. */
    kv_finish_pending(&p.st);
    rpc_cap_unref(rc.cap);
    rpc_cap_unref(prom);
    rpc_question_release(q);
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
    EXPECT_EQ(p.va.live, 0);
    EXPECT_EQ(p.vb.live, 0);
}

TEST(rpc_write_failure_ends_connection)
{
    struct pair p;
    struct kv_rec r;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    pair_flush(&p);
    p.ab.fail_write = true;
    kv_get(kv, "x", &r);
    EXPECT_TRUE(r.got == 1 && !r.ok);
    EXPECT_EQ(r.type, RPC_EXC_DISCONNECTED);
    EXPECT_EQ(rpc_conn_status(p.a), RPC_E_TRANSPORT);
    EXPECT_EQ(rpc_conn_pump(p.a), RPC_E_TRANSPORT);
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_cancel_before_return)
{
    struct pair p;
    struct kv_rec rs;
    pair_init(&p, NULL);
    p.st.defer_sub = true;
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    struct rpc_question *q = kv_sub(kv, "c/", &rs);
    pair_flush(&p);
    rpc_question_cancel(q);                       /* Finish before Return */
    pair_flush(&p);
    kv_finish_pending(&p.st);                     /* Return after Finish */
    pair_flush(&p);
    EXPECT_EQ(rs.got, 0);                         /* canceled: no callback */
    EXPECT_EQ(rpc_conn_stats(p.a).questions, 1);  /* the bootstrap only */
    EXPECT_EQ(rpc_conn_stats(p.a).imports, 0);    /* result caps ignored */
    EXPECT_EQ(rpc_conn_stats(p.b).answers, 1);   /* the bootstrap */
    EXPECT_EQ(rpc_conn_stats(p.b).exports, 0);   /* released by Finish */
    EXPECT_EQ(p.st.objects, 1);
    rpc_cap_unref(kv);
    pair_flush(&p);
    EXPECT_EQ(rpc_conn_stats(p.b).exports, 0);
    EXPECT_EQ(p.st.objects, 1);
    EXPECT_TRUE(pair_free(&p));
}

TEST(rpc_limits_questions)
{
    struct pair p;
    struct rpc_limits lim = {.max_questions = 2};
    struct kv_rec r1, r2;
    pair_init(&p, &lim);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_get(kv, "a", &r1);
    kv_get(kv, "b", &r2);                         /* third question */
    EXPECT_TRUE(r2.got == 1 && !r2.ok && r2.type == RPC_EXC_OVERLOADED);
    pair_flush(&p);
    EXPECT_TRUE(r1.got == 1 && r1.ok);
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}

/* A local object that forwards every call to another connection's cap
 * (the gateway pattern). */
static void proxy_call(void *obj, struct rpc_incoming *in)
{
    rpc_in_forward(in, obj);
}

static void proxy_drop(void *obj)
{
    rpc_cap_unref(obj);
}

static const struct rpc_object_ops proxy_ops = {proxy_call, proxy_drop};

TEST(rpc_forward_across_connections)
{
    struct pair front, back;         /* A -> B (proxy) -> C (KeyValue) */
    struct kv_rec r;
    pair_init(&back, NULL);
    struct rpc_cap *remote = rpc_conn_bootstrap(back.a);
    pair_init(&front, NULL);
    /* front.b serves the proxy instead of its own KeyValue */
    rpc_conn_free(front.b);
    rpc_cap_unref(front.root);
    front.root = rpc_cap_local(&front.vb, &proxy_ops, remote);
    struct rpc_transport tb = test_pipe_transport;
    tb.ctx = &front.ba;
    front.b = rpc_conn_new(&front.vb, &tb, NULL, front.root);
    struct rpc_cap *kv = rpc_conn_bootstrap(front.a);
    kv_set(kv, "via", "proxy", &r);
    for (int i = 0; i < 4; i++) {
        pair_flush(&front);
        pair_flush(&back);
    }
    EXPECT_TRUE(r.got == 1 && r.ok);
    EXPECT_TRUE(!strcmp(back.st.keys[0], "via"));
    kv_get(kv, "via", &r);
    for (int i = 0; i < 4; i++) {
        pair_flush(&front);
        pair_flush(&back);
    }
    EXPECT_TRUE(r.ok && !strcmp(r.text, "proxy"));
    kv_fail(kv, "far", &r);
    for (int i = 0; i < 4; i++) {
        pair_flush(&front);
        pair_flush(&back);
    }
    EXPECT_TRUE(r.got == 1 && !r.ok && !strcmp(r.reason, "far"));
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&front));
    EXPECT_TRUE(pair_free(&back));
}
