/* SPDX-License-Identifier: MIT */
/*
 * pair.c - the in-memory transport and peers of the lib/rpc host tests.
 */
#include "pair.h"

#include <stdlib.h>
#include <string.h>

static void *t_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void t_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

const struct rpc_alloc test_alloc = {t_alloc, t_free, NULL};

static int pipe_write(void *ctx, const void *b, size_t n)
{
    struct pipe *p = ctx;
    if (p->fail_write)
        return -1;
    if (n == 0)
        return 0;
    if (p->len + n > p->cap) {
        p->cap = (p->len + n) * 2 + 64;
        p->buf = realloc(p->buf, p->cap);
    }
    memcpy(p->buf + p->len, b, n);
    p->len += n;
    return 0;
}

static long pipe_read(void *ctx, void *b, size_t n)
{
    struct pipe *p = ctx;
    if (p->rd)
        p = p->rd;
    if (p->eof)
        return 0;
    if (n > p->len)
        n = p->len;
    if (n == 0)
        return 0;
    memcpy(b, p->buf, n);
    memmove(p->buf, p->buf + n, p->len - n);
    p->len -= n;
    return (long)n;
}

const struct rpc_transport test_pipe_transport = {pipe_write, pipe_read, NULL};

void pair_init(struct pair *p, const struct rpc_limits *lim)
{
    pair_init_alloc(p, lim, &test_alloc);
}

void pair_init_alloc(struct pair *p, const struct rpc_limits *lim,
                     const struct rpc_alloc *a)
{
    struct rpc_transport ta = test_pipe_transport, tb = test_pipe_transport;
    memset(p, 0, sizeof *p);
    rpc_vat_init(&p->va, a);
    rpc_vat_init(&p->vb, a);
    p->st.vat = &p->vb;
    p->root = kv_new(&p->st, "");
    ta.ctx = &p->ab;
    tb.ctx = &p->ba;
    p->a = rpc_conn_new(&p->va, &ta, lim, NULL);
    p->b = rpc_conn_new(&p->vb, &tb, lim, p->root);
}

/* Move p's bytes into `into` (emptied first). */
void pipe_take(struct pipe *p, struct pipe *into)
{
    free(into->buf);
    *into = *p;
    p->buf = NULL;
    p->len = p->cap = 0;
}

void pipe_free(struct pipe *p)
{
    free(p->buf);
    memset(p, 0, sizeof *p);
}

void pair_flush(struct pair *p)
{
    struct pipe tmp = {0};
    for (int i = 0; i < 1000 && (p->ab.len || p->ba.len); i++) {
        if (p->ab.len) {
            pipe_take(&p->ab, &tmp);
            rpc_conn_feed(p->b, tmp.buf, tmp.len);
        }
        if (p->ba.len) {
            pipe_take(&p->ba, &tmp);
            rpc_conn_feed(p->a, tmp.buf, tmp.len);
        }
    }
    pipe_free(&tmp);
}

bool pair_free(struct pair *p)
{
    rpc_conn_free(p->a);
    rpc_conn_free(p->b);
    rpc_cap_unref(p->root);
    pipe_free(&p->ab);
    pipe_free(&p->ba);
    return p->va.live == 0 && p->vb.live == 0 && p->st.objects == 0;
}

void raw_begin(struct raw *r)
{
    capnp_builder_init(&r->b, r->words, 2048);
    r->m = rpc_message_init_root(&r->b);
}

enum rpc_err raw_feed(struct rpc_conn *c, struct raw *r)
{
    static _Alignas(8) uint8_t out[2048 * 8 + 128];
    size_t n = 0;
    if (capnp_builder_serialize(&r->b, out, sizeof out, &n) != CAPNP_OK)
        return RPC_E_BAD_ARG;
    return rpc_conn_feed(c, out, n);
}

void raw_out_read(struct raw_out *o, struct pipe *from)
{
    size_t off = 0;
    memset(o, 0, sizeof *o);
    pipe_take(from, &o->p);
    while (off < o->p.len && o->n < RAW_MAX_MSGS) {
        struct capnp_msg *m = &o->msg[o->n];
        if (capnp_msg_init(m, o->p.buf + off, o->p.len - off, NULL) != CAPNP_OK)
            break;
        o->root[o->n++] = rpc_message_read_root(m);
        off += m->bytes;
    }
}

void raw_out_free(struct raw_out *o)
{
    pipe_free(&o->p);
}
