/* SPDX-License-Identifier: MIT */
/*
 * frame.c - the standard stream framing of Cap'n Proto messages, decoded
 * incrementally from whatever pieces the transport delivers.
 *
 * Phases: 0 = the first 8 bytes (segment count - 1, size of segment 0);
 * 1 = the rest of the segment table (padded to 8 bytes); 2 = the segments.
 * The count and the total size are checked against the connection's
 * limits before anything is allocated; a message is then one buffer
 * (table + segments, 8-byte aligned) handed to `deliver`, which owns it.
 * Packed framing is not supported.
 */
#include "internal.h"

void inmsg_free(struct rpc_conn *c, struct rpc_inmsg *m)
{
    if (!m)
        return;
    rpc_free(c->vat, m->buf, m->bytes);
    rpc_free(c->vat, m, sizeof *m);
}

void frame_reset(struct rpc_conn *c)
{
    inmsg_free(c, c->fr.m);
    __builtin_memset(&c->fr, 0, sizeof c->fr);
    c->fr.need = 8;
}

/* Header complete: check the count, size the table. */
static enum rpc_err frame_header(struct rpc_conn *c)
{
    struct framer *f = &c->fr;
    uint64_t n = (uint64_t)f->table[0] + 1;
    if (n > c->lim.max_segments) {
        conn_protocol_error(c, "message has too many segments");
        return RPC_E_PROTOCOL;
    }
    f->nsegs = (uint32_t)n;
    f->phase = 1;
    f->need = (uint32_t)(((n + 2) / 2) * 8) - 8; /* table beyond 8 bytes */
    return RPC_E_OK;
}

/* Table complete: check the total size, allocate the message. */
static enum rpc_err frame_table(struct rpc_conn *c)
{
    struct framer *f = &c->fr;
    uint64_t words = 0, tbytes = ((f->nsegs + 2) / 2) * 8;
    for (uint32_t i = 0; i < f->nsegs; i++)
        words += f->table[1 + i];
    if (words > c->lim.max_msg_words) {
        conn_protocol_error(c, "message too large");
        return RPC_E_PROTOCOL;
    }
    f->m = rpc_zalloc(c->vat, sizeof *f->m);
    if (f->m) {
        f->m->bytes = tbytes + words * 8;
        f->m->buf = rpc_zalloc(c->vat, f->m->bytes);
    }
    if (!f->m || !f->m->buf) {
        conn_fail(c, RPC_E_NOMEM, "out of memory for a message");
        return RPC_E_NOMEM;
    }
    __builtin_memcpy(f->m->buf, f->table, tbytes);
    f->phase = 2;
    f->have = (uint32_t)tbytes;
    f->need = (uint32_t)f->m->bytes;
    return RPC_E_OK;
}

/* Consume p[len]; each complete message goes to deliver().  Stops at the
 * first error or when the connection breaks. */
enum rpc_err frame_feed(struct rpc_conn *c, const uint8_t *p, size_t len,
                        void (*deliver)(struct rpc_conn *, struct rpc_inmsg *))
{
    struct framer *f = &c->fr;
    while ((len > 0 || (f->phase == 2 && f->have == f->need)) && !c->broken) {
        uint8_t *dst = f->phase == 2 ? (uint8_t *)f->m->buf
                     : (uint8_t *)f->table + (f->phase ? 8 : 0);
        size_t take = f->need - f->have;
        if (take > len)
            take = len;
        __builtin_memcpy(dst + f->have, p, take);
        f->have += (uint32_t)take;
        p += take;
        len -= take;
        if (f->have < f->need)
            break;
        enum rpc_err e = RPC_E_OK;
        if (f->phase == 0) {
            f->have = 0;
            e = frame_header(c);
        }
        if (e == RPC_E_OK && f->phase == 1 && f->have == f->need) {
            e = frame_table(c);
        } else if (e == RPC_E_OK && f->phase == 2) {
            struct rpc_inmsg *m = f->m;
            f->m = NULL;
            frame_reset(c);
            deliver(c, m);
        }
        if (e != RPC_E_OK)
            return e;
    }
    return c->broken ? c->status : RPC_E_OK;
}
