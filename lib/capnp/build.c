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
    b->nsegs = 0;
    b->ncaps = 0;
    b->caps_max = 0;
    b->caps = NULL;
    b->err = CAPNP_OK;
    b->ext = NULL;
    b->segs_max = CAPNP_BUILDER_MAX_SEGS;
    if ((uintptr_t)words & 7) {
        capnp_builder_fail(b, CAPNP_E_MISALIGNED);
        nwords = 0;
    }
    b->nsegs = 1;
    bseg(b, 0)->used = 0;
    bseg(b, 0)->words = words;
    bseg(b, 0)->nwords = nwords < WIRE_MAX_SEG_WORDS ? nwords
                                                    : WIRE_MAX_SEG_WORDS;
    if (bseg(b, 0)->nwords > 0) {
        words[0] = 0;
        bseg(b, 0)->used = 1;
    }
}

/* Offer one more segment; see the contract in capnp.h. */
enum capnp_err capnp_builder_add_segment(struct capnp_builder *b,
                                         uint64_t *words, uint32_t nwords)
{
    struct capnp_bseg *s;

    if ((uintptr_t)words & 7)
        return CAPNP_E_MISALIGNED;
    if (b->nsegs >= b->segs_max)
        return CAPNP_E_TOO_MANY_SEGMENTS;
    s = bseg(b, b->nsegs++);
    s->words = words;
    s->nwords = nwords < WIRE_MAX_SEG_WORDS ? nwords : WIRE_MAX_SEG_WORDS;
    s->used = 0;
    return CAPNP_OK;
}

/* Describe segments 16.. in the caller's store; see capnp.h. */
enum capnp_err capnp_builder_set_seg_store(struct capnp_builder *b,
                                           struct capnp_bseg *store,
                                           uint32_t n)
{
    uint32_t used = b->nsegs > CAPNP_BUILDER_MAX_SEGS
                        ? b->nsegs - CAPNP_BUILDER_MAX_SEGS : 0;

    if (!store || n < used || n > UINT32_MAX - CAPNP_BUILDER_MAX_SEGS)
        return CAPNP_E_BAD_ARG;
    for (uint32_t i = 0; i < used; i++)
        store[i] = b->ext[i];
    b->ext = store;
    b->segs_max = CAPNP_BUILDER_MAX_SEGS + n;
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

/* Zero n words at w (n is usually small: plain stores below 9 words). */
static inline void zero_n(uint64_t *w, uint32_t n)
{
    switch (n) {
    case 8: w[7] = 0; /* fall through */
    case 7: w[6] = 0; /* fall through */
    case 6: w[5] = 0; /* fall through */
    case 5: w[4] = 0; /* fall through */
    case 4: w[3] = 0; /* fall through */
    case 3: w[2] = 0; /* fall through */
    case 2: w[1] = 0; /* fall through */
    case 1: w[0] = 0; /* fall through */
    case 0: break;
    default: __builtin_memset(w, 0, (size_t)n * 8);
    }
}

/* Take n zeroed words from segment s at *pos; false if it has no room. */
static inline bool seg_take(struct capnp_builder *b, uint32_t s, uint32_t n,
                            uint32_t *pos)
{
    struct capnp_bseg *g = bseg(b, s);

    if (n > g->nwords - g->used)
        return false;
    *pos = g->used;
    g->used += n;
    zero_n(g->words + *pos, n);
    return true;
}

/* Index of the first segment with n free words, or nsegs. */
static uint32_t seg_find(const struct capnp_builder *b, uint64_t n)
{
    uint32_t i;

    for (i = 0; i < b->nsegs; i++)
        if (n <= (uint64_t)bseg(b, i)->nwords - bseg(b, i)->used)
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
        bseg(b, s)->words[pad] = wire_with_offset(ref, 0);
        *pb->p = wire_far_ptr(false, pad, s);
        *seg = s;
        return bseg(b, s)->words + pad + 1;
    }
    s = seg_find(b, n);
    if (s >= b->nsegs || !seg_take(b, s, n, &obj))
        goto full;
    t = seg_find(b, 2);
    if (t >= b->nsegs || !seg_take(b, t, 2, &pad)) {
        bseg(b, s)->used -= n; /* give the object words back */
        goto full;
    }
    bseg(b, t)->words[pad] = wire_far_ptr(false, obj, s);
    bseg(b, t)->words[pad + 1] = wire_with_offset(ref, 0);
    *pb->p = wire_far_ptr(true, pad, t);
    *seg = s;
    return bseg(b, s)->words + obj;
full:
    capnp_builder_fail(b, CAPNP_E_ARENA_FULL);
    return NULL;
}

