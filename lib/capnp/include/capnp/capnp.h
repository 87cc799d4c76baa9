/* SPDX-License-Identifier: MIT */
/*
 * capnp.h - the capOS Cap'n Proto runtime: a zero-allocation reader and
 * builder shared by the kernel, user space and host tools.
 *
 * Theory of operation
 *
 * Reader.  A `struct capnp_msg` describes one message: its segments (word
 * arrays inside a caller-provided buffer; the buffer must be 8-byte
 * aligned), the capability-table length, a traversal budget (words) and a
 * nesting limit.  Views into the message are small values:
 *   struct capnp_struct  one struct (data section + pointer section)
 *   struct capnp_list    one list (any element size)
 *   struct capnp_ptr     one pointer slot (for AnyPointer and generic walks)
 * Scalar getters are `static inline` below; they never fail: a field beyond
 * the struct's data section reads as its default (schema evolution), and a
 * pointer beyond the pointer section reads as null.  Pointer getters check
 * everything (bounds, far pointers, list sizes, cap indices, limits) and on
 * failure return an empty view (all fields read as defaults) and record the
 * FIRST error in the message (sticky).  Check capnp_msg_error() once after
 * reading, or after any read that matters.  Reading never faults, never
 * loops forever and never touches memory outside the segments.
 *
 * Builder.  A `struct capnp_builder` allocates words from caller-provided
 * segments (no malloc).  When the current segment is full it moves on to the
 * next segment given with capnp_builder_add_segment() and links objects with
 * far (or double-far) pointers.  Views: `struct capnp_struct_builder`,
 * `struct capnp_list_builder`, `struct capnp_ptr_builder`.  Errors are also
 * sticky (capnp_builder_error()); a failed init returns an empty builder
 * view whose setters do nothing.
 *
 * Field offsets passed to the scalar accessors are in units of the field's
 * own size, exactly the schema's `slot.offset` (bool: bit index; u16: index
 * of 2-byte unit; ...).  Defaults are applied by XOR, as on the wire.
 *
 * Freestanding: only compiler headers.  Bulk copies use __builtin_memcpy /
 * __builtin_memset, which may become calls to memcpy/memset.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "capnp runtime assumes a little-endian target"
#endif

/* ---- errors -------------------------------------------------------------- */

/* X(name, message): every failure has its own code. */
#define CAPNP_ERRORS(X)                                                      \
    X(OK, "no error")                                                        \
    X(MISALIGNED, "message buffer is not 8-byte aligned")                    \
    X(TRUNCATED_HEADER, "buffer too short for the segment table")            \
    X(TOO_MANY_SEGMENTS, "segment count exceeds the limit")                  \
    X(TRUNCATED_SEGMENT, "segment sizes exceed the buffer")                  \
    X(SIZE_NOT_WORDS, "flat message size is not a multiple of 8")            \
    X(NO_ROOT, "first segment is empty: no root pointer")                    \
    X(STRUCT_OUT_OF_BOUNDS, "struct pointer target outside its segment")     \
    X(LIST_OUT_OF_BOUNDS, "list pointer target outside its segment")         \
    X(TAG_NOT_STRUCT, "inline composite tag is not a struct tag")            \
    X(TAG_SIZE_MISMATCH, "inline composite elements exceed word count")      \
    X(FAR_SEGMENT, "far pointer names a missing segment")                    \
    X(FAR_OUT_OF_BOUNDS, "far pointer landing pad outside its segment")      \
    X(FAR_TO_FAR, "single-far landing pad is itself a far pointer")          \
    X(DOUBLE_FAR_PAD, "double-far landing pad is malformed")                 \
    X(FAR_FORBIDDEN, "far pointer in a message that forbids them")           \
    X(RESERVED_PTR, "reserved 'other' pointer kind")                         \
    X(NOT_STRUCT, "pointer is not a struct pointer")                         \
    X(NOT_LIST, "pointer is not a list pointer")                             \
    X(NOT_CAP, "pointer is not a capability pointer")                        \
    X(LIST_ELEM_SIZE, "list element size incompatible with the schema")      \
    X(CAP_INDEX, "capability index outside the capability table")           \
    X(TEXT_UNTERMINATED, "text is not NUL-terminated")                       \
    X(TRAVERSAL_LIMIT, "traversal limit exceeded")                           \
    X(NESTING_LIMIT, "nesting limit exceeded")                               \
    X(INDEX_RANGE, "list index out of range")                                \
    X(ARENA_FULL, "builder arena exhausted")                                 \
    X(CAP_TABLE_FULL, "builder capability table full")                       \
    X(LIST_TOO_LONG, "list too long for the wire format")                    \
    X(FIELD_RANGE, "builder field outside the struct's sections")            \
    X(BAD_ARG, "invalid argument")                                           \
    X(BUFFER_TOO_SMALL, "output buffer too small")

