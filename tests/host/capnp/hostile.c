/* SPDX-License-Identifier: MIT */
/*
 * hostile.c - malformed and malicious messages; each must be rejected with
 * its own specific error code, never a crash (ASan/UBSan are on).
 */
#include <capnp/capnp.h>
#include <common/test.h>

#include <string.h>

/* Pointer words, as on the wire. */
#define S(off, dw, pw) (((uint64_t)(pw) << 48) | ((uint64_t)(dw) << 32) | \
                        ((uint32_t)((uint32_t)(off) << 2)))
#define L(off, elem, n) (((uint64_t)(n) << 35) | ((uint64_t)(elem) << 32) | \
                         ((uint32_t)((uint32_t)(off) << 2)) | 1)
#define F(dbl, pad, seg) (((uint64_t)(seg) << 32) | ((uint64_t)(pad) << 3) | \
                          ((dbl) ? 4u : 0u) | 2)
#define CAP(i) (((uint64_t)(i) << 32) | 3)

/* Validate a flat single-segment message; returns the first error. */
static enum capnp_err flat_opts(const uint64_t *w, uint32_t n,
                                const struct capnp_read_opts *o)
{
    struct capnp_msg m;
    enum capnp_err e = capnp_msg_init_flat(&m, w, (size_t)n * 8, o);
    return e != CAPNP_OK ? e : capnp_msg_validate(&m);
}
#define FLAT(...) flat_opts((const uint64_t[]){__VA_ARGS__},              \
    sizeof((const uint64_t[]){__VA_ARGS__}) / 8, NULL)

/* Validate segments given as arrays. */
static enum capnp_err segs2(const uint64_t *a, uint32_t na, const uint64_t *b,
                            uint32_t nb)
{
    struct capnp_seg s[2] = {{a, na}, {b, nb}};
    struct capnp_msg m;
    enum capnp_err e = capnp_msg_init_segments(&m, s, 2, NULL);
    return e != CAPNP_OK ? e : capnp_msg_validate(&m);
}

static _Alignas(8) uint8_t buf[256];

/* Frame a table + words in buf; returns the total byte count. */
static size_t frame(const uint32_t *table, uint32_t ntable)
{
    __builtin_memset(buf, 0, sizeof buf);
    __builtin_memcpy(buf, table, (size_t)ntable * 4);
    return sizeof buf;
}

TEST(hostile_misaligned)
{
    struct capnp_msg m;
    frame((const uint32_t[]){0, 1}, 2);
    EXPECT_EQ(capnp_msg_init(&m, buf + 1, 64, NULL), CAPNP_E_MISALIGNED);
    EXPECT_EQ(capnp_msg_init(&m, buf + 4, 64, NULL), CAPNP_E_MISALIGNED);
    EXPECT_EQ(capnp_msg_init_flat(&m, buf + 2, 64, NULL), CAPNP_E_MISALIGNED);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_MISALIGNED);
    /* reading after a failed init is safe and keeps the error */
    EXPECT_EQ(capnp_read_u32(&(struct capnp_struct){0}, 0, 3), 3);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_MISALIGNED);
}

TEST(hostile_truncated_table)
{
    struct capnp_msg m;
    frame((const uint32_t[]){0, 1}, 2);
    EXPECT_EQ(capnp_msg_init(&m, buf, 0, NULL), CAPNP_E_TRUNCATED_HEADER);
    EXPECT_EQ(capnp_msg_init(&m, buf, 4, NULL), CAPNP_E_TRUNCATED_HEADER);
    frame((const uint32_t[]){1, 1, 1}, 3); /* 2 segments: 16-byte table */
    EXPECT_EQ(capnp_msg_init(&m, buf, 8, NULL), CAPNP_E_TRUNCATED_HEADER);
    EXPECT_EQ(capnp_msg_init(&m, buf, 15, NULL), CAPNP_E_TRUNCATED_HEADER);
    EXPECT_EQ(capnp_msg_init(&m, buf, 32, NULL), CAPNP_OK);
    EXPECT_EQ(m.bytes, 32);
}

