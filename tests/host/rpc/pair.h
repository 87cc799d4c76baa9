/* SPDX-License-Identifier: MIT */
/*
 * pair.h - test harness: two lib/rpc connections joined by in-memory
 * pipes (client A, server B with a KeyValue bootstrap), and a raw peer
 * that feeds hand-built messages to one connection and reads its output.
 */
#pragma once

#include "kv.h"
#include "rpc.capnp.h"

#include <common/test.h>

struct pipe {
    uint8_t *buf;
    size_t len, cap;
    bool fail_write;                 /* the next writes fail */
    bool eof;                        /* reads return 0 */
    struct pipe *rd;                 /* set: reads come from this pipe */
};

struct pair {
    struct rpc_vat va, vb;
    struct pipe ab, ba;              /* bytes A wrote, bytes B wrote */
    struct rpc_conn *a, *b;
    struct kv_store st;
    struct rpc_cap *root;            /* B's bootstrap object */
};

extern const struct rpc_alloc test_alloc;
extern const struct rpc_transport test_pipe_transport;

/* A (client) and B (server) connected; `lim` may be NULL. */
void pair_init(struct pair *p, const struct rpc_limits *lim);
/* The same with allocator `a` for both vats (a or b may then be NULL). */
void pair_init_alloc(struct pair *p, const struct rpc_limits *lim,
                     const struct rpc_alloc *a);
/* Move bytes both ways until neither side writes anything. */
void pair_flush(struct pair *p);
/* Free both connections and the root; true if nothing is left alive. */
bool pair_free(struct pair *p);
void pipe_take(struct pipe *p, struct pipe *into);
void pipe_free(struct pipe *p);

/* ---- raw peer ---------------------------------------------------------- */

struct raw {
    uint64_t words[2048];
    struct capnp_builder b;
    rpc_message_b m;
};
/* Start a message to send. */
void raw_begin(struct raw *r);
/* Frame r and feed it to c. */
enum rpc_err raw_feed(struct rpc_conn *c, struct raw *r);

/* Messages a connection wrote, parsed (buffer kept in `p`). */
#define RAW_MAX_MSGS 32
struct raw_out {
    struct pipe p;
    struct capnp_msg msg[RAW_MAX_MSGS];
    rpc_message_r root[RAW_MAX_MSGS];
    int n;
};
/* Parse everything in pipe `from` (which is emptied). */
void raw_out_read(struct raw_out *o, struct pipe *from);
void raw_out_free(struct raw_out *o);