enum capnp_err {
#define CAPNP__ENUM(name, msg) CAPNP_E_##name,
    CAPNP_ERRORS(CAPNP__ENUM)
#undef CAPNP__ENUM
    CAPNP_E__COUNT
};
#define CAPNP_OK CAPNP_E_OK

/* Human-readable message of an error code ("?" if unknown). */
const char *capnp_strerror(enum capnp_err e);
/* Symbolic name of an error code ("TRAVERSAL_LIMIT"; "?" if unknown). */
const char *capnp_errname(enum capnp_err e);

/* ---- wire constants ------------------------------------------------------ */

/* List element sizes (the 3-bit C field of a list pointer). */
enum capnp_elem {
    CAPNP_ELEM_VOID = 0,
    CAPNP_ELEM_BIT = 1,
    CAPNP_ELEM_BYTE = 2,
    CAPNP_ELEM_TWO = 3,
    CAPNP_ELEM_FOUR = 4,
    CAPNP_ELEM_EIGHT = 5,
    CAPNP_ELEM_POINTER = 6,
    CAPNP_ELEM_COMPOSITE = 7,
    CAPNP_ELEM_ANY = 8, /* reader only: accept any list, no check */
};

/* What a pointer slot holds, after following far pointers. */
enum capnp_ptr_kind {
    CAPNP_PTR_NULL = 0,
    CAPNP_PTR_STRUCT,
    CAPNP_PTR_LIST,
    CAPNP_PTR_CAP,
    CAPNP_PTR_INVALID, /* malformed; the error is recorded in the msg */
};

#define CAPNP_CAP_NULL UINT32_MAX     /* capability getter: null pointer */
#define CAPNP_MSG_MAX_SEGS 16         /* inline segment slots of a msg */
#define CAPNP_BUILDER_MAX_SEGS 16     /* segments of one builder */
#define CAPNP_DEFAULT_TRAVERSAL (8u * 1024 * 1024) /* words, as C++ */
#define CAPNP_DEFAULT_NESTING 64
#define CAPNP_LIST_MAX_COUNT ((1u << 29) - 1) /* 29-bit count field */

/* ---- reader -------------------------------------------------------------- */

/* One segment: `nwords` 64-bit little-endian words. */
struct capnp_seg {
    const uint64_t *words;
    uint32_t nwords;
};

/* Read options; pass NULL for the defaults (C++ limits, no caps, fars ok). */
struct capnp_read_opts {
    uint64_t traversal_limit; /* words; 0 = CAPNP_DEFAULT_TRAVERSAL */
    int32_t nesting_limit;    /* 0 = CAPNP_DEFAULT_NESTING */
    uint32_t cap_count;       /* length of the message's capability table */
    uint32_t flags;           /* CAPNP_READ_* */
    /* Optional storage for more than CAPNP_MSG_MAX_SEGS segments. */
    struct capnp_seg *seg_store;
    uint32_t seg_store_len;
};
#define CAPNP_READ_NO_FAR 1u /* reject far pointers (kernel policy) */

/* One message being read.  Must not move while views of it exist. */
struct capnp_msg {
    const struct capnp_seg *segs; /* segment array (store or caller's) */
    uint32_t nsegs;
    uint32_t cap_count;           /* cap indices must be < this */
    uint64_t traversal_left;      /* words still allowed to be visited */
    int32_t nesting_limit;
    uint32_t flags;
    size_t bytes;                 /* framed size consumed by capnp_msg_init */
    enum capnp_err err;           /* first error, sticky */
    struct capnp_seg store[CAPNP_MSG_MAX_SEGS];
};

