/* SPDX-License-Identifier: MIT */
/*
 * rpc.h - the standard two-party Cap'n Proto RPC protocol (level 1) over a
 * byte stream, freestanding, on lib/capnp and the accessors tools/capnpc
 * generates from capnp's own rpc.capnp.  See docs/network.md.
 *
 * Theory of operation
 *
 * A `struct rpc_vat` is the allocator and the live-object counter shared by
 * the connections and local objects of one program.  A `struct rpc_conn`
 * is one two-party connection: bytes written through `rpc_transport.write`,
 * bytes read by `rpc_conn_pump` (which calls `rpc_transport.read` once) or
 * handed in by `rpc_conn_feed`.  Each connection keeps the four tables of
 * the protocol: questions (our calls), answers (the peer's calls), imports
 * (caps the peer hosts) and exports (caps we host).
 *
 * Capabilities are `struct rpc_cap`, reference counted: a local object (a
 * call handler table and its context), an import, a promise (a field of a
 * question's future results, for promise pipelining) or a broken cap.
 * Calls: rpc_call_new -> fill rpc_call_params / rpc_call_cap ->
 * rpc_call_send(done) -> done(response) from rpc_conn_pump (or at once on a
 * local failure); rpc_question_release drops the handle (done still runs),
 * rpc_question_cancel cancels.  A local object's `call` handler
 * gets an `rpc_incoming`, reads its params and answers with rpc_in_return
 * or rpc_in_throw, at once or later (until then, pipelined calls on its
 * results are queued).  When the connection ends, every question still
 * waiting gets a DISCONNECTED exception and every export is released.
 *
 * Callbacks run inside rpc_conn_pump/feed (or inside rpc_call_send for a
 * local failure); they may call every function here except rpc_conn_free
 * of their own connection and rpc_conn_pump/feed (ignored there).  Every
 * rpc_incoming must be answered exactly once, even after the connection
 * ended (its memory is kept until then).  Nothing is thread-safe; one
 * thread per vat.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capnp/capnp.h>

/* X(name, message): errors of the library's own functions. */
#define RPC_ERRORS(X)                                                        \
    X(OK, "no error")                                                        \
    X(NOMEM, "out of memory")                                                \
    X(DISCONNECTED, "connection closed")                                     \
    X(PROTOCOL, "peer violated the protocol (connection aborted)")           \
    X(TRANSPORT, "transport read or write failed")                           \
    X(BAD_ARG, "invalid argument")

enum rpc_err {
#define RPC__ENUM(name, msg) RPC_E_##name,
    RPC_ERRORS(RPC__ENUM)
#undef RPC__ENUM
    RPC_E__COUNT
};
/* Symbolic name of an error ("PROTOCOL"; "?" if unknown). */
const char *rpc_errname(enum rpc_err e);

/* Exception types, as rpc.capnp's Exception.Type. */
enum rpc_exc {
    RPC_EXC_FAILED = 0,
    RPC_EXC_OVERLOADED = 1,
    RPC_EXC_DISCONNECTED = 2,
    RPC_EXC_UNIMPLEMENTED = 3,
};

/* Memory for everything the library allocates; blocks 8-byte aligned. */
struct rpc_alloc {
    void *(*alloc)(void *ctx, size_t bytes);       /* NULL when out */
    void (*free)(void *ctx, void *p, size_t bytes);
    void *ctx;
};

/* One program's RPC state: allocator and counters (tests check them). */
struct rpc_vat {
    struct rpc_alloc a;
    uint64_t live;        /* blocks allocated and not freed */
    uint64_t live_bytes;
};
void rpc_vat_init(struct rpc_vat *v, const struct rpc_alloc *a);

/* The byte stream under a connection. */
struct rpc_transport {
    /* Write all `len` bytes; 0 or -1 (the connection then ends). */
    int (*write)(void *ctx, const void *buf, size_t len);
    /* Read up to `len` bytes: count > 0, 0 at end of stream, < 0 error. */
    long (*read)(void *ctx, void *buf, size_t len);
    void *ctx;
};

