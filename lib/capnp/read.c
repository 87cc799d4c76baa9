/* SPDX-License-Identifier: MIT */
/*
 * read.c - following pointers of a message being read.
 *
 * Every pointer read goes through resolve(): it follows a far pointer (one
 * hop to a landing pad, or the two-word pad of a double-far) and yields the
 * segment, the effective struct/list/other word and the word index where
 * the object starts.  Object bounds are then checked with 64-bit signed
 * word indices (no pointer arithmetic before the check).
 *
 * Limits, as the C++ reference applies them:
 *  - traversal: each struct or list read charges its size in words to
 *    msg->traversal_left (an inline-composite list also its tag; a list
 *    of zero-sized elements one word per element), so aliased or cyclic
 *    pointers cannot amplify work beyond the budget;
 *  - nesting: each view carries the depth budget left; reading an object
 *    through a pointer needs depth > 0 and gives the object depth - 1.
 * A failed read records the first error in the msg and returns the
 * caller's default (the schema default), as a null pointer would, the way
 * the reference does in its non-throwing mode; the msg may be NULL for
 * views of defaults.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Effective pointer after following fars. */
struct ref {
    struct capnp_seg seg;
    uint64_t w;
    int64_t target; /* word index of the object in seg */
};

/* Record an error if there is a message to record it in. */
static void fail(struct capnp_msg *m, enum capnp_err e)
{
    if (m)
        capnp_msg_fail(m, e);
}

/* Charge `words` of traversal; false (TRAVERSAL_LIMIT) if over budget. */
static bool charge(struct capnp_msg *m, uint64_t words)
{
    if (!m)
        return true;
    if (words > m->traversal_left) {
        m->traversal_left = 0;
        capnp_msg_fail(m, CAPNP_E_TRAVERSAL_LIMIT);
        return false;
    }
    m->traversal_left -= words;
    return true;
}

/* Segment `id` of m into *s; false (FAR_SEGMENT) if missing. */
static bool far_seg(struct capnp_msg *m, uint32_t id, struct capnp_seg *s)
{
    if (!m || !capnp_msg_segment(m, id, s)) {
        fail(m, CAPNP_E_FAR_SEGMENT);
        return false;
    }
    return true;
}

/* Resolve a double-far landing pad at seg[pad..pad+1]. */
static bool resolve_double(struct capnp_msg *m, const struct capnp_seg *seg,
                           uint32_t pad, struct ref *r)
{
    uint64_t far = seg->words[pad], tag = seg->words[pad + 1];
    struct capnp_seg s;

    if (wire_kind(far) != WIRE_FAR || wire_far_double(far) ||
        wire_kind(tag) == WIRE_FAR || wire_kind(tag) == WIRE_OTHER ||
        wire_offset(tag) != 0) {
        fail(m, CAPNP_E_DOUBLE_FAR_PAD);
        return false;
    }
    if (!far_seg(m, wire_hi(far), &s))
        return false;
    r->seg = s;
    r->w = tag;
    r->target = wire_far_pad(far);
    return true;
}

/* Follow the pointer at p (in segment words[nwords]); false with the
 * error recorded. */
static bool resolve(struct capnp_msg *m, const uint64_t *words,
                    uint32_t nwords, const uint64_t *p, struct ref *r)
{
    uint64_t w = *p;
    uint32_t pos = (uint32_t)(p - words), pad;
    struct capnp_seg s;

    if (wire_kind(w) != WIRE_FAR) {
        r->seg.words = words;
        r->seg.nwords = nwords;
        r->w = w;
        r->target = (int64_t)pos + 1 + wire_offset(w);
        return true;
    }
    if (m && (m->flags & CAPNP_READ_NO_FAR)) {
        fail(m, CAPNP_E_FAR_FORBIDDEN);
        return false;
    }
    if (!far_seg(m, wire_hi(w), &s))
        return false;
    pad = wire_far_pad(w);
    if ((uint64_t)pad + (wire_far_double(w) ? 2 : 1) > s.nwords) {
        fail(m, CAPNP_E_FAR_OUT_OF_BOUNDS);
        return false;
    }
    if (wire_far_double(w))
        return resolve_double(m, &s, pad, r);
    r->w = s.words[pad];
    if (wire_kind(r->w) == WIRE_FAR) {
        fail(m, CAPNP_E_FAR_TO_FAR);
        return false;
    }
    r->seg = s;
    r->target = (int64_t)pad + 1 + wire_offset(r->w);
    return true;
}

