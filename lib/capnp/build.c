/* SPDX-License-Identifier: MIT */
/*
 * build.c - building a message in caller-provided segments.
 *
 * Allocation is a bump pointer per segment; words are zeroed as they are
 * handed out (the caller's memory may hold garbage).  An object for a
 * pointer slot goes, in order of preference:
 *   1. into the slot's own segment: a near pointer;
 *   2. into another segment with room for the object plus a one-word
 *      landing pad in front of it: a single far pointer;
 *   3. into one segment, with a two-word landing pad in another: a
 *      double-far pointer (pad = far pointer to the object + tag word).
 * Otherwise ARENA_FULL.  Nothing is ever freed; re-initialising a pointer
 * leaves the old object unreachable (zeroed on allocation, so no stale data
 * is sent).  Segments are limited to 2^29 words, the far-pointer range.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Record `e` unless an error is already recorded; returns the sticky one. */
enum capnp_err capnp_builder_fail(struct capnp_builder *b, enum capnp_err e)
{
    if (b->err == CAPNP_OK)
        b->err = e;
    return b->err;
}

/* Start a message; see the contract in capnp.h. */
void capnp_builder_init(struct capnp_builder *b, uint64_t *words,
                        uint32_t nwords)
{
    __builtin_memset(b, 0, sizeof *b);
    if ((uintptr_t)words & 7) {
        capnp_builder_fail(b, CAPNP_E_MISALIGNED);
        nwords = 0;
    }
    b->nsegs = 1;
    b->segs[0].words = words;
    b->segs[0].nwords = nwords < WIRE_MAX_SEG_WORDS ? nwords
                                                    : WIRE_MAX_SEG_WORDS;
    if (b->segs[0].nwords > 0) {
        words[0] = 0;
        b->segs[0].used = 1;
    }
}

/* Offer one more segment; see the contract in capnp.h. */
enum capnp_err capnp_builder_add_segment(struct capnp_builder *b,
                                         uint64_t *words, uint32_t nwords)
{
    struct capnp_bseg *s;

    if ((uintptr_t)words & 7)
        return CAPNP_E_MISALIGNED;
    if (b->nsegs >= CAPNP_BUILDER_MAX_SEGS)
        return CAPNP_E_TOO_MANY_SEGMENTS;
    s = &b->segs[b->nsegs++];
    s->words = words;
    s->nwords = nwords < WIRE_MAX_SEG_WORDS ? nwords : WIRE_MAX_SEG_WORDS;
    s->used = 0;
    return CAPNP_OK;
}

/* Give the capability table; see the contract in capnp.h. */
void capnp_builder_set_cap_table(struct capnp_builder *b, uint64_t *table,
                                 uint32_t max)
{
    b->caps = table;
    b->caps_max = table ? max : 0;
    b->ncaps = 0;
}

/* Take n zeroed words from segment s at *pos; false if it has no room. */
static bool seg_take(struct capnp_builder *b, uint32_t s, uint32_t n,
                     uint32_t *pos)
{
    struct capnp_bseg *g = &b->segs[s];

    if (n > g->nwords - g->used)
        return false;
    *pos = g->used;
    g->used += n;
    if (n <= 4) { /* small objects (most): no call */
        uint64_t *w = g->words + *pos;
        for (uint32_t i = 0; i < n; i++)
            w[i] = 0;
    } else {
        __builtin_memset(g->words + *pos, 0, (size_t)n * 8);
    }
    return true;
}

/* Index of the first segment with n free words, or nsegs. */
static uint32_t seg_find(const struct capnp_builder *b, uint64_t n)
{
    uint32_t i;

    for (i = 0; i < b->nsegs; i++)
        if (n <= (uint64_t)b->segs[i].nwords - b->segs[i].used)
            return i;
    return b->nsegs;
}

/* Place the object via a single- or double-far pointer; see file top. */
static uint64_t *alloc_far(const struct capnp_ptr_builder *pb, uint32_t n,
                           uint64_t ref, uint32_t *seg)
{
    struct capnp_builder *b = pb->b;
    uint32_t s = seg_find(b, (uint64_t)n + 1), pad, obj, t;

    if (s < b->nsegs && seg_take(b, s, n + 1, &pad)) {
        b->segs[s].words[pad] = wire_with_offset(ref, 0);
        *pb->p = wire_far_ptr(false, pad, s);
        *seg = s;
        return b->segs[s].words + pad + 1;
    }
    s = seg_find(b, n);
    if (s >= b->nsegs || !seg_take(b, s, n, &obj))
        goto full;
    t = seg_find(b, 2);
    if (t >= b->nsegs || !seg_take(b, t, 2, &pad)) {
        b->segs[s].used -= n; /* give the object words back */
        goto full;
    }
    b->segs[t].words[pad] = wire_far_ptr(false, obj, s);
    b->segs[t].words[pad + 1] = wire_with_offset(ref, 0);
    *pb->p = wire_far_ptr(true, pad, t);
    *seg = s;
    return b->segs[s].words + obj;
full:
    capnp_builder_fail(b, CAPNP_E_ARENA_FULL);
    return NULL;
}

/*
 * Allocate n words for the object of slot pb and point the slot at it with
 * `ref` (kind and sizes; offset filled in).  NULL on error (recorded).
 */