/* Per-connection bounds; 0 selects the default in brackets. */
struct rpc_limits {
    uint32_t max_msg_words;    /* incoming message words [65536] */
    uint32_t max_segments;     /* incoming segments [16, at most 16] */
    int32_t nesting_limit;     /* pointer depth [64] */
    uint32_t traversal_factor; /* read budget = factor x message words [8] */
    uint32_t max_questions;    /* outstanding calls of ours [256] */
    uint32_t max_answers;      /* outstanding calls of the peer [256] */
    uint32_t max_imports;      /* [256] */
    uint32_t max_exports;      /* [256] */
    uint32_t max_caps;         /* capability table of one message [64] */
    uint32_t max_queued;       /* pipelined calls waiting on answers [64] */
    uint32_t max_transform;    /* promisedAnswer transform ops [32] */
    uint32_t out_words;        /* arena of one outgoing message [4096] */
};

struct rpc_cap;
struct rpc_conn;
struct rpc_call;
struct rpc_question;
struct rpc_incoming;

/* A local object: `call` must end each call with rpc_in_return or
 * rpc_in_throw, now or later; `drop` runs when the last reference goes. */
struct rpc_object_ops {
    void (*call)(void *obj, struct rpc_incoming *in);
    void (*drop)(void *obj);
};

/* ---- capabilities ---------------------------------------------------------- */

/* A new local capability (one reference); NULL when out of memory. */
struct rpc_cap *rpc_cap_local(struct rpc_vat *v,
                              const struct rpc_object_ops *ops, void *obj);
/* Take one more reference; returns cap (NULL stays NULL). */
struct rpc_cap *rpc_cap_ref(struct rpc_cap *cap);
/* Drop one reference (NULL is fine).  The last one of an import sends
 * Release; of a local object calls ops->drop. */
void rpc_cap_unref(struct rpc_cap *cap);
/* The object of a local capability, NULL for any other kind. */
void *rpc_cap_object(const struct rpc_cap *cap);
/* True when calls on cap go to the peer of `conn` (import or promise). */
bool rpc_cap_is_remote(const struct rpc_cap *cap, const struct rpc_conn *conn);

/* ---- connections ----------------------------------------------------------- */

/* A connection over `t` (copied).  `bootstrap` (may be NULL) is what the
 * peer's Bootstrap gets; a reference is taken.  NULL when out of memory. */
struct rpc_conn *rpc_conn_new(struct rpc_vat *v, const struct rpc_transport *t,
                              const struct rpc_limits *lim,
                              struct rpc_cap *bootstrap);
/* Read once from the transport and process every complete message.
 * OK, or DISCONNECTED / PROTOCOL / TRANSPORT once the connection ended. */
enum rpc_err rpc_conn_pump(struct rpc_conn *c);
/* Process `len` received bytes (framing may span calls); as pump. */
enum rpc_err rpc_conn_feed(struct rpc_conn *c, const void *bytes, size_t len);
/* Send Abort(reason) and end the connection (questions fail, exports go). */
void rpc_conn_abort(struct rpc_conn *c, const char *reason);
/* End the connection if it is alive and drop the caller's reference; the
 * memory goes when no capability or incoming call refers to it. */
void rpc_conn_free(struct rpc_conn *c);
/* OK while alive, else why it ended; reason text (static or the peer's). */
enum rpc_err rpc_conn_status(const struct rpc_conn *c);
const char *rpc_conn_reason(const struct rpc_conn *c);

/* Table occupancy (for tests and diagnostics). */
struct rpc_conn_stats {
    uint32_t questions, answers, imports, exports, queued;
};
struct rpc_conn_stats rpc_conn_stats(const struct rpc_conn *c);

/* Ask for the peer's bootstrap capability: a promise (pipelining works at
 * once); the question is finished when the cap is dropped.  Never NULL
 * unless out of memory (a dead connection gives a broken cap). */
