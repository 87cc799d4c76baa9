/* SPDX-License-Identifier: MIT */
/*
 * msg.c - setting up a capnp_msg for reading: segment-table framing, flat
 * single-segment buffers, caller-described segments and builders.
 *
 * Framing: u32 (segment count - 1), one u32 size (words) per segment, zero
 * padding to a word boundary, then the segments back to back.  All sizes
 * are summed in 64 bits against the buffer length, so no table can make a
 * segment reach past the buffer.  Buffers must be 8-byte aligned: views
 * then read words directly (MISALIGNED otherwise).
 */
#include <capnp/capnp.h>

#include "wire.h"

_Static_assert(CAPNP_FRAMED_MAX_SEGS <= CAPNP_MSG_MAX_SEGS * 64,
               "a table-mode lookup scans at most 64 sizes");

/* Record `e` unless an error is already recorded; returns the sticky one. */
enum capnp_err capnp_msg_fail(struct capnp_msg *msg, enum capnp_err e)
{
    if (msg->err == CAPNP_OK)
        msg->err = e;
    return msg->err;
}

/* Reset msg and apply options (NULL = defaults). */
static void msg_setup(struct capnp_msg *msg, const struct capnp_read_opts *o)
{
    static const struct capnp_read_opts defaults;
    if (!o)
        o = &defaults;
    msg->segs = msg->store;
    msg->bld = NULL;
    msg->table = NULL;
    msg->stride = 0;
    msg->nsegs = 0;
    msg->cap_count = o->cap_count;
    msg->traversal_left = o->traversal_limit ? o->traversal_limit
                                             : CAPNP_DEFAULT_TRAVERSAL;
    msg->nesting_limit = o->nesting_limit > 0 ? o->nesting_limit
                                              : CAPNP_DEFAULT_NESTING;
    msg->flags = o->flags;
    msg->bytes = 0;
    msg->err = CAPNP_OK;
}

/* Segment storage for a message: the caller's store or the inline one. */
static struct capnp_seg *msg_store(struct capnp_msg *msg,
                                   const struct capnp_read_opts *o,
                                   uint32_t *cap)
{
    if (o && o->seg_store && o->seg_store_len) {
        *cap = o->seg_store_len;
        return o->seg_store;
    }
    *cap = CAPNP_MSG_MAX_SEGS;
    return msg->store;
}

/* Parse the segment table; see the contract in capnp.h. */
enum capnp_err capnp_msg_init(struct capnp_msg *msg, const void *buf,
                              size_t len, const struct capnp_read_opts *opts)
{
    const uint8_t *b = buf;
    uint32_t first, cap, i, stride = 0;
    uint64_t n, off;
    struct capnp_seg *segs;

    msg_setup(msg, opts);
    if ((uintptr_t)buf & 7)
        return capnp_msg_fail(msg, CAPNP_E_MISALIGNED);
    if (len < 8)
        return capnp_msg_fail(msg, CAPNP_E_TRUNCATED_HEADER);
    __builtin_memcpy(&first, b, 4);
    n = (uint64_t)first + 1;
    segs = msg_store(msg, opts, &cap);
    if (n > cap && (segs != msg->store || n > CAPNP_FRAMED_MAX_SEGS))
        return capnp_msg_fail(msg, CAPNP_E_TOO_MANY_SEGMENTS);
    if (n > cap) /* table mode: checkpoint every stride-th segment */
        stride = (uint32_t)((n + CAPNP_MSG_MAX_SEGS - 1) / CAPNP_MSG_MAX_SEGS);
    off = (n / 2 + 1) * 8; /* 4 + 4n bytes rounded up to a word */
    if (len < off)
        return capnp_msg_fail(msg, CAPNP_E_TRUNCATED_HEADER);
    for (i = 0; i < n; i++) {
        uint32_t words, k = stride ? i / stride : i;
        __builtin_memcpy(&words, b + 4 + 4 * (size_t)i, 4);
        if ((uint64_t)words * 8 > len - off)
            return capnp_msg_fail(msg, CAPNP_E_TRUNCATED_SEGMENT);
        if (!stride || i % stride == 0) {
            segs[k].words = (const uint64_t *)(const void *)(b + off);
            segs[k].nwords = words;
        }
        off += (uint64_t)words * 8;
    }
    msg->stride = stride;
    msg->table = b + 4;
    msg->segs = segs;
    msg->nsegs = (uint32_t)n;
    msg->bytes = (size_t)off;
    return CAPNP_OK;
}

