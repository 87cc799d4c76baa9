/* SPDX-License-Identifier: MIT */
/*
 * zero.c - zeroing what a builder slot stopped pointing to.
 *
 * When a setter replaces a pointer (re-init, overwrite, clear, a
 * capability stored over an object), the old object, everything reachable
 * from it and its far landing pads are zeroed, as the reference does: a
 * message never carries bytes its author replaced.  The builder made every
 * pointer it follows here, but each object is still checked to lie inside
 * the used part of its segment; nesting deeper than CAPNP_DEFAULT_NESTING
 * records NESTING_LIMIT and leaves the deeper objects in place.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Is [pos, pos+n) inside the used part of segment s? */
static bool in_used(const struct capnp_builder *b, uint32_t s, int64_t pos,
                    uint64_t n)
{
    return s < b->nsegs && pos >= 0 && (uint64_t)pos <= bseg(b, s)->used &&
           n <= bseg(b, s)->used - (uint64_t)pos;
}

static void zero_ref(struct capnp_builder *b, uint32_t s, int64_t at,
                     uint64_t w, int depth);

/* Zero the pointers (recursively) and then the words of an object. */
static void zero_words(struct capnp_builder *b, uint32_t s, int64_t pos,
                       uint64_t n, int64_t ptrs, uint32_t step,
                       uint32_t count, uint16_t nptrs, int depth)
{
    uint64_t *w = bseg(b, s)->words;

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
            tag = bseg(b, s)->words[pos];
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
        sw = bseg(b, t)->words;
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