/* A struct view.  A zeroed value is a valid empty (all-default) struct. */
struct capnp_struct {
    struct capnp_msg *msg;
    const struct capnp_seg *seg;
    const uint8_t *data;
    const uint64_t *ptrs;
    uint32_t data_bytes;
    uint16_t nptrs;
    int32_t depth; /* nesting budget left for pointers read from here */
};

/* A list view.  Element i starts at bit i*step_bits from `start`. */
struct capnp_list {
    struct capnp_msg *msg;
    const struct capnp_seg *seg;
    const uint8_t *start;
    uint32_t count;
    uint32_t step_bits;  /* bits per element (data + pointers) */
    uint32_t data_bits;  /* data bits per element */
    uint16_t nptrs;      /* pointers per element */
    uint8_t elem;        /* enum capnp_elem as on the wire */
    int32_t depth;
};

/* A pointer slot (AnyPointer, list-of-pointers element, generic walks). */
struct capnp_ptr {
    struct capnp_msg *msg;
    const struct capnp_seg *seg;
    const uint64_t *p; /* NULL: absent, reads as null */
    int32_t depth;
};

/* Text view: `len` bytes excluding the NUL that str[len] holds. */
struct capnp_text {
    const char *str;
    uint32_t len;
};

/* Data view. */
struct capnp_data {
    const uint8_t *ptr;
    uint32_t len;
};

/*
 * Parse the segment table at `buf` (8-byte aligned) of `len` bytes; sets
 * msg->bytes to the framed size (trailing bytes are allowed).  Returns
 * CAPNP_OK, MISALIGNED, TRUNCATED_HEADER, TOO_MANY_SEGMENTS or
 * TRUNCATED_SEGMENT (also stored in msg->err).
 */
enum capnp_err capnp_msg_init(struct capnp_msg *msg, const void *buf,
                              size_t len, const struct capnp_read_opts *opts);
/* "Flat" mode: `buf` is one bare segment, no table.  MISALIGNED or
 * SIZE_NOT_WORDS on error. */
enum capnp_err capnp_msg_init_flat(struct capnp_msg *msg, const void *buf,
                                   size_t len,
                                   const struct capnp_read_opts *opts);
/* Use caller-described segments (kept by pointer, not copied).  MISALIGNED
 * if a segment is not 8-byte aligned, TOO_MANY_SEGMENTS if nsegs == 0. */
enum capnp_err capnp_msg_init_segments(struct capnp_msg *msg,
                                       const struct capnp_seg *segs,
                                       uint32_t nsegs,
                                       const struct capnp_read_opts *opts);
/* First error recorded while reading (CAPNP_OK if none). */
static inline enum capnp_err capnp_msg_error(const struct capnp_msg *msg)
{
    return msg->err;
}
/* Record `e` unless an error is already recorded; returns the sticky one. */
enum capnp_err capnp_msg_fail(struct capnp_msg *msg, enum capnp_err e);

/* Follow every pointer from the root (schema-less: structs, lists, caps;
 * text NULs are not checked).  Bounded by the traversal and nesting limits;
 * recursion depth = nesting limit.  Returns the first error (sticky). */
enum capnp_err capnp_msg_validate(struct capnp_msg *msg);

/* Root pointer slot; absent (null) with NO_ROOT if segment 0 is empty. */
struct capnp_ptr capnp_msg_root_ptr(struct capnp_msg *msg);
/* Root struct (empty view on error). */
struct capnp_struct capnp_msg_root(struct capnp_msg *msg);

/* Kind of the pointer in a slot, following far pointers. */
enum capnp_ptr_kind capnp_ptr_kind(const struct capnp_ptr *p);
/* Struct at a slot; null slot -> `def` (a flat default message whose word 0
 * is the root pointer; NULL = empty struct). */
struct capnp_struct capnp_ptr_read_struct(const struct capnp_ptr *p,
                                          const struct capnp_seg *def);
/* List at a slot, checked against `expect` (CAPNP_ELEM_ANY: no check);
 * null slot -> `def` (as above; NULL = empty list). */
struct capnp_list capnp_ptr_read_list(const struct capnp_ptr *p,
                                      enum capnp_elem expect,
                                      const struct capnp_seg *def);