static uint64_t *alloc_obj(const struct capnp_ptr_builder *pb, uint32_t n,
                           uint64_t ref, uint32_t *seg)
{
    struct capnp_builder *b = pb->b;
    uint32_t pos, at;

    if (!b || !pb->p || b->err != CAPNP_OK) {
        if (b && !pb->p)
            capnp_builder_fail(b, CAPNP_E_FIELD_RANGE);
        return NULL;
    }
    if (!seg_take(b, pb->seg, n, &pos))
        return alloc_far(pb, n, ref, seg);
    at = (uint32_t)(pb->p - b->segs[pb->seg].words);
    /* A zero-sized struct still needs a non-null pointer: offset -1. */
    if (n == 0 && wire_kind(ref) == WIRE_STRUCT)
        *pb->p = wire_with_offset(ref, -1);
    else
        *pb->p = wire_with_offset(ref, (int32_t)((int64_t)pos - at - 1));
    *seg = pb->seg;
    return b->segs[pb->seg].words + pos;
}

/* The root pointer slot. */
struct capnp_ptr_builder capnp_builder_root_ptr(struct capnp_builder *b)
{
    struct capnp_ptr_builder pb = {b, NULL, 0};

    if (b->segs[0].used == 0)
        capnp_builder_fail(b, CAPNP_E_ARENA_FULL);
    else
        pb.p = b->segs[0].words;
    return pb;
}

/* Allocate the root struct. */
struct capnp_struct_builder capnp_builder_init_root(struct capnp_builder *b,
                                                    uint16_t data_words,
                                                    uint16_t nptrs)
{
    struct capnp_ptr_builder pb = capnp_builder_root_ptr(b);
    return capnp_ptr_init_struct(&pb, data_words, nptrs);
}

/* Allocate a struct at a slot. */
struct capnp_struct_builder capnp_ptr_init_struct(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs)
{
    struct capnp_struct_builder sb = {0};
    uint32_t seg;
    uint64_t *o = alloc_obj(pb, (uint32_t)data_words + nptrs,
                            wire_struct_ptr(0, data_words, nptrs), &seg);
    if (!o)
        return sb;
    sb.b = pb->b;
    sb.data = (uint8_t *)o;
    sb.ptrs = o + data_words;
    sb.seg = seg;
    sb.data_bytes = (uint32_t)data_words * 8;
    sb.nptrs = nptrs;
    return sb;
}

/* Allocate a list of non-struct elements. */
struct capnp_list_builder capnp_ptr_init_list(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count)
{
    struct capnp_list_builder lb = {0};
    uint32_t bits = wire_elem_bits(elem), seg;
    uint64_t *o;

    if (elem >= CAPNP_ELEM_COMPOSITE || count > CAPNP_LIST_MAX_COUNT) {
        if (pb->b)
            capnp_builder_fail(pb->b, count > CAPNP_LIST_MAX_COUNT
                                          ? CAPNP_E_LIST_TOO_LONG
                                          : CAPNP_E_BAD_ARG);
        return lb;
    }
    o = alloc_obj(pb, (uint32_t)(((uint64_t)count * bits + 63) / 64),
                  wire_list_ptr(0, elem, count), &seg);
    if (!o)
        return lb;
    lb.b = pb->b;
    lb.start = (uint8_t *)o;
    lb.seg = seg;
    lb.count = count;
    lb.step_bits = bits;
    lb.data_bits = elem == CAPNP_ELEM_POINTER ? 0 : bits;
    lb.nptrs = elem == CAPNP_ELEM_POINTER;
    lb.elem = (uint8_t)elem;
    return lb;
}

/* Allocate an inline-composite list. */
struct capnp_list_builder capnp_ptr_init_struct_list(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs)
{
    struct capnp_list_builder lb = {0};
    uint64_t per = (uint64_t)data_words + nptrs, wc = per * count;
    uint32_t seg;
    uint64_t *o;

    if (wc > CAPNP_LIST_MAX_COUNT || count > CAPNP_LIST_MAX_COUNT) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_LIST_TOO_LONG);
        return lb;
    }
    o = alloc_obj(pb, (uint32_t)wc + 1,
                  wire_list_ptr(0, CAPNP_ELEM_COMPOSITE, (uint32_t)wc), &seg);
    if (!o)
        return lb;
    o[0] = wire_struct_ptr((int32_t)count, data_words, nptrs);
    lb.b = pb->b;
    lb.start = (uint8_t *)(o + 1);
    lb.seg = seg;
    lb.count = count;
    lb.step_bits = (uint32_t)per * 64;
    lb.data_bits = (uint32_t)data_words * 64;
    lb.nptrs = nptrs;
    lb.elem = CAPNP_ELEM_COMPOSITE;
    return lb;
}

/* Allocate a byte list of n bytes (+ nul) and copy src into it. */
static void set_bytes(const struct capnp_ptr_builder *pb, const void *src,
                      uint32_t n, uint32_t nul)
{
    uint32_t seg;
    uint8_t *o;

    if (n > CAPNP_LIST_MAX_COUNT - nul) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_LIST_TOO_LONG);
        return;
    }
    o = (uint8_t *)alloc_obj(pb, (n + nul + 7) / 8,
                             wire_list_ptr(0, CAPNP_ELEM_BYTE, n + nul), &seg);
    if (o && n)
        __builtin_memcpy(o, src, n);
}

/* Store a copy of text s[len] plus a NUL. */
void capnp_ptr_set_text(const struct capnp_ptr_builder *pb, const char *s,
                        uint32_t len)
{
    set_bytes(pb, s, len, 1);
}

/* Store a copy of data d[len]. */
void capnp_ptr_set_data(const struct capnp_ptr_builder *pb, const void *d,
                        uint32_t len)
{
    set_bytes(pb, d, len, 0);
}

/* Text field i. */
void capnp_set_text(const struct capnp_struct_builder *sb, uint32_t i,
                    const char *s, uint32_t len)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    capnp_ptr_set_text(&pb, s, len);
}

/* Data field i. */
void capnp_set_data(const struct capnp_struct_builder *sb, uint32_t i,
                    const void *d, uint32_t len)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    capnp_ptr_set_data(&pb, d, len);
}
