/* SPDX-License-Identifier: MIT */
/*
 * serve.h - the service framework: one call serves endpoints with the
 * generated dispatch tables (docs/ipc.md "Writing a server").
 *
 * Theory of operation: capos_serve() keeps one RECV outstanding on each
 * endpoint of the server.  A call is decoded by the generated table of
 * its endpoint (N_impl(&handlers)); the handler gets a struct
 * capos_srv_call as its ctx (session, per-session state, the caps that
 * came with the call, result caps, an exception message); its answer and
 * the endpoint's next RECV go to the kernel in one cap_enter.  A
 * malformed request (unknown method, params that do not parse, results
 * too large) is answered with a precise exception and serving goes on.
 * Peer events: a session's first call runs `opened` (its return value is
 * the session's state), the kernel's session-closed event runs `closed`,
 * and the no-clients event runs `no_clients`, whose answer (default: stop
 * once every endpoint has no clients) ends capos_serve.  One
 * capos_serve at a time per process (its buffers are static).
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <capos/ipc.h>
#include <stdbool.h>
#include <stdint.h>

#define CAPOS_SERVE_MAX_EPS 4
#define CAPOS_SERVE_MAX_SESSIONS 64
#define CAPOS_SERVE_RECV_WORDS 1056   /* params up to 8 KiB (+ header, caps);
                                       * larger ones go through a 64 KiB buffer */
#define CAPOS_SERVE_REPLY_WORDS 1024  /* results up to 8 KiB */

struct capnpc_method;

/* An interface implementation: what the generated N_impl() returns. */
struct capos_impl {
    uint64_t iface;
    const struct capnpc_method *methods;
    uint32_t nmethods;
    const void *server;               /* the N_server_t of handlers */
};

/* One endpoint served. */
struct capos_serve_ep {
    uint32_t ep;                      /* an Endpoint cap */
    struct capos_impl impl;
};

struct capos_server;

/* The call a handler is running (its `ctx`). */
struct capos_srv_call {
    struct capos_server *srv;
    uint32_t ep_index;                /* which of srv->eps */
    uint64_t session;                 /* the caller's facet (unforgeable) */
    void *session_state;              /* what `opened` returned */
    struct capos_request *req;        /* caps that came with it: req->in */
    const char *why;                  /* exception message (capos_serve_fail) */
    struct ring_xfer xfer[RING_MAX_XFER]; /* result caps (capos_serve_give) */
    uint32_t nxfer;
    bool xfer_overflow;
};

struct capos_serve_session {
    uint64_t id;
    uint32_t ep_index;
    bool used;
    void *state;
};

struct capos_server {
    const struct capos_serve_ep *eps;
    uint32_t neps;
    void *state;                      /* for the hooks and handlers */
    /* A session's first call; returns its state (may be NULL). */
    void *(*opened)(struct capos_srv_call *c);
    /* Session `session` of endpoint ep_index is closed (its last facet is
     * gone); state is what `opened` returned (NULL if it never called). */
    void (*closed)(struct capos_server *s, uint32_t ep_index,
                   uint64_t session, void *state);
    /* Endpoint ep_index has no client facet left; true = stop serving.
     * NULL: stop once every endpoint is in that state. */
    bool (*no_clients)(struct capos_server *s, uint32_t ep_index);
    /* Counters (read them; capos_serve sets them). */
    uint32_t calls, errors;
    /* Private. */
    bool stop;
    uint32_t idle_mask;
    struct capos_serve_session sessions[CAPOS_SERVE_MAX_SESSIONS];
};

/* Serve s->eps[s->neps] until stopped (ERR_OK: no clients left or
 * capos_serve_stop) or a ring/transport error that makes serving
 * impossible (ERR_RANGE: neps is 0 or above CAPOS_SERVE_MAX_EPS; a RECV
 * error such as ERR_BADCAP or ERR_WRONGTYPE for a cap that is not an
 * Endpoint). */
err_t capos_serve(struct capos_server *s);

/* Answer the running call with exception `code` and message `why` (a
 * string that outlives the call); returns code for `return
 * capos_serve_fail(...)`. */
int capos_serve_fail(void *ctx, err_t code, const char *why);

/* Send cap (mode XFER_COPY or XFER_MOVE) with the results: returns the
 * index to store in the result's capability field.  More than
 * RING_MAX_XFER: the call fails with ERR_RANGE. */
uint32_t capos_serve_give(void *ctx, uint32_t cap, uint32_t mode);

/* Stop capos_serve after answering the running call. */
void capos_serve_stop(void *ctx);
