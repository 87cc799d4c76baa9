/* SPDX-License-Identifier: MIT */
/*
 * copy.c - deep copy from a reader into a builder, and the struct-field
 * conveniences of the builder.
 *
 * A copy reads the source only through the checked reader API, so a
 * hostile source is bounded by its own traversal and nesting limits
 * (recursion depth <= the source's nesting limit).  Capability pointers
 * are copied as raw indices: the caller maps the source's cap table onto
 * the builder's.  Data sections narrower than a word (structs read from
 * a primitive list) are copied into a one-word data section.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Copy the data bytes and every pointer of src into dst. */
static void copy_struct_body(const struct capnp_struct_builder *dst,
                             const struct capnp_struct *src)
{
    uint32_t i;

    if (!dst->data)
        return;
    if (src->data_bytes)
        __builtin_memcpy(dst->data, src->data, src->data_bytes);
    for (i = 0; i < src->nptrs; i++) {
        struct capnp_ptr_builder pb = capnp_struct_builder_ptr(dst, i);
        struct capnp_ptr p = capnp_struct_ptr(src, i);
        capnp_ptr_copy(&pb, &p);
    }
}

/* Deep-copy a struct view into the slot. */
void capnp_ptr_set_struct(const struct capnp_ptr_builder *pb,
                          const struct capnp_struct *src)
{
    uint16_t dw = (uint16_t)((src->data_bytes + 7) / 8);
    struct capnp__old old;
    struct capnp_struct_builder sb = capnp__init_struct_keep(pb, dw,
                                                             src->nptrs, &old);
    copy_struct_body(&sb, src);
    capnp__zero_old(&old);
}

/* Copy the elements of a struct list. */
static void copy_struct_list(const struct capnp_ptr_builder *pb,
                             const struct capnp_list *src)
{
    struct capnp__old old;
    struct capnp_list_builder lb = capnp__init_struct_list_keep(
        pb, src->count, (uint16_t)(src->data_bits / 64), src->nptrs, &old);
    uint32_t i;

    for (i = 0; lb.start && i < src->count; i++) {
        struct capnp_struct_builder sb = capnp_list_builder_struct(&lb, i);
        struct capnp_struct s = capnp_list_struct(src, i);
        copy_struct_body(&sb, &s);
    }
    capnp__zero_old(&old);
}

/* Deep-copy a list view into the slot. */
void capnp_ptr_set_list(const struct capnp_ptr_builder *pb,
                        const struct capnp_list *src)
{
    struct capnp_list_builder lb;
    struct capnp__old old;
    uint32_t i;

    if (src->elem == CAPNP_ELEM_COMPOSITE) {
        copy_struct_list(pb, src);
        return;
    }
    lb = capnp__init_list_keep(pb, (enum capnp_elem)src->elem, src->count,
                               &old);
    if (lb.start && src->elem == CAPNP_ELEM_POINTER) {
        for (i = 0; i < src->count; i++) {
            struct capnp_ptr_builder d = capnp_list_builder_ptr(&lb, i);
            struct capnp_ptr p = capnp_list_ptr(src, i);
            capnp_ptr_copy(&d, &p);
        }
    } else if (lb.start && src->count && src->step_bits) {
        __builtin_memcpy(lb.start, src->start,
                         ((uint64_t)src->count * src->step_bits + 7) / 8);
    }
    capnp__zero_old(&old);
}

/* Deep-copy whatever src points to into the slot. */
void capnp_ptr_copy(const struct capnp_ptr_builder *pb,
                    const struct capnp_ptr *src)
{
    struct capnp_struct s;
    struct capnp_list l;

    switch (capnp_ptr_kind(src)) {
    case CAPNP_PTR_STRUCT:
        s = capnp_ptr_read_struct(src, NULL);
        if (s.msg || s.nptrs || s.data_bytes)
            capnp_ptr_set_struct(pb, &s);
        break;
    case CAPNP_PTR_LIST:
        l = capnp_ptr_read_list(src, CAPNP_ELEM_ANY, NULL);
        if (l.start)
            capnp_ptr_set_list(pb, &l);
        break;
    case CAPNP_PTR_CAP: {
        uint32_t idx = capnp_ptr_read_cap(src);
        if (idx != CAPNP_CAP_NULL)
            capnp_ptr_set_cap_index(pb, idx);
        break;
    }
    default:
        capnp_ptr_clear(pb);
        break;
    }
}

/* Struct field i: capnp_ptr_init_struct on its slot. */
struct capnp_struct_builder capnp_init_struct(
    const struct capnp_struct_builder *sb, uint32_t i, uint16_t data_words,
    uint16_t nptrs)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    return capnp_ptr_init_struct(&pb, data_words, nptrs);
}

/* List field i: capnp_ptr_init_list on its slot. */
struct capnp_list_builder capnp_init_list(const struct capnp_struct_builder *sb,
                                          uint32_t i, enum capnp_elem elem,
                                          uint32_t count)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    return capnp_ptr_init_list(&pb, elem, count);
}

/* Struct-list field i: capnp_ptr_init_struct_list on its slot. */
struct capnp_list_builder capnp_init_struct_list(
    const struct capnp_struct_builder *sb, uint32_t i, uint32_t count,
    uint16_t data_words, uint16_t nptrs)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    return capnp_ptr_init_struct_list(&pb, count, data_words, nptrs);
}

/* Capability field i (appends to the cap table). */
void capnp_set_cap(const struct capnp_struct_builder *sb, uint32_t i,
                   uint64_t handle)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    capnp_ptr_set_cap(&pb, handle);
}

/* Struct field i: deep copy of src. */
void capnp_set_struct(const struct capnp_struct_builder *sb, uint32_t i,
                      const struct capnp_struct *src)
{
    struct capnp_ptr_builder pb = capnp_struct_builder_ptr(sb, i);
    capnp_ptr_set_struct(&pb, src);
}
