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
 * Otherwise ARENA_FULL.  Segments are limited to 2^29 words, the
 * far-pointer range.
 *
 * Replacing: nothing is ever freed, but an object a slot stops pointing to
 * (re-init, overwrite, clear, a capability stored over it) is zeroed, with
 * every object reachable from it and its far landing pads, as the
 * reference does: a message never carries bytes its author replaced.  The
 * old object is zeroed after the new content is written, so a source that
 * lies inside the old object (a copy of itself) is read before it goes.
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

/* Is [pos, pos+n) inside the used part of segment s? */
static bool in_used(const struct capnp_builder *b, uint32_t s, int64_t pos,
                    uint64_t n)
{
    return s < b->nsegs && pos >= 0 && (uint64_t)pos <= b->segs[s].used &&
           n <= b->segs[s].used - (uint64_t)pos;
}

static void zero_ref(struct capnp_builder *b, uint32_t s, int64_t at,
                     uint64_t w, int depth);

/* Zero the pointers (recursively) and then the words of an object. */
static void zero_words(struct capnp_builder *b, uint32_t s, int64_t pos,
                       uint64_t n, int64_t ptrs, uint32_t step,
                       uint32_t count, uint16_t nptrs, int depth)
{
    uint64_t *w = b->segs[s].words;

    for (uint32_t e = 0; e < count; e++)
        for (uint32_t i = 0; i < nptrs; i++) {
            int64_t at = ptrs + (int64_t)e * step + i;
            if (w[at])
                zero_ref(b, s, at, w[at], depth - 1);
        }
    if (n)
        __builtin_memset(w + pos, 0, (size_t)n * 8);
}

/*
 * Zero what pointer word `w` (stored at word `at` of segment s, or for a
 * far landing pad: describing the object) points to: the object, all it
 * references, and far landing pads.  The builder made every pointer, but
 * bounds are checked anyway; nesting past CAPNP_DEFAULT_NESTING records
 * NESTING_LIMIT and leaves the deeper objects in place.
 */
static void zero_ref(struct capnp_builder *b, uint32_t s, int64_t at,
                     uint64_t w, int depth)
{
    int64_t pos = at + 1 + wire_offset(w);
    uint64_t n, *sw;

    if (depth <= 0) {
        capnp_builder_fail(b, CAPNP_E_NESTING_LIMIT);
        return;
    }
    switch (wire_kind(w)) {
    case WIRE_STRUCT:
        n = (uint64_t)wire_dwords(w) + wire_nptrs(w);
        if (n && in_used(b, s, pos, n))
            zero_words(b, s, pos, n, pos + wire_dwords(w), 0, 1,
                       wire_nptrs(w), depth);
        return;
    case WIRE_LIST:
        if (wire_elem(w) == CAPNP_ELEM_COMPOSITE) {
            uint64_t tag;
            n = (uint64_t)wire_count(w) + 1;
            if (!in_used(b, s, pos, n))
                return;
            tag = b->segs[s].words[pos];
            zero_words(b, s, pos, n, pos + 1 + wire_dwords(tag),
                       (uint32_t)wire_dwords(tag) + wire_nptrs(tag),
                       wire_b(tag), wire_nptrs(tag), depth);
            return;
        }
        n = ((uint64_t)wire_count(w) * wire_elem_bits(wire_elem(w)) + 63) / 64;
        if (in_used(b, s, pos, n))
            zero_words(b, s, pos, n, pos, 1,
                       wire_elem(w) == CAPNP_ELEM_POINTER ? wire_count(w) : 0,
                       1, depth);
        return;
    case WIRE_FAR: {
        uint32_t t = wire_hi(w), pad = wire_far_pad(w);
        if (!in_used(b, t, pad, wire_far_double(w) ? 2 : 1))
            return;
        sw = b->segs[t].words;
        if (wire_far_double(w)) {
            uint32_t os = wire_hi(sw[pad]);
            if (in_used(b, os, wire_far_pad(sw[pad]), 0))
                zero_ref(b, os, (int64_t)wire_far_pad(sw[pad]) - 1,
                         sw[pad + 1], depth);
            sw[pad] = sw[pad + 1] = 0;
        } else {
            zero_ref(b, t, pad, sw[pad], depth);
            sw[pad] = 0;
        }
        return;
    }
    default:
        return; /* capability: no object */
    }
}

/* Zero the object an old slot value pointed to (after it was replaced). */
void capnp__zero_old(const struct capnp__old *old)
{
    if (old->b && old->w)
        zero_ref(old->b, old->seg, old->at, old->w, CAPNP_DEFAULT_NESTING);
}

/* Remember the slot's current value (to zero with capnp__zero_old). */
static void keep_old(const struct capnp_ptr_builder *pb,
                     struct capnp__old *old)
{
    old->b = NULL;
    old->w = 0;
    if (!pb->b || !pb->p || pb->seg >= pb->b->nsegs)
        return;
    old->b = pb->b;
    old->w = *pb->p;
    old->seg = pb->seg;
    old->at = pb->p - pb->b->segs[pb->seg].words;
}

