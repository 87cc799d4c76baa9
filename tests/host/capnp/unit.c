/* SPDX-License-Identifier: MIT */
/*
 * unit.c - builder and reader round trips inside the C runtime: every
 * layout, defaults, schema evolution, list upgrades, arena and table
 * limits, framing, flat mode and deep copy.
 */
#include "testall.h"

#include <string.h>

static uint64_t arena[2048];
static _Alignas(8) uint8_t wire[16384];

TEST(unit_roundtrip_in_place)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_builder_init(&b, arena, 2048);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    ASSERT_EQ(capnp_msg_init_builder(&m, &b, NULL), CAPNP_OK);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
    EXPECT_EQ(capnp_msg_validate(&m), CAPNP_OK);
}

TEST(unit_roundtrip_framed_multi_segment)
{
    static uint64_t segs[15][10];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;
    size_t n;
    uint32_t i;

    capnp_builder_init(&b, arena, 3);
    for (i = 0; i < 14; i++)
        capnp_builder_add_segment(&b, segs[i], 8 + (i % 3));
    capnp_builder_add_segment(&b, arena + 8, 1000);
    EXPECT_EQ(capnp_builder_add_segment(&b, segs[14], 10),
              CAPNP_E_TOO_MANY_SEGMENTS);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    ASSERT_EQ(capnp_builder_serialize(&b, wire, sizeof wire, &n), CAPNP_OK);
    EXPECT_EQ(n, capnp_builder_size(&b));
    ASSERT_EQ(capnp_msg_init(&m, wire, n, NULL), CAPNP_OK);
    EXPECT_TRUE(m.nsegs > 2);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
    /* the kernel policy rejects this message */
    capnp_msg_init(&m, wire, n, &(struct capnp_read_opts){
                                    .flags = CAPNP_READ_NO_FAR});
    EXPECT_EQ(capnp_msg_validate(&m), CAPNP_E_FAR_FORBIDDEN);
}

TEST(unit_flat_mode)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;
    const uint64_t *w;
    uint32_t n = 0;

    capnp_builder_init(&b, arena, 2048);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    w = capnp_builder_flat(&b, &n);
    ASSERT_TRUE(w == arena);
    ASSERT_EQ(capnp_msg_init_flat(&m, w, (size_t)n * 8, NULL), CAPNP_OK);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
}