TEST(hostile_segment_count_huge)
{
    struct capnp_msg m;
    frame((const uint32_t[]){0xffffffffu}, 1);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL), CAPNP_E_TOO_MANY_SEGMENTS);
    frame((const uint32_t[]){CAPNP_FRAMED_MAX_SEGS}, 1);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL), CAPNP_E_TOO_MANY_SEGMENTS);
    /* the table of 1024 segments does not fit in 256 bytes */
    frame((const uint32_t[]){CAPNP_FRAMED_MAX_SEGS - 1}, 1);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL), CAPNP_E_TRUNCATED_HEADER);
    frame((const uint32_t[]){CAPNP_MSG_MAX_SEGS}, 1);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL), CAPNP_OK);
    EXPECT_EQ(m.nsegs, CAPNP_MSG_MAX_SEGS + 1);
    /* a caller's store is a hard limit */
    {
        struct capnp_seg st[4];
        struct capnp_read_opts o = {.seg_store = st, .seg_store_len = 4};
        frame((const uint32_t[]){4}, 1);
        EXPECT_EQ(capnp_msg_init(&m, buf, 256, &o), CAPNP_E_TOO_MANY_SEGMENTS);
    }
}

TEST(hostile_segment_sizes_exceed_buffer)
{
    struct capnp_msg m;
    frame((const uint32_t[]){0, 0xffffffffu}, 2);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL),
              CAPNP_E_TRUNCATED_SEGMENT);
    frame((const uint32_t[]){1, 0x20000000u, 0xe0000000u}, 3);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL),
              CAPNP_E_TRUNCATED_SEGMENT);
    frame((const uint32_t[]){0, 31}, 2); /* 8 + 31*8 = 256: fits */
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL), CAPNP_OK);
    frame((const uint32_t[]){0, 32}, 2);
    EXPECT_EQ(capnp_msg_init(&m, buf, 256, NULL),
              CAPNP_E_TRUNCATED_SEGMENT);
}

TEST(hostile_flat_size_and_empty_root)
{
    struct capnp_msg m;
    EXPECT_EQ(capnp_msg_init_flat(&m, buf, 12, NULL),
              CAPNP_E_SIZE_NOT_WORDS);
    EXPECT_EQ(capnp_msg_init_flat(&m, buf, 0, NULL), CAPNP_OK);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NO_ROOT);
    EXPECT_EQ(capnp_msg_init_segments(&m, NULL, 0, NULL),
              CAPNP_E_TOO_MANY_SEGMENTS);
}

TEST(hostile_struct_out_of_bounds)
{
    EXPECT_EQ(FLAT(S(0, 1, 0)), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(S(0, 1, 1), 0), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(S(-2, 1, 0), 0), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(S(0x1fffffff, 0, 0)), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(S(-0x20000000, 0xffff, 0xffff)),
              CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(S(0, 1, 0), 0), CAPNP_OK);
}

TEST(hostile_list_out_of_bounds_and_overflow)
{
    EXPECT_EQ(FLAT(L(0, 5, 2), 0), CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(0, 5, 0x1fffffff), 0), CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(0, 6, 0x1fffffff), 0), CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(0, 1, 65), 0), CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(-5, 2, 1), 0), CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(0, 7, 0x1fffffff), S(1, 1, 0)),
              CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(L(0, 1, 64), 0), CAPNP_OK);
}

TEST(hostile_inline_composite_tag)
{
    EXPECT_EQ(FLAT(L(0, 7, 1), L(1, 2, 0), 0), CAPNP_E_TAG_NOT_STRUCT);
    EXPECT_EQ(FLAT(L(0, 7, 1), S(2, 1, 0), 0), CAPNP_E_TAG_SIZE_MISMATCH);
    EXPECT_EQ(FLAT(L(0, 7, 2), S(2, 1, 1), 0, 0),
              CAPNP_E_TAG_SIZE_MISMATCH);
    EXPECT_EQ(FLAT(L(0, 7, 2), S(0x1fffffff, 0xffff, 0xffff), 0, 0),
              CAPNP_E_TAG_SIZE_MISMATCH);
    EXPECT_EQ(FLAT(L(0, 7, 2), S(1, 1, 1), 0, 0), CAPNP_OK);
}

