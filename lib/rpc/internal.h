/* SPDX-License-Identifier: MIT */
/*
 * internal.h - private structures of lib/rpc, shared by its files.
 *
 * Ownership: every pointer to a connection from a cap, question or answer
 * holds a reference on it (`refs`); the application holds one until
 * rpc_conn_free.  Tables hold references on what they list.  A connection
 * that failed (write error, abort, end of stream) is `broken` at once and
 * torn down (tables emptied, callbacks run) at the next safe point: the end
 * of the message being processed, rpc_conn_pump/feed, or rpc_conn_free.
 */
#pragma once

#include <rpc/rpc.h>

#include "rpc.capnp.h"

#define RPC_REASON_MAX 128
#define RPC_SMALL_WORDS 64   /* arena of fixed-size messages */

enum cap_kind { CAP_LOCAL, CAP_IMPORT, CAP_PROMISE, CAP_BROKEN };

struct question;

struct rpc_cap {
    struct rpc_vat *vat;
    uint32_t refs;
    enum cap_kind kind;
    union {
        struct { const struct rpc_object_ops *ops; void *obj; } local;
        /* remote_refs: times the peer sent us this id, not yet released */
        struct { struct rpc_conn *conn; uint32_t id, remote_refs; } imp;
        struct { struct question *q; uint16_t *path; uint32_t n; } prom;
        struct { enum rpc_exc type; const char *reason; } broken;
    } u;
};

/* An outgoing message under construction. */
struct rpc_out {
    struct capnp_builder b;
    rpc_message_b root;
    uint64_t *words;
    uint32_t nwords;
    struct rpc_cap **caps;     /* payload cap table (references) */
    uint32_t ncaps, maxcaps;
    uint32_t *exports;         /* export ids added when it was written */
    uint32_t nexports;
    const char *fail;          /* set: cannot be sent (why) */
};

/* A received message (buffer + reader). */
struct rpc_inmsg {
    uint64_t *buf;
    size_t bytes;
    struct capnp_msg msg;
};

/* Our call (question table entry). */
struct question {
    struct rpc_vat *vat;
    struct rpc_conn *conn;     /* NULL: failed locally, never sent */
    uint32_t id;
    uint32_t refs;             /* caller (until release) + promises */
    bool returned, finish_sent, in_table;
    bool released;             /* caller dropped its handle */
    bool canceled;             /* no callback wanted */
    bool caller_ref;           /* the caller's reference is in refs */
    rpc_done_fn *done;
    void *ctx;
    uint32_t *param_exports;   /* for Return.releaseParamCaps */
    uint32_t nparam_exports;
};

struct rpc_call {
    struct rpc_conn *conn;     /* NULL: no connection to send on */
    struct rpc_cap *target;
    const char *fail;
    enum rpc_exc fail_type;
    struct rpc_out *out;
    rpc_call_b call;
    rpc_payload_b params;
};

enum answer_state { ANS_QUEUED, ANS_RUNNING, ANS_RETURNED };

/* The peer's call (answer table entry) = struct rpc_incoming. */
struct rpc_incoming {
    struct rpc_conn *conn;
    uint32_t id;
    enum answer_state state;
    bool finished, in_table, release_result_caps;
    /* request */
    struct rpc_inmsg *req;     /* NULL for Bootstrap */
    rpc_promised_answer_r pa;  /* pipelined target (while queued) */
    struct capnp_ptr params;
    uint64_t iface;
    uint16_t method;
    struct rpc_cap **pcaps;
    uint32_t npcaps;
    /* answer */
    struct rpc_out *out;       /* Return; kept after sending for pipelines */
    rpc_payload_b results;
    bool exception;
    enum rpc_exc etype;
    char reason[RPC_REASON_MAX];
    struct rpc_incoming *next; /* queue of calls waiting on this answer */
    struct rpc_incoming *waiting, *waiting_tail;
};

struct framer {
    uint32_t phase;            /* 0 header, 1 table, 2 body */
    uint32_t have, need;       /* bytes of the current phase */
    uint32_t nsegs;
    uint32_t table[2 + 16];
    struct rpc_inmsg *m;
};

struct export_ent {
    struct rpc_cap *cap;       /* NULL: free id */
    uint32_t refs;
};

struct rpc_conn {
    struct rpc_vat *vat;
    uint32_t refs;
    struct rpc_transport t;
    struct rpc_limits lim;
    struct rpc_cap *bootstrap;
    enum rpc_err status;       /* OK while alive */
    bool broken, torn_down, dispatching;
    char reason[RPC_REASON_MAX];
    struct framer fr;
    struct capnp_msg *cur;             /* message being dispatched */
    struct question **questions;       /* index = question id */
    struct rpc_incoming **answers;     /* peer-chosen ids; searched */
    struct rpc_cap **imports;          /* peer-chosen ids; searched */
    struct export_ent *exports;        /* index = export id */
    uint32_t nquestions, nanswers, nimports, nexports, nqueued;
};