TEST(unit_defaults_when_absent)
{
    static const uint64_t w[] = {0};
    struct capnp_msg m;
    struct capnp_struct s, d;

    capnp_msg_init_flat(&m, w, 8, NULL);
    s = capnp_msg_root(&m); /* null root: every field is its default */
    EXPECT_EQ(capnp_read_i32(&s, TA_DEFINT32, TA_DEF_INT32), TA_DEF_INT32);
    EXPECT_EQ(capnp_read_u64(&s, TA_DEFUINT64, TA_DEF_UINT64), TA_DEF_UINT64);
    EXPECT_EQ(capnp_read_bool(&s, TA_DEFBOOL, true), true);
    EXPECT_EQ(capnp_read_f32_bits(&s, TA_DEFFLOAT32, TA_DEF_FLOAT32),
              TA_DEF_FLOAT32);
    EXPECT_EQ(capnp_read_text(&s, TA_P_DEFTEXT, (struct capnp_text){"hi", 2})
                  .len, 2);
    EXPECT_EQ(capnp_read_text(&s, TA_P_TEXT, (struct capnp_text){0}).len, 0);
    d = capnp_read_struct(&s, TA_P_DEFSTRUCT, &ta_defstruct_default);
    EXPECT_EQ(capnp_read_u32(&d, INNER_ID, 0), 7);
    EXPECT_EQ(capnp_read_text(&d, INNER_NAME, (struct capnp_text){0}).len, 5);
    EXPECT_EQ(capnp_read_list(&s, TA_P_INT32L, CAPNP_ELEM_FOUR, NULL).count,
              0);
    EXPECT_EQ(capnp_read_cap(&s, TA_P_CAP), CAPNP_CAP_NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* An old writer (1 data word, 0 pointers) read by a new reader. */
TEST(unit_schema_evolution)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 1, 0);
    capnp_write_u32(&r, 1, 77, 0);
    capnp_write_u32(&r, 2, 1, 0); /* beyond the data section */
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_FIELD_RANGE);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_u32(&s, 1, 0), 77);
    EXPECT_EQ(capnp_read_u32(&s, 2, 9), 9);
    EXPECT_EQ(capnp_read_u64(&s, 1, 5), 5);
    EXPECT_EQ(capnp_read_bool(&s, 64, true), true);
    EXPECT_EQ(capnp_read_text(&s, 0, (struct capnp_text){0}).len, 0);
    EXPECT_FALSE(capnp_has_ptr(&s, 0));
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(unit_list_upgrades)
{
    struct capnp_builder b;
    struct capnp_struct_builder r, e;
    struct capnp_list_builder lb;
    struct capnp_msg m;
    struct capnp_struct s, es;
    struct capnp_list l;

    capnp_builder_init(&b, arena, 256);
    r = capnp_builder_init_root(&b, 0, 2);
    lb = capnp_init_list(&r, 0, CAPNP_ELEM_FOUR, 3);
    capnp_list_write_u32(&lb, 2, 0xabcd);
    lb = capnp_init_struct_list(&r, 1, 2, 1, 1);
    e = capnp_list_builder_struct(&lb, 1);
    capnp_write_u64(&e, 0, 0x1122334455667788ull, 0);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_msg_root(&m);
    /* List(UInt32) read as List(Struct): field 0 is the element */
    l = capnp_read_list(&s, 0, CAPNP_ELEM_COMPOSITE, NULL);
    es = capnp_list_struct(&l, 2);
    EXPECT_EQ(capnp_read_u32(&es, 0, 0), 0xabcd);
    EXPECT_EQ(capnp_read_u32(&es, 1, 0), 0); /* beyond its 4 bytes */
    /* List(Struct) read as List(UInt32)/List(UInt64): first data field */
    l = capnp_read_list(&s, 1, CAPNP_ELEM_FOUR, NULL);
    EXPECT_EQ(capnp_list_read_u32(&l, 1), 0x55667788u);
    EXPECT_EQ(capnp_list_read_u64(&l, 1), 0x1122334455667788ull);
    EXPECT_EQ(capnp_list_read_u64(&l, 2), 0); /* out of range */
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(unit_bit_list_long)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_list_builder lb;
    struct capnp_msg m;
    struct capnp_struct s;
    struct capnp_list l;
    uint32_t i;

    capnp_builder_init(&b, arena, 256);
    r = capnp_builder_init_root(&b, 0, 1);
    lb = capnp_init_list(&r, 0, CAPNP_ELEM_BIT, 200);
    for (i = 0; i < 200; i++)
        capnp_list_write_bool(&lb, i, i % 3 == 0);
    capnp_list_write_bool(&lb, 200, true);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_INDEX_RANGE);
    EXPECT_EQ(b.segs[0].used, 1 + 1 + 4);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_msg_root(&m);
    l = capnp_read_list(&s, 0, CAPNP_ELEM_BIT, NULL);
    ASSERT_EQ(l.count, 200);
    for (i = 0; i < 200; i++)
        EXPECT_EQ(capnp_list_read_bool(&l, i), i % 3 == 0);
    EXPECT_EQ(capnp_list_read_bool(&l, 200), false);
}

TEST(unit_zero_sized_struct_is_not_null)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;
    struct capnp_ptr p;

    capnp_builder_init(&b, arena, 16);
    r = capnp_builder_init_root(&b, 0, 1);
    capnp_init_struct(&r, 0, 0, 0);
    EXPECT_NE(r.ptrs[0], 0);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_msg_root(&m);
    p = capnp_struct_ptr(&s, 0);
    EXPECT_EQ(capnp_ptr_kind(&p), CAPNP_PTR_STRUCT);
    EXPECT_EQ(capnp_msg_validate(&m), CAPNP_OK);
}