TEST(hostile_far_pointers)
{
    static const uint64_t pad1[] = {S(0, 1, 0), 0};
    EXPECT_EQ(FLAT(F(0, 0, 1)), CAPNP_E_FAR_SEGMENT);
    EXPECT_EQ(FLAT(F(0, 0, 0xffffffff)), CAPNP_E_FAR_SEGMENT);
    EXPECT_EQ(FLAT(F(0, 5, 0)), CAPNP_E_FAR_OUT_OF_BOUNDS);
    EXPECT_EQ(FLAT(F(0, 0, 0)), CAPNP_E_FAR_TO_FAR);
    EXPECT_EQ(segs2((const uint64_t[]){F(0, 0, 1)}, 1, pad1, 2), CAPNP_OK);
    EXPECT_EQ(segs2((const uint64_t[]){F(0, 2, 1)}, 1, pad1, 2),
              CAPNP_E_FAR_OUT_OF_BOUNDS);
    EXPECT_EQ(segs2((const uint64_t[]){F(0, 0, 1)}, 1,
                    (const uint64_t[]){S(0, 2, 0), 0}, 2),
              CAPNP_E_STRUCT_OUT_OF_BOUNDS);
}

TEST(hostile_double_far_pads)
{
    /* seg1 = [pad: far(seg0, word 1), tag]; seg0 = [root far, data] */
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 0), S(0, 1, 0)}, 2),
              CAPNP_OK);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 1, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 0), S(0, 1, 0)}, 2),
              CAPNP_E_FAR_OUT_OF_BOUNDS);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){S(0, 1, 0), S(0, 1, 0)}, 2),
              CAPNP_E_DOUBLE_FAR_PAD);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(1, 1, 0), S(0, 1, 0)}, 2),
              CAPNP_E_DOUBLE_FAR_PAD);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 0), S(3, 1, 0)}, 2),
              CAPNP_E_DOUBLE_FAR_PAD);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 0), F(0, 0, 0)}, 2),
              CAPNP_E_DOUBLE_FAR_PAD);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 7), S(0, 1, 0)}, 2),
              CAPNP_E_FAR_SEGMENT);
    EXPECT_EQ(segs2((const uint64_t[]){F(1, 0, 1), 42}, 2,
                    (const uint64_t[]){F(0, 1, 0), S(0, 2, 0)}, 2),
              CAPNP_E_STRUCT_OUT_OF_BOUNDS);
}

TEST(hostile_far_forbidden)
{
    static const uint64_t w[] = {F(0, 1, 0), S(0, 0, 0)};
    struct capnp_read_opts o = {.flags = CAPNP_READ_NO_FAR};
    EXPECT_EQ(flat_opts(w, 2, NULL), CAPNP_OK);
    EXPECT_EQ(flat_opts(w, 2, &o), CAPNP_E_FAR_FORBIDDEN);
}

TEST(hostile_pointer_kinds)
{
    struct capnp_msg m;
    struct capnp_struct s;
    static const uint64_t w[] = {S(0, 0, 4), L(3, 2, 1), S(2, 0, 0), CAP(0),
                                 (1u << 2) | 3, 0};

    EXPECT_EQ(FLAT(((uint64_t)1 << 2) | 3), CAPNP_E_RESERVED_PTR);
    capnp_msg_init_flat(&m, w, sizeof w, &(struct capnp_read_opts){
                                              .cap_count = 1});
    s = capnp_msg_root(&m);
    capnp_read_struct(&s, 0, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NOT_STRUCT);
    m.err = CAPNP_OK;
    capnp_read_list(&s, 1, CAPNP_ELEM_ANY, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NOT_LIST);
    m.err = CAPNP_OK;
    capnp_read_cap(&s, 0);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NOT_CAP);
    m.err = CAPNP_OK;
    EXPECT_EQ(capnp_read_cap(&s, 2), 0);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
    EXPECT_EQ(capnp_read_cap(&s, 3), CAPNP_CAP_NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_RESERVED_PTR);
}