/* Remember the slot's current value (to zero with capnp__zero_old). */
static inline void keep_old(const struct capnp_ptr_builder *pb,
                            struct capnp__old *old)
{
    old->w = *pb->p;
    old->b = NULL;
    if (old->w && pb->b && pb->seg < pb->b->nsegs) {
        old->b = pb->b;
        old->seg = pb->seg;
        old->at = pb->p - bseg(pb->b, pb->seg)->words;
    }
}

/* The error path of alloc_obj: nothing allocated, nothing to zero. */
static uint64_t *alloc_fail(const struct capnp_ptr_builder *pb,
                            struct capnp__old *old)
{
    old->b = NULL;
    old->w = 0;
    if (pb->b && !pb->p)
        capnp_builder_fail(pb->b, CAPNP_E_FIELD_RANGE);
    return NULL;
}

/*
 * Allocate n words for the object of slot pb and point the slot at it with
 * `ref` (kind and sizes; offset filled in); the slot's previous value goes
 * to *old.  NULL on error (recorded; the slot is unchanged).  The near
 * case (the common one) is inlined into each caller.
 */
static inline __attribute__((always_inline)) uint64_t *alloc_obj_z(
    const struct capnp_ptr_builder *pb, uint32_t n, uint64_t ref,
    uint32_t *seg, struct capnp__old *old, bool zero)
{
    struct capnp_builder *b = pb->b;
    struct capnp_bseg *g;
    uint64_t *o;
    uint32_t pos;
    int64_t off;

    if (__builtin_expect(!b || !pb->p || b->err != CAPNP_OK, 0))
        return alloc_fail(pb, old);
    keep_old(pb, old);
    g = bseg(b, pb->seg);
    if (__builtin_expect(n > g->nwords - g->used, 0)) {
        o = alloc_far(pb, n, ref, seg);
        if (!o)
            old->b = NULL;
        return o;
    }
    pos = g->used;
    g->used = pos + n;
    o = g->words + pos;
    if (zero)
        zero_n(o, n);
    else if (n)
        o[n - 1] = 0; /* the caller fills all words before the last */
    off = o - pb->p - 1;
    /* A zero-sized struct still needs a non-null pointer: offset -1. */
    if (n == 0 && wire_kind(ref) == WIRE_STRUCT)
        off = -1;
    *pb->p = wire_with_offset(ref, (int32_t)off);
    *seg = pb->seg;
    return o;
}

/* alloc_obj_z with the object zeroed. */
static inline __attribute__((always_inline)) uint64_t *alloc_obj(
    const struct capnp_ptr_builder *pb, uint32_t n, uint64_t ref,
    uint32_t *seg, struct capnp__old *old)
{
    return alloc_obj_z(pb, n, ref, seg, old, true);
}

/* The root pointer slot. */
struct capnp_ptr_builder capnp_builder_root_ptr(struct capnp_builder *b)
{
    struct capnp_ptr_builder pb = {b, NULL, 0};

    if (bseg(b, 0)->used == 0)
        capnp_builder_fail(b, CAPNP_E_ARENA_FULL);
    else
        pb.p = bseg(b, 0)->words;
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

/* The struct allocation of every init_struct path (old value in *old). */
static inline __attribute__((always_inline)) struct capnp_struct_builder
init_struct_core(
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
        init_struct_core(pb, data_words, nptrs, &old);
    if (old.w)
        capnp__zero_old(&old);
    return sb;
}

/* The list allocation of every init_list path (old value in *old). */
static inline __attribute__((always_inline)) struct capnp_list_builder
init_list_core(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count,
    struct capnp__old *old)
{
    struct capnp_list_builder lb = {0};
    uint32_t bits = wire_elem_bits(elem), seg;
    uint64_t *o;