/* util.c */
void *rpc_zalloc(struct rpc_vat *v, size_t bytes);
void *rpc_alloc_raw(struct rpc_vat *v, size_t bytes);
void rpc_free(struct rpc_vat *v, void *p, size_t bytes);
void rpc_strcpy(char *dst, const char *src, size_t cap);
uint32_t rpc_strlen(const char *s);

/* conn.c */
void conn_fail(struct rpc_conn *c, enum rpc_err why, const char *reason);
void conn_protocol_error(struct rpc_conn *c, const char *reason);
void conn_unref(struct rpc_conn *c);
void conn_safe_point(struct rpc_conn *c);
bool msg_check(struct rpc_conn *c, const struct capnp_msg *msg);

/* out.c */
struct rpc_out *out_new(struct rpc_conn *c);
struct rpc_out *out_new_small(struct rpc_conn *c);
void out_free(struct rpc_conn *c, struct rpc_out *o);
rpc_message_b out_root(struct rpc_out *o);
uint32_t out_add_cap(struct rpc_out *o, struct rpc_cap *cap);
void out_write_caps(struct rpc_conn *c, struct rpc_out *o, rpc_payload_b p);
void out_undo_exports(struct rpc_conn *c, struct rpc_out *o);
bool out_send(struct rpc_conn *c, struct rpc_out *o);
void send_finish(struct rpc_conn *c, uint32_t qid, bool release_caps);
void send_release(struct rpc_conn *c, uint32_t id, uint32_t count);
void send_unimplemented(struct rpc_conn *c, struct rpc_inmsg *m);

/* frame.c */
enum rpc_err frame_feed(struct rpc_conn *c, const uint8_t *p, size_t len,
                        void (*deliver)(struct rpc_conn *, struct rpc_inmsg *));
void frame_reset(struct rpc_conn *c);
void inmsg_free(struct rpc_conn *c, struct rpc_inmsg *m);

/* cap.c */
struct rpc_cap *cap_broken(struct rpc_vat *v, enum rpc_exc type,
                           const char *reason);
struct rpc_cap *import_get(struct rpc_conn *c, uint32_t id);
void exports_release(struct rpc_conn *c, uint32_t id, uint32_t count);
bool exports_add(struct rpc_conn *c, struct rpc_cap *cap, uint32_t *id);
void promised_answer_write(rpc_promised_answer_b pa, const struct rpc_cap *p);
bool cap_write_descriptor(struct rpc_conn *c, struct rpc_cap *cap,
                          rpc_cap_descriptor_b d, uint32_t *export_id);
struct rpc_cap *cap_read(struct rpc_conn *c, rpc_cap_descriptor_r d, bool *ok);
bool caps_read(struct rpc_conn *c, rpc_payload_r p, struct rpc_cap ***out,
               uint32_t *n);
void caps_free(struct rpc_vat *v, struct rpc_cap **caps, uint32_t n);
void handle_release(struct rpc_conn *c, rpc_release_r r);
void imports_teardown(struct rpc_conn *c);
void exports_teardown(struct rpc_conn *c);

/* question.c */
void question_unref(struct question *q);
void question_drop_caller(struct question *q);
void questions_teardown(struct rpc_conn *c);
void handle_return(struct rpc_conn *c, struct rpc_inmsg *m, rpc_return_r r);

/* answer.c */
struct rpc_incoming *answer_find(struct rpc_conn *c, uint32_t id);
struct rpc_cap *answer_resolve(struct rpc_incoming *a, rpc_promised_answer_r pa,
                               const char **why);
void handle_call(struct rpc_conn *c, struct rpc_inmsg *m, rpc_call_r call);
struct rpc_incoming *answer_new(struct rpc_conn *c, uint32_t id);
void answer_free(struct rpc_incoming *a);
void answer_returned(struct rpc_incoming *a);
void deliver_call(struct rpc_incoming *a, struct rpc_cap *cap);
void handle_bootstrap(struct rpc_conn *c, rpc_bootstrap_r b);
void handle_finish(struct rpc_conn *c, rpc_finish_r f);
void answers_teardown(struct rpc_conn *c);

/* disembargo.c */
void handle_disembargo(struct rpc_conn *c, struct rpc_inmsg *m,
                       rpc_disembargo_r d);
void handle_resolve(struct rpc_conn *c, rpc_resolve_r r);