TEST(unit_arena_exhaustion_never_overflows)
{
    static uint64_t small[40];
    struct capnp_builder b;
    struct capnp_struct_builder r, x;
    uint32_t i;

    for (i = 0; i < 40; i++)
        small[i] = 0xdeadbeefcafef00dull;
    capnp_builder_init(&b, small, 32);
    r = capnp_builder_init_root(&b, 1, 2);
    capnp_set_text(&r, 0, (const char *)arena, 300); /* 38 words */
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_ARENA_FULL);
    x = capnp_init_struct(&r, 1, 1, 0);
    EXPECT_TRUE(x.data == NULL);
    capnp_write_u64(&x, 0, 1, 0); /* no-op on an empty builder view */
    for (i = 32; i < 40; i++)
        EXPECT_EQ(small[i], 0xdeadbeefcafef00dull);
    capnp_builder_init(&b, small, 0);
    capnp_builder_init_root(&b, 1, 0);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_ARENA_FULL);
}

TEST(unit_limits_of_builder)
{
    uint64_t caps[1];
    struct capnp_builder b;
    struct capnp_struct_builder r;

    capnp_builder_init(&b, arena, 64);
    capnp_builder_set_cap_table(&b, caps, 1);
    r = capnp_builder_init_root(&b, 0, 3);
    capnp_set_cap(&r, 0, 1);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    capnp_set_cap(&r, 1, 2);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_CAP_TABLE_FULL);
    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 0, 1);
    capnp_init_list(&r, 0, CAPNP_ELEM_BYTE, 1u << 29);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_LIST_TOO_LONG);
    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 0, 1);
    capnp_init_struct_list(&r, 0, 1u << 20, 1000, 0);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_LIST_TOO_LONG);
    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 0, 1);
    capnp_init_list(&r, 0, CAPNP_ELEM_COMPOSITE, 1);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_BAD_ARG);
    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 0, 1);
    capnp_set_text(&r, 5, "x", 1);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_FIELD_RANGE);
    capnp_builder_init(&b, (uint64_t *)(void *)((char *)arena + 4), 64);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_E_MISALIGNED);
}

TEST(unit_serialize_framing)
{
    static uint64_t seg1[8];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    uint32_t table[4];
    size_t n = 0;

    capnp_builder_init(&b, arena, 2);
    capnp_builder_add_segment(&b, seg1, 8);
    r = capnp_builder_init_root(&b, 2, 0);
    capnp_write_u64(&r, 1, 99, 0);
    EXPECT_EQ(capnp_builder_size(&b), 16 + 8 + 24);
    EXPECT_EQ(capnp_builder_serialize(&b, wire, 40, &n),
              CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(n, 48);
    ASSERT_EQ(capnp_builder_serialize(&b, wire, sizeof wire, &n), CAPNP_OK);
    memcpy(table, wire, 16);
    EXPECT_EQ(table[0], 1);  /* two segments */
    EXPECT_EQ(table[1], 1);  /* seg0: the root far pointer */
    EXPECT_EQ(table[2], 3);  /* seg1: landing pad + 2 data words */
    EXPECT_EQ(table[3], 0);  /* padding */
    EXPECT_EQ(capnp_builder_write_table(&b, wire, 8), 0);
    EXPECT_EQ(capnp_builder_write_table(&b, wire, 16), 16);
    EXPECT_TRUE(capnp_builder_flat(&b, &table[0]) == NULL);
}

TEST(unit_many_segments_with_caller_store)
{
    static _Alignas(8) uint8_t big[8 + 20 * 4 + 8];
    struct capnp_seg store[20];
    struct capnp_read_opts o = {.seg_store = store, .seg_store_len = 20};
    struct capnp_msg m;
    uint32_t n = 19;

    memset(big, 0, sizeof big);
    memcpy(big, &n, 4);
    EXPECT_EQ(capnp_msg_init(&m, big, sizeof big, NULL), CAPNP_OK);
    EXPECT_EQ(m.stride, 2); /* table mode */
    EXPECT_EQ(capnp_msg_init(&m, big, sizeof big, &o), CAPNP_OK);
    EXPECT_EQ(m.stride, 0);
    EXPECT_EQ(m.nsegs, 20);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NO_ROOT);
}