/* Is [target, target+words) inside seg? */
static bool in_seg(const struct capnp_seg *seg, int64_t target,
                   uint64_t words)
{
    return target >= 0 && (uint64_t)target <= seg->nwords &&
           words <= seg->nwords - (uint64_t)target;
}

/* Resolve a non-null slot after the nesting check; false on error. */
static bool slot_ref(const struct capnp_ptr *p, struct ref *r)
{
    if (p->depth <= 0) {
        fail(p->msg, CAPNP_E_NESTING_LIMIT);
        return false;
    }
    return resolve(p->msg, p->seg_words, p->seg_nwords, p->p, r);
}

/* A slot reading a flat default message (trusted; fresh depth budget). */
static struct capnp_ptr default_slot(const struct capnp_ptr *p,
                                     const struct capnp_seg *def)
{
    struct capnp_ptr d = {p->msg, NULL, NULL, 0, CAPNP_DEFAULT_NESTING};
    if (def && def->nwords > 0 && def->words[0] != 0) {
        d.seg_words = def->words;
        d.seg_nwords = def->nwords;
        d.p = def->words;
    }
    return d;
}

/* Kind of the pointer in a slot, following far pointers. */
enum capnp_ptr_kind capnp_ptr_kind(const struct capnp_ptr *p)
{
    struct ref r;

    if (!p->p || *p->p == 0)
        return CAPNP_PTR_NULL;
    if (!resolve(p->msg, p->seg_words, p->seg_nwords, p->p, &r))
        return CAPNP_PTR_INVALID;
    switch (wire_kind(r.w)) {
    case WIRE_STRUCT:
        return CAPNP_PTR_STRUCT;
    case WIRE_LIST:
        return CAPNP_PTR_LIST;
    default:
        if (wire_b(r.w) == 0)
            return CAPNP_PTR_CAP;
        fail(p->msg, CAPNP_E_RESERVED_PTR);
        return CAPNP_PTR_INVALID;
    }
}

/* The default struct of a slot (empty if def is NULL). */
static struct capnp_struct def_struct(const struct capnp_ptr *p,
                                      const struct capnp_seg *def)
{
    struct capnp_struct s = {0};
    struct capnp_ptr d = default_slot(p, def);
    return d.p ? capnp_ptr_read_struct(&d, NULL) : s;
}

/* Struct at a slot; see the contract in capnp.h. */
struct capnp_struct capnp_ptr_read_struct(const struct capnp_ptr *p,
                                          const struct capnp_seg *def)
{
    struct capnp_struct s = {0};
    struct ref r;
    uint64_t words;

    if (!p->p || *p->p == 0 || !slot_ref(p, &r))
        return def_struct(p, def);
    if (wire_kind(r.w) != WIRE_STRUCT) {
        fail(p->msg, CAPNP_E_NOT_STRUCT);
        return def_struct(p, def);
    }
    words = (uint64_t)wire_dwords(r.w) + wire_nptrs(r.w);
    if (!in_seg(&r.seg, r.target, words)) {
        fail(p->msg, CAPNP_E_STRUCT_OUT_OF_BOUNDS);
        return def_struct(p, def);
    }
    if (!charge(p->msg, words))
        return def_struct(p, def);
    s.msg = p->msg;
    s.seg_words = r.seg.words;
    s.seg_nwords = r.seg.nwords;
    s.data = (const uint8_t *)(r.seg.words + r.target);
    s.ptrs = r.seg.words + r.target + wire_dwords(r.w);
    s.data_bytes = (uint32_t)wire_dwords(r.w) * 8;
    s.nptrs = wire_nptrs(r.w);
    s.depth = p->depth - 1;
    return s;
}

/* Fill an inline-composite list view from its tag; false on error. */
static bool composite_list(struct capnp_msg *m, const struct ref *r,
                           struct capnp_list *l)
{
    uint32_t wc = wire_count(r->w), n;
    uint64_t tag, per;