/* Text at a slot (NUL-checked); null -> def (def.str NULL -> ""). */
struct capnp_text capnp_ptr_read_text(const struct capnp_ptr *p,
                                      struct capnp_text def);
/* Data at a slot; null -> def. */
struct capnp_data capnp_ptr_read_data(const struct capnp_ptr *p,
                                      struct capnp_data def);
/* Capability index at a slot (checked < cap_count); CAPNP_CAP_NULL if null
 * or on error. */
uint32_t capnp_ptr_read_cap(const struct capnp_ptr *p);

/* Pointer slot i of a struct (absent if i >= nptrs). */
static inline struct capnp_ptr capnp_struct_ptr(const struct capnp_struct *s,
                                                uint32_t i)
{
    struct capnp_ptr p = {s->msg, s->seg, NULL, s->depth};
    if (i < s->nptrs)
        p.p = s->ptrs + i;
    return p;
}

/* Pointer slot of element i of a list (first pointer of a struct element;
 * absent if out of range or the elements have no pointers). */
static inline struct capnp_ptr capnp_list_ptr(const struct capnp_list *l,
                                              uint32_t i)
{
    struct capnp_ptr p = {l->msg, l->seg, NULL, l->depth};
    if (i < l->count && l->nptrs > 0)
        p.p = (const uint64_t *)(const void *)(l->start +
              (((uint64_t)i * l->step_bits + l->data_bits) >> 3));
    return p;
}

/* Is pointer slot i of s non-null (raw word test, no validation)? */
static inline bool capnp_has_ptr(const struct capnp_struct *s, uint32_t i)
{
    return i < s->nptrs && s->ptrs[i] != 0;
}

/* Struct-field conveniences over capnp_ptr_read_*. */
struct capnp_struct capnp_read_struct(const struct capnp_struct *s,
                                      uint32_t i,
                                      const struct capnp_seg *def);
struct capnp_list capnp_read_list(const struct capnp_struct *s, uint32_t i,
                                  enum capnp_elem expect,
                                  const struct capnp_seg *def);
struct capnp_text capnp_read_text(const struct capnp_struct *s, uint32_t i,
                                  struct capnp_text def);
struct capnp_data capnp_read_data(const struct capnp_struct *s, uint32_t i,
                                  struct capnp_data def);
uint32_t capnp_read_cap(const struct capnp_struct *s, uint32_t i);

/* ---- scalar getters (inline; never fail) ---------------------------------- */

#define CAPNP__READ(name, type, bytes)                                       \
    static inline type capnp_read_##name(const struct capnp_struct *s,       \
                                         uint32_t idx, type def)             \
    {                                                                        \
        type v;                                                              \
        if ((uint64_t)idx * (bytes) + (bytes) > s->data_bytes)               \
            return def;                                                      \
        __builtin_memcpy(&v, s->data + (uint64_t)idx * (bytes), (bytes));    \
        return (type)(v ^ def);                                              \
    }
/* capnp_read_u8/u16/u32/u64/i8/i16/i32/i64(s, idx, def): field `idx` in
 * units of its size, XORed with the default. */
CAPNP__READ(u8, uint8_t, 1)
CAPNP__READ(u16, uint16_t, 2)
CAPNP__READ(u32, uint32_t, 4)
CAPNP__READ(u64, uint64_t, 8)
CAPNP__READ(i8, int8_t, 1)
CAPNP__READ(i16, int16_t, 2)
CAPNP__READ(i32, int32_t, 4)
CAPNP__READ(i64, int64_t, 8)
#undef CAPNP__READ

/* Bool field at bit `bit`, XORed with the default. */
static inline bool capnp_read_bool(const struct capnp_struct *s, uint32_t bit,
                                   bool def)
{
    if ((bit >> 3) >= s->data_bytes)
        return def;
    return (bool)(((s->data[bit >> 3] >> (bit & 7)) & 1) ^ (def ? 1 : 0));
}

/* Float/double fields as raw IEEE bits (see capnp/float.h to convert). */
static inline uint32_t capnp_read_f32_bits(const struct capnp_struct *s,
                                           uint32_t idx, uint32_t def_bits)
{
    return capnp_read_u32(s, idx, def_bits);
}
static inline uint64_t capnp_read_f64_bits(const struct capnp_struct *s,
                                           uint32_t idx, uint64_t def_bits)
{
    return capnp_read_u64(s, idx, def_bits);
}

