/* SPDX-License-Identifier: MIT */
/*
 * hostile_test.c - a raw peer sends hand-built messages to a lib/rpc
 * server connection: every protocol violation ends in Abort with its own
 * reason (PROTOCOL status), call-level faults in an exception, unknown
 * kinds in `unimplemented`; never a crash (ASan/UBSan) and never a leak.
 */
#include "pair.h"

#include <string.h>

/* A server connection with a KeyValue bootstrap and a raw client. */
struct srv {
    struct pair p;                   /* only p.b, p.root, p.st are used */
    struct raw r;
    struct raw_out o;
};

static void srv_init(struct srv *s, const struct rpc_limits *lim)
{
    memset(s, 0, sizeof *s);
    pair_init(&s->p, lim);
    rpc_conn_free(s->p.a);
    s->p.a = NULL;
}

/* Everything B wrote since the last call. */
static struct raw_out *srv_out(struct srv *s)
{
    raw_out_free(&s->o);
    raw_out_read(&s->o, &s->p.ba);
    return &s->o;
}

static bool srv_free(struct srv *s)
{
    raw_out_free(&s->o);
    return pair_free(&s->p);
}

/* Reason of the Abort in o's last message ("" if it is not one). */
static const char *abort_reason(const struct raw_out *o)
{
    if (o->n == 0 || rpc_message_which(o->root[o->n - 1]) != RPC_MESSAGE_ABORT)
        return "";
    return rpc_exception_get_reason(
        rpc_message_get_abort(o->root[o->n - 1])).str;
}

static void send_bootstrap(struct srv *s, uint32_t qid)
{
    raw_begin(&s->r);
    rpc_bootstrap_set_question_id(rpc_message_init_bootstrap(s->r.m), qid);
    raw_feed(s->p.b, &s->r);
}

/* Call(qid) on export `exp` (or, if pa_q != UINT32_MAX, on
 * promisedAnswer(pa_q, [field0])) of KeyValue method m; params built by
 * the caller via *pp (may be ignored). */
static rpc_call_b call_begin(struct srv *s, uint32_t qid, uint32_t exp,
                             uint32_t pa_q, uint16_t m)
{
    raw_begin(&s->r);
    rpc_call_b c = rpc_message_init_call(s->r.m);
    rpc_call_set_question_id(c, qid);
    rpc_call_set_interface_id(c, KV_KEY_VALUE_INTERFACE_ID);
    rpc_call_set_method_id(c, m);
    rpc_message_target_b t = rpc_call_init_target(c);
    if (pa_q == UINT32_MAX) {
        rpc_message_target_set_imported_cap(t, exp);
    } else {
        rpc_promised_answer_b pa = rpc_message_target_init_promised_answer(t);
        rpc_promised_answer_set_question_id(pa, pa_q);
        rpc_promised_answer_op_set_get_pointer_field(
            rpc_promised_answer_op_blist_at(
                rpc_promised_answer_init_transform(pa, 1), 0), 0);
    }
    return c;
}

static void call_fail(struct srv *s, uint32_t qid, const char *why)
{
    rpc_call_b c = call_begin(s, qid, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_FAIL);
    struct capnp_ptr_builder pb =
        rpc_payload_slot_content(rpc_call_init_params(c));
    kv_key_value_fail_params_b fp = {capnp_ptr_init_struct(&pb, 0, 1)};
    kv_key_value_fail_params_set_reason(fp, why, (uint32_t)strlen(why));
    raw_feed(s->p.b, &s->r);
}

static void send_finish_rel(struct srv *s, uint32_t qid, bool release_caps)
{
    raw_begin(&s->r);
    rpc_finish_b f = rpc_message_init_finish(s->r.m);
    rpc_finish_set_question_id(f, qid);
    rpc_finish_set_release_result_caps(f, release_caps);
    raw_feed(s->p.b, &s->r);
}

/* Finish with the default releaseResultCaps = true. */
static void send_finish_raw(struct srv *s, uint32_t qid)
{
    send_finish_rel(s, qid, true);
}

/* Expect the last thing B did was abort with `why`. */
#define EXPECT_ABORT(s, why)                                                 \
    do {                                                                     \
        EXPECT_EQ(rpc_conn_status((s)->p.b), RPC_E_PROTOCOL);                \
        EXPECT_TRUE(!strcmp(abort_reason(srv_out(s)), why));                 \
        EXPECT_TRUE(!strcmp(rpc_conn_reason((s)->p.b), why));                \
    } while (0)