    if (!in_seg(&r->seg, r->target, (uint64_t)wc + 1)) {
        fail(m, CAPNP_E_LIST_OUT_OF_BOUNDS);
        return false;
    }
    tag = r->seg.words[r->target];
    if (wire_kind(tag) != WIRE_STRUCT) {
        fail(m, CAPNP_E_TAG_NOT_STRUCT);
        return false;
    }
    n = wire_b(tag);
    per = (uint64_t)wire_dwords(tag) + wire_nptrs(tag);
    if ((uint64_t)n * per > wc) {
        fail(m, CAPNP_E_TAG_SIZE_MISMATCH);
        return false;
    }
    if (!charge(m, (uint64_t)wc + 1 + (per == 0 ? n : 0)))
        return false;
    l->start = (const uint8_t *)(r->seg.words + r->target + 1);
    l->count = n;
    l->step_bits = (uint32_t)(per * 64);
    l->data_bits = (uint32_t)wire_dwords(tag) * 64;
    l->nptrs = wire_nptrs(tag);
    return true;
}

/* Fill a list view of VOID..POINTER elements; false on error. */
static bool flat_list(struct capnp_msg *m, const struct ref *r,
                      struct capnp_list *l)
{
    unsigned elem = wire_elem(r->w);
    uint32_t n = wire_count(r->w), bits = wire_elem_bits(elem);
    uint64_t words = ((uint64_t)n * bits + 63) / 64;

    if (!in_seg(&r->seg, r->target, words)) {
        fail(m, CAPNP_E_LIST_OUT_OF_BOUNDS);
        return false;
    }
    if (!charge(m, elem == CAPNP_ELEM_VOID ? n : words))
        return false;
    l->start = (const uint8_t *)(r->seg.words + r->target);
    l->count = n;
    l->step_bits = bits;
    l->data_bits = elem == CAPNP_ELEM_POINTER ? 0 : bits;
    l->nptrs = elem == CAPNP_ELEM_POINTER;
    return true;
}

/* May a list with this layout be read as a list of `expect`? */
static bool elem_compatible(const struct capnp_list *l, enum capnp_elem expect)
{
    bool bit = l->elem == CAPNP_ELEM_BIT;

    switch (expect) {
    case CAPNP_ELEM_ANY:
    case CAPNP_ELEM_VOID:
        return true;
    case CAPNP_ELEM_BIT:
        return bit;
    case CAPNP_ELEM_POINTER:
        return !bit && l->nptrs > 0;
    case CAPNP_ELEM_COMPOSITE:
        return !bit;
    default:
        return !bit && l->data_bits >= wire_elem_bits(expect);
    }
}

/* The default list of a slot (empty if def is NULL). */
static struct capnp_list def_list(const struct capnp_ptr *p,
                                  enum capnp_elem expect,
                                  const struct capnp_seg *def)
{
    struct capnp_list l = {0};
    struct capnp_ptr d = default_slot(p, def);
    return d.p ? capnp_ptr_read_list(&d, expect, NULL) : l;
}

/* List at a slot; see the contract in capnp.h. */
struct capnp_list capnp_ptr_read_list(const struct capnp_ptr *p,
                                      enum capnp_elem expect,
                                      const struct capnp_seg *def)
{
    struct capnp_list l = {0};
    struct ref r;
    bool ok;

    if (!p->p || *p->p == 0 || !slot_ref(p, &r))
        return def_list(p, expect, def);
    if (wire_kind(r.w) != WIRE_LIST) {
        fail(p->msg, CAPNP_E_NOT_LIST);
        return def_list(p, expect, def);
    }
    l.elem = (uint8_t)wire_elem(r.w);
    ok = l.elem == CAPNP_ELEM_COMPOSITE ? composite_list(p->msg, &r, &l)
                                        : flat_list(p->msg, &r, &l);
    if (!ok)
        return def_list(p, expect, def);
    if (!elem_compatible(&l, expect)) {
        fail(p->msg, CAPNP_E_LIST_ELEM_SIZE);
        return def_list(p, expect, def);
    }
    l.msg = p->msg;
    l.seg_words = r.seg.words;
    l.seg_nwords = r.seg.nwords;
    l.depth = p->depth - 1;
    return l;
}

/* Bytes of the byte list at a non-null slot (text/data), its length in
 * *n; NULL on error. */
