/* SPDX-License-Identifier: MIT */
/*
 * conn.c - a connection: limits, the four tables, receiving (framing ->
 * decode -> one handler per message kind), failure and teardown.
 *
 * Every received message is first checked as a whole (segment table,
 * every pointer within bounds, traversal and nesting limits) before any of
 * it is acted upon; a malformed message, an unknown id or a broken
 * reference count is a protocol error: Abort is sent and the connection
 * ends.  Message kinds we do not implement are echoed back as
 * `unimplemented`, as the spec requires.  Teardown (questions fail with
 * DISCONNECTED, answers and exports dropped) runs at a safe point, never
 * inside a handler.
 */
#include "internal.h"

static const struct rpc_limits defaults = {
    .max_msg_words = 65536, .max_segments = 16, .nesting_limit = 64,
    .traversal_factor = 8, .max_questions = 256, .max_answers = 256,
    .max_imports = 256, .max_exports = 256, .max_caps = 64,
    .max_queued = 64, .max_transform = 32, .out_words = 4096,
};

#define PICK(f) l.f = (lim && lim->f) ? lim->f : defaults.f
static struct rpc_limits limits_pick(const struct rpc_limits *lim)
{
    struct rpc_limits l;
    PICK(max_msg_words); PICK(max_segments); PICK(nesting_limit);
    PICK(traversal_factor); PICK(max_questions); PICK(max_answers);
    PICK(max_imports); PICK(max_exports); PICK(max_caps); PICK(max_queued);
    PICK(max_transform); PICK(out_words);
    if (l.max_segments > 16)
        l.max_segments = 16;
    if (l.max_msg_words > (1u << 26))
        l.max_msg_words = 1u << 26;
    if (l.out_words < 64)
        l.out_words = 64;
    return l;
}
#undef PICK

static void tables_free(struct rpc_conn *c)
{
    rpc_free(c->vat, c->questions, c->lim.max_questions * sizeof(void *));
    rpc_free(c->vat, c->answers, c->lim.max_answers * sizeof(void *));
    rpc_free(c->vat, c->imports, c->lim.max_imports * sizeof(void *));
    rpc_free(c->vat, c->exports,
             c->lim.max_exports * sizeof(struct export_ent));
}

struct rpc_conn *rpc_conn_new(struct rpc_vat *v, const struct rpc_transport *t,
                              const struct rpc_limits *lim,
                              struct rpc_cap *bootstrap)
{
    struct rpc_conn *c = rpc_zalloc(v, sizeof *c);
    if (!c)
        return NULL;
    c->vat = v;
    c->refs = 1;
    c->t = *t;
    c->lim = limits_pick(lim);
    c->questions = rpc_zalloc(v, c->lim.max_questions * sizeof(void *));
    c->answers = rpc_zalloc(v, c->lim.max_answers * sizeof(void *));
    c->imports = rpc_zalloc(v, c->lim.max_imports * sizeof(void *));
    c->exports = rpc_zalloc(v, c->lim.max_exports * sizeof(struct export_ent));
    if (!c->questions || !c->answers || !c->imports || !c->exports) {
        tables_free(c);
        rpc_free(v, c, sizeof *c);
        return NULL;
    }
    c->bootstrap = rpc_cap_ref(bootstrap);
    frame_reset(c);
    return c;
}

/* Mark c ended (first reason wins); teardown follows at a safe point. */
void conn_fail(struct rpc_conn *c, enum rpc_err why, const char *reason)
{
    if (c->broken)
        return;
    c->broken = true;
    c->status = why;
    rpc_strcpy(c->reason, reason, sizeof c->reason);
}

static void send_abort(struct rpc_conn *c, enum rpc_exc type,
                       const char *reason)
{
    struct rpc_out *o = out_new_small(c);
    if (!o)
        return;
    rpc_exception_b e = rpc_message_init_abort(out_root(o));
    rpc_exception_set_reason(e, reason, rpc_strlen(reason));
    rpc_exception_set_type(e, (rpc_exception_type_t)type);
    out_send(c, o);
    out_free(c, o);
}

/* The peer broke the protocol: Abort(reason) and end the connection. */
void conn_protocol_error(struct rpc_conn *c, const char *reason)
{
    if (c->broken)
        return;
    send_abort(c, RPC_EXC_FAILED, reason);
    conn_fail(c, RPC_E_PROTOCOL, reason);
}

void rpc_conn_abort(struct rpc_conn *c, const char *reason)
{
    if (!c->broken)
        send_abort(c, RPC_EXC_FAILED, reason);
    conn_fail(c, RPC_E_DISCONNECTED, reason);
    conn_safe_point(c);
}

/* Tear down a broken connection unless a handler is running. */
void conn_safe_point(struct rpc_conn *c)
{
    if (!c->broken || c->torn_down || c->dispatching)
        return;
    c->torn_down = true;
    c->refs++;                       /* callbacks may drop the last ref */
    frame_reset(c);
    questions_teardown(c);
    answers_teardown(c);
    exports_teardown(c);
    imports_teardown(c);
    struct rpc_cap *b = c->bootstrap;
    c->bootstrap = NULL;
    rpc_cap_unref(b);
    conn_unref(c);
}

