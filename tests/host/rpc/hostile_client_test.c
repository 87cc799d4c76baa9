/* SPDX-License-Identifier: MIT */
/*
 * hostile_client_test.c - a raw peer answers a lib/rpc client connection
 * with hostile Returns and Releases: each ends in Abort with its own
 * reason, the waiting calls fail DISCONNECTED, nothing leaks.  Also a
 * local rpc_conn_abort.
 */
#include "pair.h"

#include <string.h>

/* A client connection with the bootstrap (question 0) and one call on it
 * (question 1) outstanding; the raw peer answers. */
struct cli {
    struct pair p;
    struct rpc_cap *kv;
    struct kv_rec rec;
    struct raw r;
};

static void cli_init(struct cli *c)
{
    memset(c, 0, sizeof *c);
    pair_init(&c->p, NULL);
    c->kv = rpc_conn_bootstrap(c->p.a);
    kv_get(c->kv, "k", &c->rec);
    pipe_free(&c->p.ab);
}

static bool cli_free(struct cli *c)
{
    rpc_cap_unref(c->kv);
    return pair_free(&c->p);
}

TEST(rpc_hostile_return_kind_never_requested)
{
    struct cli c;
    cli_init(&c);
    raw_begin(&c.r);
    rpc_return_b ret = rpc_message_init_return(c.r.m);
    rpc_return_set_answer_id(ret, 1);
    rpc_return_set_take_from_other_question(ret, 0);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_PROTOCOL);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(c.p.a),
                        "Return of a kind never requested"));
    EXPECT_TRUE(c.rec.got == 1 && c.rec.type == RPC_EXC_DISCONNECTED);
    EXPECT_TRUE(cli_free(&c));
}

TEST(rpc_hostile_return_twice)
{
    struct cli c;
    cli_init(&c);
    raw_begin(&c.r);
    rpc_return_b ret = rpc_message_init_return(c.r.m);
    rpc_return_set_answer_id(ret, 1);
    rpc_return_init_results(ret);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_OK);
    EXPECT_TRUE(c.rec.got == 1 && c.rec.ok);
    /* question 1 was released, so Finish went out and it is gone: a
     * second Return for it is a protocol error */
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_PROTOCOL);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(c.p.a),
                        "Return for an unknown question"));
    EXPECT_EQ(c.rec.got, 1);
    EXPECT_TRUE(cli_free(&c));

    /* question 0 (the bootstrap) is still held by its promise after its
     * Return: a second Return is a protocol error too */
    cli_init(&c);
    raw_begin(&c.r);
    ret = rpc_message_init_return(c.r.m);
    rpc_return_set_answer_id(ret, 0);
    rpc_return_init_results(ret);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_OK);
    EXPECT_EQ(rpc_conn_stats(c.p.a).questions, 2);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_PROTOCOL);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(c.p.a),
                        "Return for an unknown question"));
    EXPECT_TRUE(cli_free(&c));
}

TEST(rpc_hostile_release_param_caps_twice)
{
    struct cli c;
    int pings = 0;
    cli_init(&c);
    struct rpc_cap *cb = kv_callback_new(&c.p.va, &pings);
    struct kv_rec r;
    kv_echo(c.kv, cb, &r);           /* question 2, exports cb once */
    rpc_cap_unref(cb);
    EXPECT_EQ(rpc_conn_stats(c.p.a).exports, 1);
    raw_begin(&c.r);
    rpc_release_b rel = rpc_message_init_release(c.r.m);
    rpc_release_set_id(rel, 0);
    rpc_release_set_reference_count(rel, 1);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_OK);   /* released by Release */
    EXPECT_EQ(rpc_conn_stats(c.p.a).exports, 0);
    raw_begin(&c.r);
    rpc_return_b ret = rpc_message_init_return(c.r.m);
    rpc_return_set_answer_id(ret, 2);
    rpc_return_set_release_param_caps(ret, true);  /* ...and again */
    rpc_return_init_results(ret);
    EXPECT_EQ(raw_feed(c.p.a, &c.r), RPC_E_PROTOCOL);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(c.p.a),
                        "releaseParamCaps of released caps"));
    EXPECT_TRUE(cli_free(&c));
}

TEST(rpc_local_abort)
{
    struct pair p;
    struct kv_rec r;
    pair_init(&p, NULL);
    struct rpc_cap *kv = rpc_conn_bootstrap(p.a);
    kv_get(kv, "x", &r);
    rpc_conn_abort(p.a, "bye");
    EXPECT_EQ(rpc_conn_status(p.a), RPC_E_DISCONNECTED);
    EXPECT_TRUE(r.got == 1 && r.type == RPC_EXC_DISCONNECTED);
    pair_flush(&p);
    EXPECT_EQ(rpc_conn_status(p.b), RPC_E_DISCONNECTED);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(p.b), "peer aborted: bye"));
    rpc_cap_unref(kv);
    EXPECT_TRUE(pair_free(&p));
}
