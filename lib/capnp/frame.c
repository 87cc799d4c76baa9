/* SPDX-License-Identifier: MIT */
/*
 * frame.c - capability pointers of the builder and the
 * ways a finished builder leaves: segment-table framing, flat mode, or an
 * in-place reader.
 *
 * Framing writes u32 (count - 1), the used size of each segment, zero
 * padding to a word, then the used words of each segment.  Segments after
 * the last non-empty one are left out; empty ones in between stay, since
 * far pointers name segments by index.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Point the slot at cap-table index `index`. */
void capnp_ptr_set_cap_index(const struct capnp_ptr_builder *pb,
                             uint32_t index)
{
    if (!pb->p) {
        if (pb->b)
            capnp_builder_fail(pb->b, CAPNP_E_FIELD_RANGE);
        return;
    }
    capnp__set_word(pb, ((uint64_t)index << 32) | WIRE_OTHER);
}

/* Append `handle` to the cap table and point the slot at it. */
void capnp_ptr_set_cap(const struct capnp_ptr_builder *pb, uint64_t handle)
{
    struct capnp_builder *b = pb->b;

    if (!b)
        return;
    if (b->ncaps >= b->caps_max) {
        capnp_builder_fail(b, CAPNP_E_CAP_TABLE_FULL);
        return;
    }
    if (!pb->p) {
        capnp_builder_fail(b, CAPNP_E_FIELD_RANGE);
        return;
    }
    b->caps[b->ncaps] = handle;
    capnp_ptr_set_cap_index(pb, b->ncaps++);
}

/* Number of segments that go on the wire. */
static uint32_t wire_nsegs(const struct capnp_builder *b)
{
    uint32_t n = b->nsegs;

    while (n > 1 && b->segs[n - 1].used == 0)
        n--;
    return n;
}

/* Bytes of the segment table for n segments. */
static size_t table_bytes(uint32_t n)
{
    return ((size_t)n / 2 + 1) * 8;
}

/* Framed size in bytes. */
size_t capnp_builder_size(const struct capnp_builder *b)
{
    uint32_t n = wire_nsegs(b), i;
    size_t sz = table_bytes(n);

    for (i = 0; i < n; i++)
        sz += (size_t)b->segs[i].used * 8;
    return sz;
}

/* Write only the segment table; its size, or 0 if it does not fit. */
size_t capnp_builder_write_table(const struct capnp_builder *b, void *out,
                                 size_t len)
{
    uint32_t n = wire_nsegs(b), i, v = n - 1;
    uint8_t *o = out;
    size_t tb = table_bytes(n);

    if (len < tb)
        return 0;
    __builtin_memset(o, 0, tb);
    __builtin_memcpy(o, &v, 4);
    for (i = 0; i < n; i++)
        __builtin_memcpy(o + 4 + 4 * (size_t)i, &b->segs[i].used, 4);
    return tb;
}

/* Write the standard framing into out[len]. */
enum capnp_err capnp_builder_serialize(const struct capnp_builder *b,
                                       void *out, size_t len,
                                       size_t *written)
{
    uint32_t n = wire_nsegs(b), i;
    size_t need = capnp_builder_size(b), off;
    uint8_t *o = out;

    if (written)
        *written = need;
    if (len < need)
        return CAPNP_E_BUFFER_TOO_SMALL;
    off = capnp_builder_write_table(b, out, len);
    for (i = 0; i < n; i++) {
        size_t sz = (size_t)b->segs[i].used * 8;
        if (sz)
            __builtin_memcpy(o + off, b->segs[i].words, sz);
        off += sz;
    }
    return CAPNP_OK;
}

/* Flat mode: segment 0 if it is the only one in use. */
const uint64_t *capnp_builder_flat(const struct capnp_builder *b,
                                   uint32_t *nwords)
{
    if (wire_nsegs(b) != 1)
        return NULL;
    *nwords = b->segs[0].used;
    return b->segs[0].words;
}

/* Struct builder -> struct view read through msg. */
struct capnp_struct capnp_struct_builder_view(
    const struct capnp_struct_builder *sb, struct capnp_msg *msg)
{
    struct capnp_struct s = {0};

    if (!sb->b || sb->seg >= msg->nsegs)
        return s;
    s.msg = msg;
    s.seg = &msg->segs[sb->seg];
    s.data = sb->data;
    s.ptrs = sb->ptrs;
    s.data_bytes = sb->data_bytes;
    s.nptrs = sb->nptrs;
    s.depth = msg->nesting_limit;
    return s;
}