/*
 * Allocate n words for the object of slot pb and point the slot at it with
 * `ref` (kind and sizes; offset filled in); the slot's previous value goes
 * to *old.  NULL on error (recorded; the slot is unchanged).
 */
static uint64_t *alloc_obj(const struct capnp_ptr_builder *pb, uint32_t n,
                           uint64_t ref, uint32_t *seg,
                           struct capnp__old *old)
{
    struct capnp_builder *b = pb->b;
    uint32_t pos, at;

    old->b = NULL;
    old->w = 0;
    if (!b || !pb->p || b->err != CAPNP_OK) {
        if (b && !pb->p)
            capnp_builder_fail(b, CAPNP_E_FIELD_RANGE);
        return NULL;
    }
    keep_old(pb, old);
    if (!seg_take(b, pb->seg, n, &pos)) {
        uint64_t *o = alloc_far(pb, n, ref, seg);
        if (!o)
            old->b = NULL;
        return o;
    }
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

/* capnp_ptr_init_struct, the slot's old value left in *old. */
struct capnp_struct_builder capnp__init_struct_keep(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs,
    struct capnp__old *old)
{
    struct capnp_struct_builder sb = {0};
    uint32_t seg;
    uint64_t *o = alloc_obj(pb, (uint32_t)data_words + nptrs,
                            wire_struct_ptr(0, data_words, nptrs), &seg, old);
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

/* Allocate a struct at a slot. */
struct capnp_struct_builder capnp_ptr_init_struct(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs)
{
    struct capnp__old old;
    struct capnp_struct_builder sb =
        capnp__init_struct_keep(pb, data_words, nptrs, &old);
    capnp__zero_old(&old);
    return sb;
}

/* capnp_ptr_init_list, the slot's old value left in *old. */
struct capnp_list_builder capnp__init_list_keep(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count,
    struct capnp__old *old)
{
    struct capnp_list_builder lb = {0};
    uint32_t bits = wire_elem_bits(elem), seg;
    uint64_t *o;

    old->b = NULL;
    if (elem >= CAPNP_ELEM_COMPOSITE || count > CAPNP_LIST_MAX_COUNT) {
        if (pb->b)
            capnp_builder_fail(pb->b, count > CAPNP_LIST_MAX_COUNT
                                          ? CAPNP_E_LIST_TOO_LONG
                                          : CAPNP_E_BAD_ARG);
        return lb;
    }
    o = alloc_obj(pb, (uint32_t)(((uint64_t)count * bits + 63) / 64),
                  wire_list_ptr(0, elem, count), &seg, old);
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

/* Allocate a list of non-struct elements. */
struct capnp_list_builder capnp_ptr_init_list(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count)
{
    struct capnp__old old;
    struct capnp_list_builder lb = capnp__init_list_keep(pb, elem, count, &old);
    capnp__zero_old(&old);
    return lb;
}

/* capnp_ptr_init_struct_list, the slot's old value left in *old. */
struct capnp_list_builder capnp__init_struct_list_keep(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs, struct capnp__old *old)
{
    struct capnp_list_builder lb = {0};
    uint64_t per = (uint64_t)data_words + nptrs, wc = per * count;
    uint32_t seg;
    uint64_t *o;

    old->b = NULL;
    if (wc > CAPNP_LIST_MAX_COUNT || count > CAPNP_LIST_MAX_COUNT) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_LIST_TOO_LONG);
        return lb;
    }
    o = alloc_obj(pb, (uint32_t)wc + 1,
                  wire_list_ptr(0, CAPNP_ELEM_COMPOSITE, (uint32_t)wc), &seg,
                  old);
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

/* Allocate an inline-composite list. */
struct capnp_list_builder capnp_ptr_init_struct_list(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs)
{
    struct capnp__old old;
    struct capnp_list_builder lb =
        capnp__init_struct_list_keep(pb, count, data_words, nptrs, &old);
    capnp__zero_old(&old);
    return lb;
}

/* Allocate a byte list of n bytes (+ nul) and copy src into it (src may
 * lie inside the object it replaces). */
static void set_bytes(const struct capnp_ptr_builder *pb, const void *src,
                      uint32_t n, uint32_t nul)
{
    struct capnp__old old;
    uint32_t seg;
    uint8_t *o;

    if (n > CAPNP_LIST_MAX_COUNT - nul) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_LIST_TOO_LONG);
        return;
    }
    o = (uint8_t *)alloc_obj(pb, (n + nul + 7) / 8,
                             wire_list_ptr(0, CAPNP_ELEM_BYTE, n + nul), &seg,
                             &old);
    if (o && n)
        __builtin_memcpy(o, src, n);
    capnp__zero_old(&old);
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

/* Make the slot null, zeroing what it pointed to. */
void capnp_ptr_clear(const struct capnp_ptr_builder *pb)
{
    struct capnp__old old;

    if (!pb->p)
        return;
    keep_old(pb, &old);
    *pb->p = 0;
    capnp__zero_old(&old);
}

/* Store an "other" pointer word, zeroing what the slot pointed to. */
void capnp__set_word(const struct capnp_ptr_builder *pb, uint64_t w)
{
    struct capnp__old old;

    keep_old(pb, &old);
    *pb->p = w;
    capnp__zero_old(&old);
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