    old->b = NULL;
    old->w = 0;
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
    struct capnp_list_builder lb = init_list_core(pb, elem, count, &old);
    if (old.w)
        capnp__zero_old(&old);
    return lb;
}

/* The allocation of every init_struct_list path (old value in *old). */
static inline __attribute__((always_inline)) struct capnp_list_builder
init_struct_list_core(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs, struct capnp__old *old)
{
    struct capnp_list_builder lb = {0};
    uint64_t per = (uint64_t)data_words + nptrs, wc = per * count;
    uint32_t seg;
    uint64_t *o;

    old->b = NULL;
    old->w = 0;
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
        init_struct_list_core(pb, count, data_words, nptrs, &old);
    if (old.w)
        capnp__zero_old(&old);
    return lb;
}

/* The capnp__*_keep entry points of copy.c (see wire.h). */
struct capnp_struct_builder capnp__init_struct_keep(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs,
    struct capnp__old *old)
{
    return init_struct_core(pb, data_words, nptrs, old);
}

struct capnp_list_builder capnp__init_list_keep(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count,
    struct capnp__old *old)
{
    return init_list_core(pb, elem, count, old);
}

struct capnp_list_builder capnp__init_struct_list_keep(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs, struct capnp__old *old)
{
    return init_struct_list_core(pb, count, data_words, nptrs, old);
}

/* Struct field i: capnp_ptr_init_struct on its slot. */
struct capnp_struct_builder capnp_init_struct(
    const struct capnp_struct_builder *sb, uint32_t i, uint16_t data_words,
    uint16_t nptrs)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    struct capnp__old old;
    struct capnp_struct_builder r = init_struct_core(&pb, data_words, nptrs,
                                                     &old);
    if (old.w)
        capnp__zero_old(&old);
    return r;
}

/* List field i: capnp_ptr_init_list on its slot. */
struct capnp_list_builder capnp_init_list(const struct capnp_struct_builder *sb,
                                          uint32_t i, enum capnp_elem elem,
                                          uint32_t count)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    struct capnp__old old;
    struct capnp_list_builder r = init_list_core(&pb, elem, count, &old);
    if (old.w)
        capnp__zero_old(&old);
    return r;
}

/* Struct-list field i: capnp_ptr_init_struct_list on its slot. */
struct capnp_list_builder capnp_init_struct_list(
    const struct capnp_struct_builder *sb, uint32_t i, uint32_t count,
    uint16_t data_words, uint16_t nptrs)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    struct capnp__old old;
    struct capnp_list_builder r = init_struct_list_core(&pb, count, data_words,
                                                        nptrs, &old);
    if (old.w)
        capnp__zero_old(&old);
    return r;
}

/* memcpy(o, src, n) without a call for n <= 32: overlapping 8/4/2/1-byte
 * moves that never read outside src[0..n). */
static inline void copy_small(uint8_t *o, const uint8_t *src, uint32_t n)
{
    uint64_t a, z;
    uint32_t c, d;
    uint16_t x, y;

    if (n > 32) {
        __builtin_memcpy(o, src, n);
    } else if (n >= 8) {
        for (uint32_t i = 0; i + 8 < n; i += 8) {
            __builtin_memcpy(&a, src + i, 8);
            __builtin_memcpy(o + i, &a, 8);
        }
        __builtin_memcpy(&z, src + n - 8, 8);
        __builtin_memcpy(o + n - 8, &z, 8);
    } else if (n >= 4) {
        __builtin_memcpy(&c, src, 4);
        __builtin_memcpy(&d, src + n - 4, 4);
        __builtin_memcpy(o, &c, 4);
        __builtin_memcpy(o + n - 4, &d, 4);
    } else if (n >= 2) {
        __builtin_memcpy(&x, src, 2);
        __builtin_memcpy(&y, src + n - 2, 2);
        __builtin_memcpy(o, &x, 2);
        __builtin_memcpy(o + n - 2, &y, 2);
    } else if (n == 1) {
        o[0] = src[0];
    }
}

/* Allocate a byte list of n bytes (+ nul) and copy src into it (src may
 * lie inside the object it replaces). */
static inline __attribute__((always_inline)) void set_bytes(
    const struct capnp_ptr_builder *pb, const void *src, uint32_t n,
    uint32_t nul)
{
    struct capnp__old old;
    uint32_t seg;
    uint8_t *o;

    if (n > CAPNP_LIST_MAX_COUNT - nul) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_LIST_TOO_LONG);
        return;
    }
    o = (uint8_t *)alloc_obj_z(pb, (n + nul + 7) / 8,
                               wire_list_ptr(0, CAPNP_ELEM_BYTE, n + nul),
                               &seg, &old, false);
    if (o)
        copy_small(o, src, n);
    if (old.w)
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
    if (old.w)
        capnp__zero_old(&old);
}

/* Store an "other" pointer word, zeroing what the slot pointed to. */
void capnp__set_word(const struct capnp_ptr_builder *pb, uint64_t w)
{
    struct capnp__old old;

    keep_old(pb, &old);
    *pb->p = w;
    if (old.w)
        capnp__zero_old(&old);
}

/* Text field i. */
void capnp_set_text(const struct capnp_struct_builder *sb, uint32_t i,
                    const char *s, uint32_t len)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    set_bytes(&pb, s, len, 1);
}

/* Data field i. */
void capnp_set_data(const struct capnp_struct_builder *sb, uint32_t i,
                    const void *d, uint32_t len)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    set_bytes(&pb, d, len, 0);
}
