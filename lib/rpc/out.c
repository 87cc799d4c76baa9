/* SPDX-License-Identifier: MIT */
/*
 * out.c - outgoing messages: one builder arena per message (lim.out_words),
 * the payload cap table collected as references and written as
 * CapDescriptors at send time, and the small fixed messages (Finish,
 * Release, Unimplemented).  A message that could not be built is not sent;
 * exports added for it are undone.
 */
#include "internal.h"

/* A new outgoing message (arena of `nwords`) with an empty Message root;
 * NULL when out of memory. */
static struct rpc_out *out_new_sized(struct rpc_conn *c, uint32_t nwords)
{
    struct rpc_out *o = rpc_zalloc(c->vat, sizeof *o);
    if (!o)
        return NULL;
    o->nwords = nwords;
    o->maxcaps = c->lim.max_caps;
    /* the builder zeroes arena words as it allocates them */
    o->words = rpc_alloc_raw(c->vat, (size_t)o->nwords * 8);
    o->caps = rpc_zalloc(c->vat, o->maxcaps * sizeof *o->caps);
    o->exports = rpc_zalloc(c->vat, o->maxcaps * sizeof *o->exports);
    if (!o->words || !o->caps || !o->exports) {
        out_free(c, o);
        return NULL;
    }
    capnp_builder_init(&o->b, o->words, o->nwords);
    o->root = rpc_message_init_root(&o->b);
    return o;
}

/* A message with a payload (Call, Return): lim.out_words of arena. */
struct rpc_out *out_new(struct rpc_conn *c)
{
    return out_new_sized(c, c->lim.out_words);
}

/* A fixed-size message (Finish, Release, Abort, Disembargo). */
struct rpc_out *out_new_small(struct rpc_conn *c)
{
    return out_new_sized(c, RPC_SMALL_WORDS);
}

/* Free o and drop its cap references (NULL is fine). */
void out_free(struct rpc_conn *c, struct rpc_out *o)
{
    if (!o)
        return;
    if (o->caps)
        for (uint32_t i = 0; i < o->ncaps; i++)
            rpc_cap_unref(o->caps[i]);
    rpc_free(c->vat, o->words, (size_t)o->nwords * 8);
    rpc_free(c->vat, o->caps, o->maxcaps * sizeof *o->caps);
    rpc_free(c->vat, o->exports, o->maxcaps * sizeof *o->exports);
    rpc_free(c->vat, o, sizeof *o);
}

/* The Message root of o. */
rpc_message_b out_root(struct rpc_out *o)
{
    return o->root;
}

/* Append cap (reference taken) to the payload cap table; its index, or
 * CAPNP_CAP_NULL when the table is full. */
uint32_t out_add_cap(struct rpc_out *o, struct rpc_cap *cap)
{
    if (o->ncaps >= o->maxcaps) {
        o->fail = "too many capabilities in one message";
        return CAPNP_CAP_NULL;
    }
    o->caps[o->ncaps] = rpc_cap_ref(cap);
    return o->ncaps++;
}

/* Write o's cap table into payload p; local caps become exports (recorded
 * in o->exports).  Sets o->fail for caps that cannot be sent. */
void out_write_caps(struct rpc_conn *c, struct rpc_out *o, rpc_payload_b p)
{
    rpc_cap_descriptor_blist l = rpc_payload_init_cap_table(p, o->ncaps);
    for (uint32_t i = 0; i < o->ncaps && !o->fail; i++) {
        uint32_t id = UINT32_MAX;
        if (!cap_write_descriptor(c, o->caps[i],
                                  rpc_cap_descriptor_blist_at(l, i), &id))
            o->fail = "capability cannot be sent on this connection";
        if (id != UINT32_MAX)
            o->exports[o->nexports++] = id;
    }
}

/* Take back the export references o added (it was not sent). */
void out_undo_exports(struct rpc_conn *c, struct rpc_out *o)
{
    for (uint32_t i = 0; i < o->nexports; i++)
        exports_release(c, o->exports[i], 1);
    o->nexports = 0;
}

/* Frame and write o.  False (nothing or a broken connection) if o failed
 * to build or the connection is broken; exports are then undone. */
bool out_send(struct rpc_conn *c, struct rpc_out *o)
{
    uint8_t table[8 * 9];
    size_t tlen;
    if (c->broken || o->fail || capnp_builder_error(&o->b) != CAPNP_OK) {
        if (!o->fail)
            o->fail = c->broken ? "connection closed"
                                : "message does not fit the arena";
        out_undo_exports(c, o);
        return false;
    }
    tlen = capnp_builder_write_table(&o->b, table, sizeof table);
    if (tlen == 0 || c->t.write(c->t.ctx, table, tlen) != 0)
        goto fail;
    for (uint32_t i = 0; i < o->b.nsegs; i++)
        if (o->b.segs[i].used &&
            c->t.write(c->t.ctx, o->b.segs[i].words,
                       (size_t)o->b.segs[i].used * 8) != 0)
            goto fail;
    return true;
fail:
    conn_fail(c, RPC_E_TRANSPORT, "transport write failed");
    return false;
}

/* Send and free a fixed message; true if sent. */
static bool send_free(struct rpc_conn *c, struct rpc_out *o)
{
    bool ok = o && out_send(c, o);
    if (c && o)
        out_free(c, o);
    if (!o)
        conn_fail(c, RPC_E_NOMEM, "out of memory for a message");
    return ok;
}

void send_finish(struct rpc_conn *c, uint32_t qid, bool release_caps)
{
    struct rpc_out *o;
    if (c->broken)
        return;
    o = out_new_small(c);
    if (o) {
        rpc_finish_b f = rpc_message_init_finish(out_root(o));
        rpc_finish_set_question_id(f, qid);
        rpc_finish_set_release_result_caps(f, release_caps);
    }
    send_free(c, o);
}

void send_release(struct rpc_conn *c, uint32_t id, uint32_t count)
{
    struct rpc_out *o;
    if (c->broken)
        return;
    o = out_new_small(c);
    if (o) {
        rpc_release_b r = rpc_message_init_release(out_root(o));
        rpc_release_set_id(r, id);
        rpc_release_set_reference_count(r, count);
    }
    send_free(c, o);
}

/* Echo m back as Message.unimplemented (the spec's answer to a message
 * kind we do not implement). */
void send_unimplemented(struct rpc_conn *c, struct rpc_inmsg *m)
{
    struct rpc_out *o = out_new(c);
    if (o) {
        rpc_message_r r = rpc_message_read_root(&m->msg);
        rpc_message_set_unimplemented(out_root(o), r);
        if (capnp_msg_error(&m->msg) != CAPNP_OK)
            o->fail = "malformed message";
        if (o->fail || capnp_builder_error(&o->b) != CAPNP_OK) {
            out_free(c, o);
            conn_protocol_error(c, "unimplemented message kind (too large "
                                   "to echo)");
            return;
        }
    }
    send_free(c, o);
}