/* Union discriminant stored at 16-bit unit `idx` (schema discriminantOffset). */
static inline uint16_t capnp_read_which(const struct capnp_struct *s,
                                        uint32_t idx)
{
    return capnp_read_u16(s, idx, 0);
}

/* ---- list element getters (inline) ---------------------------------------- */

/* Number of elements. */
static inline uint32_t capnp_list_len(const struct capnp_list *l)
{
    return l->count;
}

#define CAPNP__LREAD(name, type, bytes)                                      \
    static inline type capnp_list_read_##name(const struct capnp_list *l,    \
                                              uint32_t i)                    \
    {                                                                        \
        type v = 0;                                                          \
        if (i < l->count && l->data_bits >= (bytes) * 8)                    \
            __builtin_memcpy(&v, l->start +                                  \
                             (((uint64_t)i * l->step_bits) >> 3), (bytes));  \
        return v;                                                            \
    }
/* capnp_list_read_u8/.../f64_bits(l, i): element i, 0 if out of range or
 * if the element's data is narrower than the type. */
CAPNP__LREAD(u8, uint8_t, 1)
CAPNP__LREAD(u16, uint16_t, 2)
CAPNP__LREAD(u32, uint32_t, 4)
CAPNP__LREAD(u64, uint64_t, 8)
CAPNP__LREAD(i8, int8_t, 1)
CAPNP__LREAD(i16, int16_t, 2)
CAPNP__LREAD(i32, int32_t, 4)
CAPNP__LREAD(i64, int64_t, 8)
CAPNP__LREAD(f32_bits, uint32_t, 4)
CAPNP__LREAD(f64_bits, uint64_t, 8)
#undef CAPNP__LREAD

/* Element i of a List(Bool) (false if out of range or not a bit list). */
static inline bool capnp_list_read_bool(const struct capnp_list *l,
                                        uint32_t i)
{
    if (i >= l->count || l->elem != CAPNP_ELEM_BIT)
        return false;
    return (l->start[i >> 3] >> (i & 7)) & 1;
}

/* Element i of a struct list (any non-bit list may be read as one);
 * an empty struct if out of range. */
static inline struct capnp_struct capnp_list_struct(const struct capnp_list *l,
                                                    uint32_t i)
{
    struct capnp_struct s = {0};
    if (i >= l->count || l->elem == CAPNP_ELEM_BIT)
        return s;
    s.msg = l->msg;
    s.seg = l->seg;
    s.data = l->start + (((uint64_t)i * l->step_bits) >> 3);
    s.ptrs = (const uint64_t *)(const void *)(s.data + (l->data_bits >> 3));
    s.data_bytes = l->data_bits >> 3;
    s.nptrs = l->nptrs;
    s.depth = l->depth;
    return s;
}

/* ---- builder -------------------------------------------------------------- */

/* One builder segment: `used` of `nwords` words allocated. */
struct capnp_bseg {
    uint64_t *words;
    uint32_t nwords;
    uint32_t used;
};

/* A message being built into caller-provided memory. */
struct capnp_builder {
    struct capnp_bseg segs[CAPNP_BUILDER_MAX_SEGS];
    uint32_t nsegs;
    uint32_t ncaps;        /* entries appended to the cap table */
    uint32_t caps_max;
    uint64_t *caps;        /* caller's capability table (may be NULL) */
    enum capnp_err err;    /* first error, sticky */
};

/* A struct under construction.  Zeroed = empty; setters then fail. */
struct capnp_struct_builder {
    struct capnp_builder *b;
    uint8_t *data;
    uint64_t *ptrs;
    uint32_t seg;
    uint32_t data_bytes;
    uint16_t nptrs;
};

/* A list under construction (layout as struct capnp_list). */
struct capnp_list_builder {
    struct capnp_builder *b;
    uint8_t *start;
    uint32_t seg;
    uint32_t count;
    uint32_t step_bits;
    uint32_t data_bits;
    uint16_t nptrs;
    uint8_t elem;
};

