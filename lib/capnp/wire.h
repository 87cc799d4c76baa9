/* SPDX-License-Identifier: MIT */
/*
 * wire.h - private helpers of lib/capnp: pointer-word fields.
 *
 * A pointer word: bits 0-1 kind (0 struct, 1 list, 2 far, 3 other).
 *   struct: bits 2-31 signed word offset from the end of the pointer,
 *           32-47 data words, 48-63 pointer count;
 *   list:   bits 2-31 offset, 32-34 element size, 35-63 count (inline
 *           composite: word count without the tag word);
 *   far:    bit 2 double-far, bits 3-31 landing-pad word, 32-63 segment id;
 *   other:  bits 2-31 must be 0 for a capability, 32-63 its index.
 */
#pragma once

#include <capnp/capnp.h>

enum { WIRE_STRUCT = 0, WIRE_LIST = 1, WIRE_FAR = 2, WIRE_OTHER = 3 };

#define WIRE_MAX_SEG_WORDS (1u << 29) /* far pads address 29 bits */

static inline unsigned wire_kind(uint64_t w) { return (unsigned)(w & 3); }
/* Signed 30-bit offset. */
static inline int32_t wire_offset(uint64_t w)
{
    return (int32_t)(uint32_t)w >> 2;
}
static inline uint16_t wire_dwords(uint64_t w) { return (uint16_t)(w >> 32); }
static inline uint16_t wire_nptrs(uint64_t w) { return (uint16_t)(w >> 48); }
static inline unsigned wire_elem(uint64_t w)
{
    return (unsigned)(w >> 32) & 7;
}
static inline uint32_t wire_count(uint64_t w) { return (uint32_t)(w >> 35); }
static inline bool wire_far_double(uint64_t w) { return (w >> 2) & 1; }
static inline uint32_t wire_far_pad(uint64_t w)
{
    return (uint32_t)(w >> 3) & (WIRE_MAX_SEG_WORDS - 1);
}
static inline uint32_t wire_hi(uint64_t w) { return (uint32_t)(w >> 32); }
/* The 30-bit B field of "other" pointers and inline-composite tags. */
static inline uint32_t wire_b(uint64_t w) { return (uint32_t)w >> 2; }

/* Bits per element of element sizes VOID..POINTER. */
static inline uint32_t wire_elem_bits(unsigned elem)
{
    static const uint8_t bits[8] = {0, 1, 8, 16, 32, 64, 64, 0};
    return bits[elem & 7];
}

/* Struct pointer word with offset `off`. */
static inline uint64_t wire_struct_ptr(int32_t off, uint16_t dw, uint16_t pw)
{
    return ((uint64_t)pw << 48) | ((uint64_t)dw << 32) |
           (uint32_t)((uint32_t)off << 2) | WIRE_STRUCT;
}
/* List pointer word with offset `off`. */
static inline uint64_t wire_list_ptr(int32_t off, unsigned elem,
                                     uint32_t count)
{
    return ((uint64_t)count << 35) | ((uint64_t)(elem & 7) << 32) |
           (uint32_t)((uint32_t)off << 2) | WIRE_LIST;
}
/* Far pointer word. */
static inline uint64_t wire_far_ptr(bool dbl, uint32_t pad, uint32_t seg)
{
    return ((uint64_t)seg << 32) | ((uint64_t)pad << 3) |
           (dbl ? 4u : 0u) | WIRE_FAR;
}
/* Replace the offset field of a struct or list pointer word. */
static inline uint64_t wire_with_offset(uint64_t w, int32_t off)
{
    return (w & ~(uint64_t)0xffffffffu) | (uint32_t)((uint32_t)off << 2) |
           (w & 3);
}

/* ---- builder internals shared by build.c, frame.c and copy.c ---- */

/* A slot's value before it was replaced, to zero what it pointed to. */
struct capnp__old {
    struct capnp_builder *b; /* NULL: nothing to zero */
    uint64_t w;              /* old pointer word */
    int64_t at;              /* word index of the slot in segment `seg` */
    uint32_t seg;
};
/* Zero the object (and everything reachable from it) old->w pointed to. */
void capnp__zero_old(const struct capnp__old *old);
/* Store pointer word w in a present slot, zeroing the old object. */
void capnp__set_word(const struct capnp_ptr_builder *pb, uint64_t w);
/* The capnp_ptr_init_* functions without zeroing the old object: the
 * caller fills the new one, then calls capnp__zero_old(old). */
struct capnp_struct_builder capnp__init_struct_keep(
    const struct capnp_ptr_builder *pb, uint16_t data_words, uint16_t nptrs,
    struct capnp__old *old);
struct capnp_list_builder capnp__init_list_keep(
    const struct capnp_ptr_builder *pb, enum capnp_elem elem, uint32_t count,
    struct capnp__old *old);
struct capnp_list_builder capnp__init_struct_list_keep(
    const struct capnp_ptr_builder *pb, uint32_t count, uint16_t data_words,
    uint16_t nptrs, struct capnp__old *old);