TEST(rpc_hostile_bootstrap_answer)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 1);
    EXPECT_EQ(rpc_message_which(o->root[0]), RPC_MESSAGE_RETURN);
    rpc_return_r ret = rpc_message_get_return(o->root[0]);
    EXPECT_EQ(rpc_return_which(ret), RPC_RETURN_RESULTS);
    rpc_cap_descriptor_rlist ct =
        rpc_payload_get_cap_table(rpc_return_get_results(ret));
    ASSERT_EQ(rpc_cap_descriptor_rlist_len(ct), 1);
    EXPECT_EQ(rpc_cap_descriptor_which(rpc_cap_descriptor_rlist_get(ct, 0)),
              RPC_CAP_DESCRIPTOR_SENDER_HOSTED);
    EXPECT_FALSE(rpc_return_get_release_param_caps(ret));
    EXPECT_EQ(rpc_conn_stats(s.p.b).exports, 1);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_return_unknown_question)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    rpc_return_set_answer_id(rpc_message_init_return(s.r.m), 7);
    EXPECT_EQ(raw_feed(s.p.b, &s.r), RPC_E_PROTOCOL);
    EXPECT_ABORT(&s, "Return for an unknown question");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_double_finish)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    EXPECT_EQ(rpc_conn_stats(s.p.b).exports, 1);
    send_finish_raw(&s, 0);
    EXPECT_EQ(rpc_conn_stats(s.p.b).answers, 0);
    EXPECT_EQ(rpc_conn_stats(s.p.b).exports, 0);  /* releaseResultCaps */
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    send_finish_raw(&s, 0);
    EXPECT_ABORT(&s, "Finish for an unknown question");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_double_finish_while_running)
{
    struct srv s;
    srv_init(&s, NULL);
    s.p.st.defer_sub = true;
    send_bootstrap(&s, 0);
    call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_SUB);
    raw_feed(s.p.b, &s.r);
    EXPECT_TRUE(s.p.st.pending != NULL);
    send_finish_raw(&s, 1);
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    send_finish_raw(&s, 1);
    EXPECT_ABORT(&s, "duplicate Finish");
    kv_finish_pending(&s.p.st);      /* after teardown: freed, not sent */
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_release_never_exported)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    rpc_release_b r = rpc_message_init_release(s.r.m);
    rpc_release_set_id(r, 5);
    rpc_release_set_reference_count(r, 1);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "Release of a capability never exported");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_release_too_many)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);           /* export 0, one reference */
    raw_begin(&s.r);
    rpc_release_b r = rpc_message_init_release(s.r.m);
    rpc_release_set_id(r, 0);
    rpc_release_set_reference_count(r, 2);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "Release of more references than held");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_release_exact)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    send_finish_rel(&s, 0, false);   /* we keep the result cap */
    EXPECT_EQ(rpc_conn_stats(s.p.b).exports, 1);
    raw_begin(&s.r);
    rpc_release_b r = rpc_message_init_release(s.r.m);
    rpc_release_set_id(r, 0);
    rpc_release_set_reference_count(r, 1);
    raw_feed(s.p.b, &s.r);
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    EXPECT_EQ(rpc_conn_stats(s.p.b).exports, 0);
    raw_feed(s.p.b, &s.r);           /* the same Release again */
    EXPECT_ABORT(&s, "Release of a capability never exported");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_pipeline_on_failed_answer)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    call_fail(&s, 1, "no");
    call_begin(&s, 2, 0, 1, KV_KEY_VALUE_METHOD_GET);   /* on answer 1 */
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 3);
    rpc_return_r ret = rpc_message_get_return(o->root[2]);
    EXPECT_EQ(rpc_return_get_answer_id(ret), 2);
    EXPECT_EQ(rpc_return_which(ret), RPC_RETURN_EXCEPTION);
    EXPECT_TRUE(!strcmp(rpc_exception_get_reason(
        rpc_return_get_exception(ret)).str, "no"));
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_pipeline_path_not_a_cap)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    /* answer 0's content is the cap itself: field 0 of it is nothing */
    call_begin(&s, 1, 0, 0, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 2);
    rpc_return_r ret = rpc_message_get_return(o->root[1]);
    EXPECT_EQ(rpc_return_which(ret), RPC_RETURN_EXCEPTION);
    EXPECT_TRUE(!strcmp(rpc_exception_get_reason(
        rpc_return_get_exception(ret)).str,
        "pipeline path names no capability"));
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_pipeline_unknown_answer)
{
    struct srv s;
    srv_init(&s, NULL);
    call_begin(&s, 1, 0, 9, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "pipelined call on an unknown question");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_call_unknown_export)
{
    struct srv s;
    srv_init(&s, NULL);
    call_begin(&s, 1, 3, UINT32_MAX, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "Call to a capability never exported");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_duplicate_question)
{
    struct srv s;
    srv_init(&s, NULL);
    s.p.st.defer_sub = true;
    send_bootstrap(&s, 0);
    call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_SUB);
    raw_feed(s.p.b, &s.r);
    call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "question id already in use");
    kv_finish_pending(&s.p.st);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_send_results_elsewhere)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    rpc_call_b c = call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_GET);
    rpc_call_send_results_to_set_yourself(rpc_call_init_send_results_to(c));
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 2);
    rpc_return_r ret = rpc_message_get_return(o->root[1]);
    EXPECT_EQ(rpc_return_which(ret), RPC_RETURN_EXCEPTION);
    EXPECT_EQ(rpc_exception_get_type(rpc_return_get_exception(ret)),
              RPC_EXCEPTION_TYPE_UNIMPLEMENTED);
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_unknown_kinds_unimplemented)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    capnp_write_which(&s.r.m.s, 0, 40);          /* a kind from the future */
    raw_feed(s.p.b, &s.r);
    raw_begin(&s.r);
    rpc_message_init_join(s.r.m);                 /* level 4 */
    raw_feed(s.p.b, &s.r);
    raw_begin(&s.r);
    rpc_disembargo_context_set_accept(rpc_disembargo_init_context(
        rpc_message_init_disembargo(s.r.m)));     /* level 3 */
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 3);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(rpc_message_which(o->root[i]), RPC_MESSAGE_UNIMPLEMENTED);
    rpc_message_r echo = rpc_message_get_unimplemented(o->root[0]);
    EXPECT_EQ(rpc_message_which(echo), 40);
    EXPECT_EQ(rpc_message_which(rpc_message_get_unimplemented(o->root[1])),
              RPC_MESSAGE_JOIN);
    EXPECT_EQ(rpc_conn_status(s.p.b), RPC_E_OK);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_peer_unimplemented)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    rpc_message_init_unimplemented(s.r.m);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "peer did not implement a required message");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_peer_abort)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    rpc_exception_b e = rpc_message_init_abort(s.r.m);
    rpc_exception_set_reason(e, "bye", 3);
    EXPECT_EQ(raw_feed(s.p.b, &s.r), RPC_E_DISCONNECTED);
    EXPECT_TRUE(!strcmp(rpc_conn_reason(s.p.b), "peer aborted: bye"));
    EXPECT_EQ(srv_out(&s)->n, 0);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_deep_message)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    rpc_call_b c = call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_GET);
    struct capnp_ptr_builder pb =
        rpc_payload_slot_content(rpc_call_init_params(c));
    for (int i = 0; i < 100; i++) {               /* nesting limit is 64 */
        struct capnp_struct_builder sb = capnp_ptr_init_struct(&pb, 0, 1);
        pb = capnp_struct_builder_ptr(&sb, 0);
    }
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "malformed message");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_framing_limits)
{
    static const uint32_t too_many[2] = {99, 0};  /* 100 segments */
    static const uint32_t too_big[2] = {0, 1u << 20};
    static const uint32_t wrap[2] = {0xffffffffu, 0};
    const uint32_t *cases[3] = {too_many, too_big, wrap};
    const char *why[3] = {"message has too many segments",
                          "message too large",
                          "message has too many segments"};
    for (int i = 0; i < 3; i++) {
        struct srv s;
        srv_init(&s, NULL);
        EXPECT_EQ(rpc_conn_feed(s.p.b, cases[i], 8), RPC_E_PROTOCOL);
        EXPECT_ABORT(&s, why[i]);
        EXPECT_TRUE(srv_free(&s));
    }
}