/* One bare segment; see the contract in capnp.h. */
enum capnp_err capnp_msg_init_flat(struct capnp_msg *msg, const void *buf,
                                   size_t len,
                                   const struct capnp_read_opts *opts)
{
    msg_setup(msg, opts);
    if ((uintptr_t)buf & 7)
        return capnp_msg_fail(msg, CAPNP_E_MISALIGNED);
    if (len & 7)
        return capnp_msg_fail(msg, CAPNP_E_SIZE_NOT_WORDS);
    if (len / 8 > UINT32_MAX)
        return capnp_msg_fail(msg, CAPNP_E_TRUNCATED_SEGMENT);
    msg->store[0].words = buf;
    msg->store[0].nwords = (uint32_t)(len / 8);
    msg->nsegs = 1;
    msg->bytes = len;
    return CAPNP_OK;
}

/* Caller-described segments; see the contract in capnp.h. */
enum capnp_err capnp_msg_init_segments(struct capnp_msg *msg,
                                       const struct capnp_seg *segs,
                                       uint32_t nsegs,
                                       const struct capnp_read_opts *opts)
{
    uint32_t i;

    msg_setup(msg, opts);
    if (nsegs == 0)
        return capnp_msg_fail(msg, CAPNP_E_TOO_MANY_SEGMENTS);
    for (i = 0; i < nsegs; i++) {
        if ((uintptr_t)segs[i].words & 7)
            return capnp_msg_fail(msg, CAPNP_E_MISALIGNED);
        msg->bytes += (size_t)segs[i].nwords * 8;
    }
    msg->segs = segs;
    msg->nsegs = nsegs;
    return CAPNP_OK;
}

/* Read a builder's current content in place (cap_count defaults to the
 * builder's cap-table length). */
enum capnp_err capnp_msg_init_builder(struct capnp_msg *msg,
                                      const struct capnp_builder *b,
                                      const struct capnp_read_opts *opts)
{
    uint32_t n = b->nsegs, i;

    while (n > 1 && bseg(b, n - 1)->used == 0)
        n--;
    msg_setup(msg, opts);
    if (!opts || !opts->cap_count)
        msg->cap_count = b->ncaps;
    for (i = 0; i < n; i++)
        msg->bytes += (size_t)bseg(b, i)->used * 8;
    if (n <= CAPNP_MSG_MAX_SEGS) { /* a snapshot: the builder may move */
        for (i = 0; i < n; i++) {
            msg->store[i].words = bseg(b, i)->words;
            msg->store[i].nwords = bseg(b, i)->used;
        }
    } else { /* more than the msg holds: read the builder live */
        msg->bld = b;
    }
    msg->nsegs = n;
    return CAPNP_OK;
}

/* Segment `id`; see the contract in capnp.h. */
bool capnp_msg_segment(const struct capnp_msg *msg, uint32_t id,
                       struct capnp_seg *out)
{
    struct capnp_seg s;
    uint32_t j;

    if (id >= msg->nsegs)
        return false;
    if (msg->bld) {
        out->words = bseg(msg->bld, id)->words;
        out->nwords = bseg(msg->bld, id)->used;
        return true;
    }
    if (!msg->stride) {
        *out = msg->segs[id];
        return true;
    }
    s = msg->segs[id / msg->stride];
    for (j = id - id % msg->stride; j < id; j++) {
        s.words += s.nwords;
        __builtin_memcpy(&s.nwords, msg->table + 4 * (size_t)(j + 1), 4);
    }
    *out = s;
    return true;
}

/* Root pointer slot; absent with NO_ROOT if segment 0 is empty. */
struct capnp_ptr capnp_msg_root_ptr(struct capnp_msg *msg)
{
    struct capnp_ptr p = {msg, NULL, NULL, 0, msg->nesting_limit};
    struct capnp_seg s0;

    if (msg->err != CAPNP_OK && msg->nsegs == 0)
        return p; /* init failed; its error is already recorded */
    if (!capnp_msg_segment(msg, 0, &s0) || s0.nwords == 0) {
        capnp_msg_fail(msg, CAPNP_E_NO_ROOT);
        return p;
    }
    p.seg_words = s0.words;
    p.seg_nwords = s0.nwords;
    p.p = s0.words;
    return p;
}

/* Root struct (empty view on error). */
struct capnp_struct capnp_msg_root(struct capnp_msg *msg)
{
    struct capnp_ptr p = capnp_msg_root_ptr(msg);
    return capnp_ptr_read_struct(&p, NULL);
}