struct rpc_cap *rpc_conn_bootstrap(struct rpc_conn *c);

/* ---- calls ------------------------------------------------------------------- */

/* Result of a call, valid only during the done callback.  caps[i] are
 * borrowed: rpc_cap_ref what you keep. */
struct rpc_response {
    bool ok;                    /* results, or else an exception */
    enum rpc_exc type;          /* exception type */
    struct capnp_text reason;   /* exception reason */
    struct capnp_ptr content;   /* results content (AnyPointer) */
    struct rpc_cap *const *caps;
    uint32_t ncaps;
};
typedef void rpc_done_fn(void *ctx, const struct rpc_response *r);

/* Start a call of interface `iface`, method `method` on `target`;
 * NULL when out of memory (rpc_call_params/_cap/_send accept that NULL:
 * send then runs done with a FAILED exception).  Any target kind is accepted; a call that
 * cannot go anywhere fails in rpc_call_send with an exception. */
struct rpc_call *rpc_call_new(struct rpc_cap *target, uint64_t iface,
                              uint16_t method);
/* The params content slot (write a struct into it). */
struct capnp_ptr_builder rpc_call_params(struct rpc_call *call);
/* Put cap (a reference is taken) in the call's cap table; returns its
 * index for capnp_ptr_set_cap_index, CAPNP_CAP_NULL when full. */
uint32_t rpc_call_cap(struct rpc_call *call, struct rpc_cap *cap);
/* Send and consume `call`.  done(ctx, response) runs once (unless
 * canceled): later from rpc_conn_pump, or before this returns if the call
 * failed locally.  The question is the caller's until rpc_question_release
 * or _cancel; NULL only when out of memory (done has run then). */
struct rpc_question *rpc_call_send(struct rpc_call *call, rpc_done_fn *done,
                                   void *ctx);
/* A promise for the cap at pointer-field path[0..n) of q's results
 * (promise pipelining).  q NULL gives a broken cap. */
struct rpc_cap *rpc_question_pipeline(struct rpc_question *q,
                                      const uint16_t *path, uint32_t n);
/* The caller drops its handle q (NULL is fine); done still runs when the
 * answer comes.  Finish is sent once answered and no promise of q is
 * left. */
void rpc_question_release(struct rpc_question *q);
/* Cancel: release q and never run done; Finish goes out at once if no
 * promise of q is left (the peer may then skip or drop the results). */
void rpc_question_cancel(struct rpc_question *q);

/* ---- the server side of a call --------------------------------------------- */

uint64_t rpc_in_interface(const struct rpc_incoming *in);
uint16_t rpc_in_method(const struct rpc_incoming *in);
/* Params content; read errors are recorded in its msg (check
 * capnp_msg_error(p.msg)).  Valid until the call is answered. */
struct capnp_ptr rpc_in_params(const struct rpc_incoming *in);
/* Cap `index` of the params' cap table, borrowed (NULL if none). */
struct rpc_cap *rpc_in_param_cap(const struct rpc_incoming *in,
                                 uint32_t index);
/* The results content slot (empty slot when out of memory). */
struct capnp_ptr_builder rpc_in_results(struct rpc_incoming *in);
/* Put cap in the results' cap table; index, or CAPNP_CAP_NULL. */
uint32_t rpc_in_result_cap(struct rpc_incoming *in, struct rpc_cap *cap);
/* Send the results.  Consumes `in` (it may then be freed). */
void rpc_in_return(struct rpc_incoming *in);
/* Send an exception instead.  Consumes `in`. */
void rpc_in_throw(struct rpc_incoming *in, enum rpc_exc type,
                  const char *reason);
/* Forward the call to `target` (another connection's cap, or a cap the
 * peer itself hosts) and answer with its response.  Consumes `in`.  Caps
 * in the params must be sendable on target's connection (local caps, or
 * caps of that connection); otherwise the call fails with an exception. */
void rpc_in_forward(struct rpc_incoming *in, struct rpc_cap *target);