void conn_unref(struct rpc_conn *c)
{
    if (--c->refs > 0)
        return;
    frame_reset(c);
    inmsg_free(c, c->fr.m);
    tables_free(c);
    rpc_free(c->vat, c, sizeof *c);
}

void rpc_conn_free(struct rpc_conn *c)
{
    if (!c)
        return;
    conn_fail(c, RPC_E_DISCONNECTED, "connection closed locally");
    conn_safe_point(c);
    conn_unref(c);
}

enum rpc_err rpc_conn_status(const struct rpc_conn *c)
{
    return c->status;
}

const char *rpc_conn_reason(const struct rpc_conn *c)
{
    return c->broken ? c->reason : "";
}

struct rpc_conn_stats rpc_conn_stats(const struct rpc_conn *c)
{
    return (struct rpc_conn_stats){c->nquestions, c->nanswers, c->nimports,
                                   c->nexports, c->nqueued};
}

/* Message.abort from the peer. */
static void handle_abort(struct rpc_conn *c, rpc_exception_r e)
{
    char why[RPC_REASON_MAX] = "peer aborted: ";
    struct capnp_text t = rpc_exception_get_reason(e);
    uint32_t n = rpc_strlen(why);
    for (uint32_t i = 0; i < t.len && n + 1 < sizeof why; i++)
        why[n++] = t.str[i] ? t.str[i] : '?';
    why[n] = 0;
    conn_fail(c, RPC_E_DISCONNECTED, why);
}

/* Route one decoded message; m is freed here unless a handler kept it. */
static void dispatch(struct rpc_conn *c, struct rpc_inmsg *m)
{
    rpc_message_r root = rpc_message_read_root(&m->msg);
    c->cur = &m->msg;
    switch (rpc_message_which(root)) {
    case RPC_MESSAGE_UNIMPLEMENTED:
        /* We send only what a level-1 peer must implement. */
        conn_protocol_error(c, "peer did not implement a required message");
        break;
    case RPC_MESSAGE_ABORT:
        handle_abort(c, rpc_message_get_abort(root));
        break;
    case RPC_MESSAGE_BOOTSTRAP:
        handle_bootstrap(c, rpc_message_get_bootstrap(root));
        break;
    case RPC_MESSAGE_CALL:
        handle_call(c, m, rpc_message_get_call(root));
        return;                      /* the answer owns m */
    case RPC_MESSAGE_RETURN:
        handle_return(c, m, rpc_message_get_return(root));
        break;
    case RPC_MESSAGE_FINISH:
        handle_finish(c, rpc_message_get_finish(root));
        break;
    case RPC_MESSAGE_RESOLVE:
        handle_resolve(c, rpc_message_get_resolve(root));
        break;
    case RPC_MESSAGE_RELEASE:
        handle_release(c, rpc_message_get_release(root));
        break;
    case RPC_MESSAGE_DISEMBARGO:
        handle_disembargo(c, m, rpc_message_get_disembargo(root));
        break;
    default:                         /* level 2+, obsolete, unknown */
        send_unimplemented(c, m);
        break;
    }
    inmsg_free(c, m);
}

/* True if msg read cleanly so far; else a protocol error. */
bool msg_check(struct rpc_conn *c, const struct capnp_msg *msg)
{
    if (capnp_msg_error(msg) == CAPNP_OK)
        return true;
    conn_protocol_error(c, "malformed message");
    return false;
}

/* One framed message: validate it whole, then dispatch. */
static void deliver(struct rpc_conn *c, struct rpc_inmsg *m)
{
    uint64_t budget = (uint64_t)(m->bytes / 8) * c->lim.traversal_factor + 64;
    /* Cap indices are checked against the payload's table when it is
     * read (msg.cap_count is set then); here only against the bound. */
    struct capnp_read_opts o = {.traversal_limit = budget,
                                .nesting_limit = c->lim.nesting_limit,
                                .cap_count = c->lim.max_caps};
    if (capnp_msg_init(&m->msg, m->buf, m->bytes, &o) != CAPNP_OK ||
        capnp_msg_validate(&m->msg) != CAPNP_OK) {
        conn_protocol_error(c, "malformed message");
        inmsg_free(c, m);
        return;
    }
    m->msg.traversal_left = budget;  /* validation's walk is not charged */
    c->dispatching = true;
    dispatch(c, m);
    c->dispatching = false;
}

enum rpc_err rpc_conn_feed(struct rpc_conn *c, const void *bytes, size_t len)
{
    if (!c->broken && !c->dispatching)
        frame_feed(c, bytes, len, deliver);
    conn_safe_point(c);
    return c->broken ? c->status : RPC_E_OK;
}

enum rpc_err rpc_conn_pump(struct rpc_conn *c)
{
    uint8_t buf[4096];
    long n;
    if (c->broken || c->dispatching) {
        conn_safe_point(c);
        return c->broken ? c->status : RPC_E_OK;
    }
    n = c->t.read(c->t.ctx, buf, sizeof buf);
    if (n == 0)
        conn_fail(c, RPC_E_DISCONNECTED, "peer closed the connection");
    else if (n < 0 || (size_t)n > sizeof buf)
        conn_fail(c, RPC_E_TRANSPORT, "transport read failed");
    return rpc_conn_feed(c, buf, n > 0 ? (size_t)n : 0);
}