TEST(unit_copy_list_element_and_upgraded_struct)
{
    static uint64_t arena2[512];
    struct capnp_builder b, b2;
    struct capnp_struct_builder r, r2;
    struct capnp_msg m, m2;
    struct capnp_struct s, e, s2;
    struct capnp_list l;

    capnp_builder_init(&b, arena, 2048);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_msg_root(&m);
    l = capnp_read_list(&s, TA_P_STRUCTL, CAPNP_ELEM_COMPOSITE, NULL);
    e = capnp_list_struct(&l, 1);
    capnp_builder_init(&b2, arena2, 512);
    r2 = capnp_builder_init_root(&b2, 0, 3);
    capnp_set_struct(&r2, 0, &e);
    capnp_set_struct(&r2, 1, &s);
    l = capnp_read_list(&s, TA_P_INT16L, CAPNP_ELEM_COMPOSITE, NULL);
    e = capnp_list_struct(&l, 1); /* 2-byte data section */
    capnp_set_struct(&r2, 2, &e);
    ASSERT_EQ(capnp_builder_error(&b2), CAPNP_OK);
    capnp_msg_init_builder(&m2, &b2, NULL);
    s2 = capnp_msg_root(&m2);
    e = capnp_read_struct(&s2, 0, NULL);
    EXPECT_EQ(capnp_read_u32(&e, INNER_ID, 0), 2);
    EXPECT_EQ(capnp_read_text(&e, INNER_NAME, (struct capnp_text){0}).len, 3);
    e = capnp_read_struct(&s2, 1, NULL);
    ta_check(t, &e);
    e = capnp_read_struct(&s2, 2, NULL);
    EXPECT_EQ(capnp_read_i16(&e, 0, 0), 300);
    EXPECT_EQ(e.data_bytes, 8);
}

TEST(unit_builder_view)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;

    capnp_builder_init(&b, arena, 64);
    r = capnp_builder_init_root(&b, 1, 1);
    capnp_write_u16(&r, 3, 0xbeef, 0);
    capnp_set_text(&r, 0, "abc", 3);
    capnp_msg_init_builder(&m, &b, NULL);
    s = capnp_struct_builder_view(&r, &m);
    EXPECT_EQ(capnp_read_u16(&s, 3, 0), 0xbeef);
    EXPECT_EQ(capnp_read_text(&s, 0, (struct capnp_text){0}).len, 3);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* A builder returned by value keeps working (user code returns message
 * buffers holding a builder by value). */
static struct capnp_builder start_copy(uint64_t *w, uint32_t n)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;

    capnp_builder_init(&b, w, n);
    r = capnp_builder_init_root(&b, 1, 1);
    capnp_write_u64(&r, 0, 77, 0);
    return b;
}

TEST(unit_builder_copied_by_value)
{
    struct capnp_builder b = start_copy(arena, 2048);
    struct capnp_msg m;
    struct capnp_struct s;
    size_t n;

    s = (struct capnp_struct){0};
    {
        struct capnp_ptr_builder root = capnp_builder_root_ptr(&b);
        EXPECT_TRUE(root.p == arena);
    }
    ASSERT_EQ(capnp_builder_serialize(&b, wire, sizeof wire, &n), CAPNP_OK);
    EXPECT_EQ(n, 8u + 8u + 16u); /* table, root pointer, struct */
    ASSERT_EQ(capnp_msg_init(&m, wire, n, NULL), CAPNP_OK);
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_u64(&s, 0, 0), 77u);
}