/* A pointer slot under construction. */
struct capnp_ptr_builder {
    struct capnp_builder *b;
    uint64_t *p; /* NULL: absent; setters fail with FIELD_RANGE */
    uint32_t seg;
};

/* Start a message in `words[nwords]` (8-byte aligned); word 0 becomes the
 * root pointer.  The arena is zeroed as it is allocated. */
void capnp_builder_init(struct capnp_builder *b, uint64_t *words,
                        uint32_t nwords);
/* Offer one more segment for overflow; TOO_MANY_SEGMENTS if none left,
 * MISALIGNED if `words` is not 8-byte aligned. */
enum capnp_err capnp_builder_add_segment(struct capnp_builder *b,
                                         uint64_t *words, uint32_t nwords);
/* Give the capability table that capnp_ptr_set_cap() appends to. */
void capnp_builder_set_cap_table(struct capnp_builder *b, uint64_t *table,
                                 uint32_t max);
/* First builder error (CAPNP_OK if none). */
static inline enum capnp_err capnp_builder_error(const struct capnp_builder *b)
{
    return b->err;
}
/* Record `e` unless an error is already recorded; returns the sticky one. */
enum capnp_err capnp_builder_fail(struct capnp_builder *b, enum capnp_err e);

/* The root pointer slot. */
struct capnp_ptr_builder capnp_builder_root_ptr(struct capnp_builder *b);
/* Allocate the root struct (ARENA_FULL on exhaustion). */
struct capnp_struct_builder capnp_builder_init_root(struct capnp_builder *b,
                                                    uint16_t data_words,
                                                    uint16_t nptrs);

/* Framed size in bytes (segment table + used words of every segment). */
size_t capnp_builder_size(const struct capnp_builder *b);
/* Write the standard framing into out[len]; BUFFER_TOO_SMALL if it does not
 * fit.  *written gets the size (may be NULL). */
enum capnp_err capnp_builder_serialize(const struct capnp_builder *b,
                                       void *out, size_t len,
                                       size_t *written);
/* Write only the segment table (for scatter/gather sends); returns its size
 * in bytes, or 0 if it does not fit in out[len]. */
size_t capnp_builder_write_table(const struct capnp_builder *b, void *out,
                                 size_t len);
/* Flat mode: segment 0's words and used count; NULL if more than one
 * segment is in use. */
const uint64_t *capnp_builder_flat(const struct capnp_builder *b,
                                   uint32_t *nwords);
/* Read a builder's current content in place (no copy). */
enum capnp_err capnp_msg_init_builder(struct capnp_msg *msg,
                                      const struct capnp_builder *b,
                                      const struct capnp_read_opts *opts);

/* Pointer slot i of a struct builder (absent if i >= nptrs). */
static inline struct capnp_ptr_builder
capnp_struct_builder_ptr(const struct capnp_struct_builder *sb, uint32_t i)
{
    struct capnp_ptr_builder pb = {sb->b, NULL, sb->seg};
    if (i < sb->nptrs)
        pb.p = sb->ptrs + i;
    return pb;
}
/* Pointer slot of element i of a pointer or struct list builder. */
static inline struct capnp_ptr_builder
capnp_list_builder_ptr(const struct capnp_list_builder *lb, uint32_t i)
{
    struct capnp_ptr_builder pb = {lb->b, NULL, lb->seg};
    if (i < lb->count && lb->nptrs > 0)
        pb.p = (uint64_t *)(void *)(lb->start +
               (((uint64_t)i * lb->step_bits + lb->data_bits) >> 3));
    return pb;
}

/* Allocate a struct at a slot (replacing what was there). */
struct capnp_struct_builder capnp_ptr_init_struct(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs);
/* Allocate a list of `count` non-struct elements (elem VOID..POINTER);
 * LIST_TOO_LONG past 2^29-1, BAD_ARG for COMPOSITE/ANY. */
struct capnp_list_builder capnp_ptr_init_list(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count);
/* Allocate an inline-composite list of `count` structs. */
struct capnp_list_builder capnp_ptr_init_struct_list(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs);
/* Store a copy of text s[len] (a NUL is appended). */
void capnp_ptr_set_text(const struct capnp_ptr_builder *pb, const char *s,
                        uint32_t len);