TEST(rpc_hostile_malformed_pointer)
{
    struct srv s;
    srv_init(&s, NULL);
    /* one segment of 2 words: root points far outside the segment */
    static const uint64_t msg[2] = {((uint64_t)1 << 32) | (0x1000u << 2), 0};
    uint8_t buf[8 + 16];
    uint32_t table[2] = {0, 2};
    memcpy(buf, table, 8);
    memcpy(buf + 8, msg, 16);
    rpc_conn_feed(s.p.b, buf, sizeof buf);
    EXPECT_ABORT(&s, "malformed message");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_cap_descriptors)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    rpc_call_b c = call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_ECHO);
    rpc_payload_b pl = rpc_call_init_params(c);
    rpc_cap_descriptor_blist ct = rpc_payload_init_cap_table(pl, 2);
    rpc_cap_descriptor_set_sender_hosted(rpc_cap_descriptor_blist_at(ct, 0), 4);
    rpc_cap_descriptor_set_receiver_hosted(rpc_cap_descriptor_blist_at(ct, 1),
                                           9);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "receiverHosted names no export");
    EXPECT_EQ(rpc_conn_stats(s.p.b).imports, 0);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_too_many_caps)
{
    struct srv s;
    struct rpc_limits lim = {.max_caps = 4};
    srv_init(&s, &lim);
    send_bootstrap(&s, 0);
    rpc_call_b c = call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_ECHO);
    rpc_payload_init_cap_table(rpc_call_init_params(c), 5);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "too many capabilities in one message");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_too_many_answers)
{
    struct srv s;
    struct rpc_limits lim = {.max_answers = 2};
    srv_init(&s, &lim);
    s.p.st.defer_sub = true;
    send_bootstrap(&s, 0);
    call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_SUB);
    raw_feed(s.p.b, &s.r);
    call_begin(&s, 2, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "too many outstanding calls from the peer");
    kv_finish_pending(&s.p.st);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_queue_bound)
{
    struct srv s;
    struct rpc_limits lim = {.max_queued = 1};
    srv_init(&s, &lim);
    s.p.st.defer_sub = true;
    send_bootstrap(&s, 0);
    call_begin(&s, 1, 0, UINT32_MAX, KV_KEY_VALUE_METHOD_SUB);
    raw_feed(s.p.b, &s.r);
    call_begin(&s, 2, 0, 1, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    call_begin(&s, 3, 0, 1, KV_KEY_VALUE_METHOD_GET);
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 2);              /* bootstrap, and q3 refused */
    rpc_return_r ret = rpc_message_get_return(o->root[1]);
    EXPECT_EQ(rpc_return_get_answer_id(ret), 3);
    EXPECT_EQ(rpc_exception_get_type(rpc_return_get_exception(ret)),
              RPC_EXCEPTION_TYPE_OVERLOADED);
    kv_finish_pending(&s.p.st);      /* q1 returns, q2 runs */
    o = srv_out(&s);
    EXPECT_EQ(o->n, 2);
    EXPECT_EQ(rpc_conn_stats(s.p.b).queued, 0);
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_disembargo)
{
    struct srv s;
    srv_init(&s, NULL);
    send_bootstrap(&s, 0);
    raw_begin(&s.r);
    rpc_disembargo_b d = rpc_message_init_disembargo(s.r.m);
    rpc_message_target_set_imported_cap(rpc_disembargo_init_target(d), 0);
    rpc_disembargo_context_set_sender_loopback(
        rpc_disembargo_init_context(d), 5);
    raw_feed(s.p.b, &s.r);           /* export 0 is ours, not the sender's */
    EXPECT_ABORT(&s, "Disembargo target is not the sender's");
    EXPECT_TRUE(srv_free(&s));

    srv_init(&s, NULL);
    raw_begin(&s.r);
    d = rpc_message_init_disembargo(s.r.m);
    rpc_disembargo_context_set_receiver_loopback(
        rpc_disembargo_init_context(d), 5);
    raw_feed(s.p.b, &s.r);
    EXPECT_ABORT(&s, "receiverLoopback we never asked for");
    EXPECT_TRUE(srv_free(&s));
}

TEST(rpc_hostile_resolve_releases)
{
    struct srv s;
    srv_init(&s, NULL);
    raw_begin(&s.r);
    rpc_resolve_b r = rpc_message_init_resolve(s.r.m);
    rpc_resolve_set_promise_id(r, 3);
    rpc_cap_descriptor_set_sender_hosted(rpc_resolve_init_cap(r), 8);
    raw_feed(s.p.b, &s.r);
    struct raw_out *o = srv_out(&s);
    ASSERT_EQ(o->n, 1);              /* the resolution's cap is released */
    ASSERT_EQ(rpc_message_which(o->root[0]), RPC_MESSAGE_RELEASE);
    rpc_release_r rel = rpc_message_get_release(o->root[0]);
    EXPECT_EQ(rpc_release_get_id(rel), 8);
    EXPECT_EQ(rpc_release_get_reference_count(rel), 1);
    EXPECT_EQ(rpc_conn_stats(s.p.b).imports, 0);
    EXPECT_TRUE(srv_free(&s));
}

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