TEST(hostile_bad_capability_index)
{
    static const uint64_t w[] = {S(0, 0, 2), CAP(1), CAP(0xffffffffu)};
    struct capnp_read_opts o = {.cap_count = 1};
    struct capnp_msg m;
    struct capnp_struct s;

    EXPECT_EQ(flat_opts(w, 3, &o), CAPNP_E_CAP_INDEX);
    capnp_msg_init_flat(&m, w, sizeof w, &(struct capnp_read_opts){
                                              .cap_count = 2});
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_cap(&s, 0), 1);
    EXPECT_EQ(capnp_read_cap(&s, 1), CAPNP_CAP_NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_CAP_INDEX);
}

/* Read text field 0 of the root of w[n]; returns the msg error. */
static enum capnp_err text_err(const uint64_t *w, uint32_t n)
{
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_msg_init_flat(&m, w, (size_t)n * 8, NULL);
    s = capnp_msg_root(&m);
    capnp_read_text(&s, 0, (struct capnp_text){0});
    return capnp_msg_error(&m);
}

TEST(hostile_text)
{
    EXPECT_EQ(text_err((const uint64_t[]){S(0, 0, 1), L(0, 2, 3), 0x616161},
                       3), CAPNP_E_TEXT_UNTERMINATED);
    EXPECT_EQ(text_err((const uint64_t[]){S(0, 0, 1), L(0, 2, 0)}, 2),
              CAPNP_E_TEXT_UNTERMINATED);
    EXPECT_EQ(text_err((const uint64_t[]){S(0, 0, 1), L(0, 3, 2), 0}, 3),
              CAPNP_E_LIST_ELEM_SIZE);
    EXPECT_EQ(text_err((const uint64_t[]){S(0, 0, 1), L(0, 2, 9), 0}, 3),
              CAPNP_E_LIST_OUT_OF_BOUNDS);
    EXPECT_EQ(text_err((const uint64_t[]){S(0, 0, 1), L(0, 2, 3), 0x6161},
                       3), CAPNP_OK);
}

TEST(hostile_list_elem_size_mismatch)
{
    static const uint64_t w[] = {S(0, 0, 2), L(1, 2, 8), L(1, 1, 8), 0, 0};
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_msg_init_flat(&m, w, sizeof w, NULL);
    s = capnp_msg_root(&m);
    capnp_read_list(&s, 0, CAPNP_ELEM_BIT, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_ELEM_SIZE);
    m.err = CAPNP_OK;
    capnp_read_list(&s, 0, CAPNP_ELEM_FOUR, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_ELEM_SIZE);
    m.err = CAPNP_OK;
    capnp_read_list(&s, 1, CAPNP_ELEM_COMPOSITE, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_ELEM_SIZE);
    m.err = CAPNP_OK;
    capnp_read_list(&s, 0, CAPNP_ELEM_POINTER, NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_ELEM_SIZE);
    m.err = CAPNP_OK;
    EXPECT_EQ(capnp_read_list(&s, 0, CAPNP_ELEM_BYTE, NULL).count, 8);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(hostile_cycle_hits_nesting_limit)
{
    /* root -> struct at word 1 whose only pointer points at itself */
    EXPECT_EQ(FLAT(S(0, 0, 1), S(-1, 0, 1)), CAPNP_E_NESTING_LIMIT);
}

TEST(hostile_cycle_hits_traversal_limit)
{
    static const uint64_t w[] = {S(0, 0, 1), S(-1, 0, 1)};
    struct capnp_read_opts o = {.nesting_limit = 100000,
                                .traversal_limit = 1000};
    EXPECT_EQ(flat_opts(w, 2, &o), CAPNP_E_TRAVERSAL_LIMIT);
}

TEST(hostile_aliasing_amplification)
{
    static uint64_t w[4 + 64];
    struct capnp_read_opts o = {.traversal_limit = 150};
    uint32_t i;

    /* root with 3 pointers, all to the same 64-word list: 192+ words */
    w[0] = S(0, 0, 3);
    w[1] = L(2, 5, 64);
    w[2] = L(1, 5, 64);
    w[3] = L(0, 5, 64);
    for (i = 0; i < 64; i++)
        w[4 + i] = i;
    EXPECT_EQ(flat_opts(w, 68, &o), CAPNP_E_TRAVERSAL_LIMIT);
    o.traversal_limit = 300;
    EXPECT_EQ(flat_opts(w, 68, &o), CAPNP_OK);
}

TEST(hostile_zero_sized_elements_charged)
{
    /* 2^29-1 void elements / zero-sized structs cost one word each */
    EXPECT_EQ(FLAT(L(0, 0, 0x1fffffff)), CAPNP_E_TRAVERSAL_LIMIT);
    EXPECT_EQ(FLAT(L(0, 7, 0), S(0x1fffffff, 0, 0)),
              CAPNP_E_TRAVERSAL_LIMIT);
    EXPECT_EQ(FLAT(L(0, 0, 1000)), CAPNP_OK);
}

TEST(hostile_deep_nesting)
{
    static uint64_t w[101];
    struct capnp_read_opts o = {.nesting_limit = 101};
    uint32_t i;

    for (i = 0; i < 100; i++)
        w[i] = S(0, 0, 1); /* each struct's pointer -> next word */
    w[100] = 0;
    EXPECT_EQ(flat_opts(w, 101, NULL), CAPNP_E_NESTING_LIMIT);
    EXPECT_EQ(flat_opts(w, 101, &o), CAPNP_OK);
}

TEST(hostile_first_error_is_sticky)
{
    static const uint64_t w[] = {S(0, 0, 2), S(5, 1, 0), CAP(9)};
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_msg_init_flat(&m, w, sizeof w, NULL);
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_struct(&s, 0, NULL).data_bytes, 0);
    capnp_read_cap(&s, 1);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
}