/* Store a copy of data d[len]. */
void capnp_ptr_set_data(const struct capnp_ptr_builder *pb, const void *d,
                        uint32_t len);
/* Append `handle` to the cap table and point the slot at it
 * (CAP_TABLE_FULL when full). */
void capnp_ptr_set_cap(const struct capnp_ptr_builder *pb, uint64_t handle);
/* Point the slot at an existing cap-table index. */
void capnp_ptr_set_cap_index(const struct capnp_ptr_builder *pb,
                             uint32_t index);
/* Make the slot null.  Like every setter that replaces a pointer, this
 * zeroes the old object and everything reachable from it. */
void capnp_ptr_clear(const struct capnp_ptr_builder *pb);
/* Deep-copy whatever `src` points to (struct, list, text, cap index as is)
 * into the slot.  Reader errors go to src->msg, builder errors to pb->b. */
void capnp_ptr_copy(const struct capnp_ptr_builder *pb,
                    const struct capnp_ptr *src);
/* Deep-copy a struct view (e.g. from capnp_list_struct) into the slot. */
void capnp_ptr_set_struct(const struct capnp_ptr_builder *pb,
                          const struct capnp_struct *src);
/* Deep-copy a list view into the slot. */
void capnp_ptr_set_list(const struct capnp_ptr_builder *pb,
                        const struct capnp_list *src);

/* Struct-field conveniences over capnp_ptr_init_* / set_*. */
struct capnp_struct_builder capnp_init_struct(
    const struct capnp_struct_builder *sb, uint32_t i, uint16_t data_words,
    uint16_t nptrs);
struct capnp_list_builder capnp_init_list(const struct capnp_struct_builder *sb,
                                          uint32_t i, enum capnp_elem elem,
                                          uint32_t count);
struct capnp_list_builder capnp_init_struct_list(
    const struct capnp_struct_builder *sb, uint32_t i, uint32_t count,
    uint16_t data_words, uint16_t nptrs);
void capnp_set_text(const struct capnp_struct_builder *sb, uint32_t i,
                    const char *s, uint32_t len);
void capnp_set_data(const struct capnp_struct_builder *sb, uint32_t i,
                    const void *d, uint32_t len);
void capnp_set_cap(const struct capnp_struct_builder *sb, uint32_t i,
                   uint64_t handle);
void capnp_set_struct(const struct capnp_struct_builder *sb, uint32_t i,
                      const struct capnp_struct *src);

/* Struct builder -> struct view, read with the given msg (e.g. one made by
 * capnp_msg_init_builder over the same builder). */
struct capnp_struct capnp_struct_builder_view(
    const struct capnp_struct_builder *sb, struct capnp_msg *msg);

/* ---- scalar setters (inline) ----------------------------------------------- */

#define CAPNP__WRITE(name, type, bytes)                                      \
    static inline void capnp_write_##name(                                   \
        const struct capnp_struct_builder *sb, uint32_t idx, type v,         \
        type def)                                                            \
    {                                                                        \
        type x = (type)(v ^ def);                                            \
        if ((uint64_t)idx * (bytes) + (bytes) > sb->data_bytes) {            \
            if (sb->b)                                                       \
                capnp_builder_fail(sb->b, CAPNP_E_FIELD_RANGE);              \
            return;                                                          \
        }                                                                    \
        __builtin_memcpy(sb->data + (uint64_t)idx * (bytes), &x, (bytes));   \
    }
/* capnp_write_u8/.../i64(sb, idx, value, def): store value XOR default. */
CAPNP__WRITE(u8, uint8_t, 1)
CAPNP__WRITE(u16, uint16_t, 2)
CAPNP__WRITE(u32, uint32_t, 4)
CAPNP__WRITE(u64, uint64_t, 8)
CAPNP__WRITE(i8, int8_t, 1)
CAPNP__WRITE(i16, int16_t, 2)
CAPNP__WRITE(i32, int32_t, 4)
CAPNP__WRITE(i64, int64_t, 8)
CAPNP__WRITE(f32_bits, uint32_t, 4)
CAPNP__WRITE(f64_bits, uint64_t, 8)
#undef CAPNP__WRITE