static const uint8_t *byte_list(const struct capnp_ptr *p, uint32_t *n)
{
    struct ref r;
    uint64_t words;

    if (!slot_ref(p, &r))
        return NULL;
    if (wire_kind(r.w) != WIRE_LIST) {
        fail(p->msg, CAPNP_E_NOT_LIST);
        return NULL;
    }
    if (wire_elem(r.w) != CAPNP_ELEM_BYTE) {
        fail(p->msg, CAPNP_E_LIST_ELEM_SIZE);
        return NULL;
    }
    *n = wire_count(r.w);
    words = ((uint64_t)*n + 7) / 8;
    if (!in_seg(&r.seg, r.target, words)) {
        fail(p->msg, CAPNP_E_LIST_OUT_OF_BOUNDS);
        return NULL;
    }
    if (!charge(p->msg, words))
        return NULL;
    return (const uint8_t *)(r.seg.words + r.target);
}

/* Text at a slot; see the contract in capnp.h. */
struct capnp_text capnp_ptr_read_text(const struct capnp_ptr *p,
                                      struct capnp_text def)
{
    struct capnp_text t = {"", 0};
    const uint8_t *b;
    uint32_t n;

    if (!p->p || *p->p == 0)
        return def.str ? def : t;
    b = byte_list(p, &n);
    if (!b)
        return def.str ? def : t;
    if (n == 0 || b[n - 1] != 0) {
        fail(p->msg, CAPNP_E_TEXT_UNTERMINATED);
        return def.str ? def : t;
    }
    t.str = (const char *)b;
    t.len = n - 1;
    return t;
}

/* Data at a slot; see the contract in capnp.h. */
struct capnp_data capnp_ptr_read_data(const struct capnp_ptr *p,
                                      struct capnp_data def)
{
    struct capnp_data d = {NULL, 0};
    const uint8_t *b;
    uint32_t n;

    if (!p->p || *p->p == 0)
        return def;
    b = byte_list(p, &n);
    if (!b)
        return def;
    d.ptr = b;
    d.len = n;
    return d;
}

/* Capability index at a slot; see the contract in capnp.h. */
uint32_t capnp_ptr_read_cap(const struct capnp_ptr *p)
{
    struct ref r;

    if (!p->p || *p->p == 0)
        return CAPNP_CAP_NULL;
    if (!resolve(p->msg, p->seg_words, p->seg_nwords, p->p, &r))
        return CAPNP_CAP_NULL;
    if (wire_kind(r.w) != WIRE_OTHER) {
        fail(p->msg, CAPNP_E_NOT_CAP);
        return CAPNP_CAP_NULL;
    }
    if (wire_b(r.w) != 0) {
        fail(p->msg, CAPNP_E_RESERVED_PTR);
        return CAPNP_CAP_NULL;
    }
    if (!p->msg || wire_hi(r.w) >= p->msg->cap_count) {
        fail(p->msg, CAPNP_E_CAP_INDEX);
        return CAPNP_CAP_NULL;
    }
    return wire_hi(r.w);
}

/* Struct field i: capnp_ptr_read_struct on its slot. */
struct capnp_struct capnp_read_struct(const struct capnp_struct *s,
                                      uint32_t i,
                                      const struct capnp_seg *def)
{
    struct capnp_ptr p = capnp_struct_ptr(s, i);
    return capnp_ptr_read_struct(&p, def);
}

/* List field i: capnp_ptr_read_list on its slot. */
struct capnp_list capnp_read_list(const struct capnp_struct *s, uint32_t i,
                                  enum capnp_elem expect,
                                  const struct capnp_seg *def)
{
    struct capnp_ptr p = capnp_struct_ptr(s, i);
    return capnp_ptr_read_list(&p, expect, def);
}

/* Text field i. */
struct capnp_text capnp_read_text(const struct capnp_struct *s, uint32_t i,
                                  struct capnp_text def)
{
    struct capnp_ptr p = capnp_struct_ptr(s, i);
    return capnp_ptr_read_text(&p, def);
}

/* Data field i. */
struct capnp_data capnp_read_data(const struct capnp_struct *s, uint32_t i,
                                  struct capnp_data def)
{
    struct capnp_ptr p = capnp_struct_ptr(s, i);
    return capnp_ptr_read_data(&p, def);
}

/* Capability field i. */
uint32_t capnp_read_cap(const struct capnp_struct *s, uint32_t i)
{
    struct capnp_ptr p = capnp_struct_ptr(s, i);
    return capnp_ptr_read_cap(&p);
}