TEST(hostile_error_names_distinct)
{
    int i, j;
    for (i = 0; i < CAPNP_E__COUNT; i++)
        for (j = i + 1; j < CAPNP_E__COUNT; j++)
            EXPECT_TRUE(__builtin_strcmp(capnp_errname(i),
                                         capnp_errname(j)) != 0);
    EXPECT_TRUE(__builtin_strcmp(capnp_errname(CAPNP_E_CAP_INDEX),
                                 "CAP_INDEX") == 0);
    EXPECT_TRUE(__builtin_strcmp(capnp_strerror(CAPNP_E__COUNT), "?") == 0);
}

/* Table mode (more segments than the inline store): segment sizes come
 * from the buffer's table; every segment is found, a missing one is
 * FAR_SEGMENT, a pad past a segment FAR_OUT_OF_BOUNDS. */
TEST(hostile_table_mode_far_pointers)
{
    static _Alignas(8) uint8_t big[8 + 40 * 4 + 40 * 8];
    uint32_t n = 40, hdr = (n / 2 + 1) * 8;
    uint64_t *w = (uint64_t *)(void *)(big + hdr);
    struct capnp_msg m;
    struct capnp_struct s;

    memset(big, 0, sizeof big);
    n = 39;
    memcpy(big, &n, 4);
    for (uint32_t i = 0; i < 40; i++) {
        uint32_t one = 1;
        memcpy(big + 4 + 4 * i, &one, 4);
    }
    /* seg0: root = far to seg 37 word 0; seg37: struct pad (0 dw, 0 pw) */
    w[0] = F(0, 0, 37);
    w[37] = S(-1, 0, 0);
    ASSERT_EQ(capnp_msg_init(&m, big, sizeof big, NULL), CAPNP_OK);
    EXPECT_EQ(m.stride, 3);
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
    EXPECT_TRUE(s.seg_words == w + 37);
    w[0] = F(0, 0, 40);
    ASSERT_EQ(capnp_msg_init(&m, big, sizeof big, NULL), CAPNP_OK);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_FAR_SEGMENT);
    w[0] = F(0, 1, 38);
    ASSERT_EQ(capnp_msg_init(&m, big, sizeof big, NULL), CAPNP_OK);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_FAR_OUT_OF_BOUNDS);
}