/* Store bool v XOR def at bit `bit`. */
static inline void capnp_write_bool(const struct capnp_struct_builder *sb,
                                    uint32_t bit, bool v, bool def)
{
    uint8_t m = (uint8_t)(1u << (bit & 7));
    if ((bit >> 3) >= sb->data_bytes) {
        if (sb->b)
            capnp_builder_fail(sb->b, CAPNP_E_FIELD_RANGE);
        return;
    }
    if (v != def)
        sb->data[bit >> 3] |= m;
    else
        sb->data[bit >> 3] &= (uint8_t)~m;
}

/* Zero `bits` (1, 8, 16, 32 or 64) bits of the data section at bit `off`
 * (clearing a group member); nothing if outside the section. */
static inline void capnp_clear_data(const struct capnp_struct_builder *sb,
                                    uint64_t off, uint32_t bits)
{
    if (bits == 1) {
        if ((off >> 3) < sb->data_bytes)
            sb->data[off >> 3] &= (uint8_t)~(1u << (off & 7));
    } else if ((off + bits) / 8 <= sb->data_bytes) {
        __builtin_memset(sb->data + off / 8, 0, bits / 8);
    }
}

/* Store a union discriminant at 16-bit unit `idx`. */
static inline void capnp_write_which(const struct capnp_struct_builder *sb,
                                     uint32_t idx, uint16_t which)
{
    capnp_write_u16(sb, idx, which, 0);
}

#define CAPNP__LWRITE(name, type, bytes)                                     \
    static inline void capnp_list_write_##name(                              \
        const struct capnp_list_builder *lb, uint32_t i, type v)             \
    {                                                                        \
        if (i >= lb->count || lb->data_bits < (bytes) * 8) {                 \
            if (lb->b)                                                       \
                capnp_builder_fail(lb->b, CAPNP_E_INDEX_RANGE);              \
            return;                                                          \
        }                                                                    \
        __builtin_memcpy(lb->start + (((uint64_t)i * lb->step_bits) >> 3),   \
                         &v, (bytes));                                       \
    }
/* capnp_list_write_u8/.../f64_bits(lb, i, v): store element i. */
CAPNP__LWRITE(u8, uint8_t, 1)
CAPNP__LWRITE(u16, uint16_t, 2)
CAPNP__LWRITE(u32, uint32_t, 4)
CAPNP__LWRITE(u64, uint64_t, 8)
CAPNP__LWRITE(i8, int8_t, 1)
CAPNP__LWRITE(i16, int16_t, 2)
CAPNP__LWRITE(i32, int32_t, 4)
CAPNP__LWRITE(i64, int64_t, 8)
CAPNP__LWRITE(f32_bits, uint32_t, 4)
CAPNP__LWRITE(f64_bits, uint64_t, 8)
#undef CAPNP__LWRITE

/* Store element i of a List(Bool). */
static inline void capnp_list_write_bool(const struct capnp_list_builder *lb,
                                         uint32_t i, bool v)
{
    uint8_t m = (uint8_t)(1u << (i & 7));
    if (i >= lb->count || lb->elem != CAPNP_ELEM_BIT) {
        if (lb->b)
            capnp_builder_fail(lb->b, CAPNP_E_INDEX_RANGE);
        return;
    }
    if (v)
        lb->start[i >> 3] |= m;
    else
        lb->start[i >> 3] &= (uint8_t)~m;
}

/* Element i of a struct list builder (empty builder if out of range). */
static inline struct capnp_struct_builder
capnp_list_builder_struct(const struct capnp_list_builder *lb, uint32_t i)
{
    struct capnp_struct_builder sb = {0};
    if (i >= lb->count || lb->elem != CAPNP_ELEM_COMPOSITE) {
        if (lb->b)
            capnp_builder_fail(lb->b, CAPNP_E_INDEX_RANGE);
        return sb;
    }
    sb.b = lb->b;
    sb.seg = lb->seg;
    sb.data = lb->start + (((uint64_t)i * lb->step_bits) >> 3);
    sb.ptrs = (uint64_t *)(void *)(sb.data + (lb->data_bits >> 3));
    sb.data_bytes = lb->data_bits >> 3;
    sb.nptrs = lb->nptrs;
    return sb;
}
