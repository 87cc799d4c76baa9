/* SPDX-License-Identifier: MIT */
/*
 * testall.c - fill and check a TestAll message with the content of
 * testall.txt, through the runtime's primitives only.
 */
#include "testall.h"

#include <string.h>

static const uint64_t ta_defstruct_words[] = {
    UINT64_C(0x0001000100000000), /* root: struct, 1 data word, 1 ptr */
    7,                            /* id */
    UINT64_C(0x0000003200000001), /* name: byte list of 6, offset 0 */
    UINT64_C(0x0000006e65766573), /* "seven\0" */
};
const struct capnp_seg ta_defstruct_default = {ta_defstruct_words, 4};

static uint32_t f32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t f64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* Set a text field from a C string. */
static void text(const struct capnp_struct_builder *sb, uint32_t i,
                 const char *s)
{
    capnp_set_text(sb, i, s, (uint32_t)strlen(s));
}

/* Scalars, including explicit values of defaulted fields. */
static void fill_scalars(const struct capnp_struct_builder *r)
{
    capnp_write_bool(r, TA_BOOL, true, false);
    capnp_write_i8(r, TA_INT8, -12, 0);
    capnp_write_i16(r, TA_INT16, -1234, 0);
    capnp_write_i32(r, TA_INT32, -123456, 0);
    capnp_write_i64(r, TA_INT64, -1234567890123LL, 0);
    capnp_write_u8(r, TA_UINT8, 200, 0);
    capnp_write_u16(r, TA_UINT16, 60000, 0);
    capnp_write_u32(r, TA_UINT32, 4000000000u, 0);
    capnp_write_u64(r, TA_UINT64, 18000000000000000000ull, 0);
    capnp_write_f32_bits(r, TA_FLOAT32, f32(1.25f), 0);
    capnp_write_f64_bits(r, TA_FLOAT64, f64(-2.5e100), 0);
    capnp_write_u16(r, TA_ENUM, 1, 0);
    capnp_write_i32(r, TA_DEFINT32, 5, TA_DEF_INT32);
    capnp_write_u64(r, TA_DEFUINT64, 0, TA_DEF_UINT64);
    capnp_write_bool(r, TA_DEFBOOL, false, true);
    capnp_write_f32_bits(r, TA_DEFFLOAT32, f32(0.0f), TA_DEF_FLOAT32);
    capnp_write_u16(r, TA_DEFENUM, 0, TA_DEF_ENUM);
}

/* Lists of primitives. */
static void fill_prim_lists(const struct capnp_struct_builder *r)
{
    static const bool bools[9] = {1, 0, 1, 1, 0, 0, 0, 0, 1};
    struct capnp_list_builder l;
    uint32_t i;

    capnp_init_list(r, TA_P_VOIDL, CAPNP_ELEM_VOID, 3);
    l = capnp_init_list(r, TA_P_BOOLL, CAPNP_ELEM_BIT, 9);
    for (i = 0; i < 9; i++)
        capnp_list_write_bool(&l, i, bools[i]);
    l = capnp_init_list(r, TA_P_INT8L, CAPNP_ELEM_BYTE, 3);
    capnp_list_write_i8(&l, 0, 1);
    capnp_list_write_i8(&l, 1, -2);
    capnp_list_write_i8(&l, 2, 3);
    l = capnp_init_list(r, TA_P_INT16L, CAPNP_ELEM_TWO, 2);
    capnp_list_write_i16(&l, 0, -300);
    capnp_list_write_i16(&l, 1, 300);
    l = capnp_init_list(r, TA_P_INT32L, CAPNP_ELEM_FOUR, 3);
    capnp_list_write_i32(&l, 0, 100000);
    capnp_list_write_i32(&l, 1, -100000);
    capnp_list_write_i32(&l, 2, 7);
    l = capnp_init_list(r, TA_P_INT64L, CAPNP_ELEM_EIGHT, 3);
    capnp_list_write_i64(&l, 0, 1);
    capnp_list_write_i64(&l, 1, -1);
    capnp_list_write_i64(&l, 2, INT64_MAX);
    l = capnp_init_list(r, TA_P_F64L, CAPNP_ELEM_EIGHT, 2);
    capnp_list_write_f64_bits(&l, 0, f64(0.5));
    capnp_list_write_f64_bits(&l, 1, f64(-0.25));
    l = capnp_init_list(r, TA_P_ENUML, CAPNP_ELEM_TWO, 3);
    capnp_list_write_u16(&l, 0, 0);
    capnp_list_write_u16(&l, 1, 2);
    capnp_list_write_u16(&l, 2, 1);
}

/* Lists of pointers and structs. */
static void fill_ptr_lists(const struct capnp_struct_builder *r)
{
    static const char *const texts[3] = {"a", "bc", ""};
    static const char *const names[2] = {"one", "two"};
    struct capnp_list_builder l, in;
    struct capnp_ptr_builder pb;
    uint32_t i;

    l = capnp_init_list(r, TA_P_TEXTL, CAPNP_ELEM_POINTER, 3);
    for (i = 0; i < 3; i++) {
        pb = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_text(&pb, texts[i], (uint32_t)strlen(texts[i]));
    }
    l = capnp_init_struct_list(r, TA_P_STRUCTL, 2, INNER_DW, INNER_PW);
    for (i = 0; i < 2; i++) {
        struct capnp_struct_builder e = capnp_list_builder_struct(&l, i);
        capnp_write_u32(&e, INNER_ID, i + 1, 0);
        text(&e, INNER_NAME, names[i]);
    }
    l = capnp_init_list(r, TA_P_LISTL, CAPNP_ELEM_POINTER, 3);
    pb = capnp_list_builder_ptr(&l, 0);
    in = capnp_ptr_init_list(&pb, CAPNP_ELEM_FOUR, 2);
    capnp_list_write_i32(&in, 0, 1);
    capnp_list_write_i32(&in, 1, 2);
    pb = capnp_list_builder_ptr(&l, 1);
    capnp_ptr_init_list(&pb, CAPNP_ELEM_FOUR, 0);
    pb = capnp_list_builder_ptr(&l, 2);
    in = capnp_ptr_init_list(&pb, CAPNP_ELEM_FOUR, 1);
    capnp_list_write_i32(&in, 0, 3);
}

/* Fill `root` with the content of testall.txt. */
void ta_fill(const struct capnp_struct_builder *r)
{
    static const uint8_t data[4] = {0, 1, 0xfe, 0xff};
    struct capnp_struct_builder in, grp = *r;

    fill_scalars(r);
    text(r, TA_P_TEXT, "text");
    capnp_set_data(r, TA_P_DATA, data, 4);
    in = capnp_init_struct(r, TA_P_STRUCT, INNER_DW, INNER_PW);
    capnp_write_u32(&in, INNER_ID, 42, 0);
    text(&in, INNER_NAME, "inner");
    fill_prim_lists(r);
    fill_ptr_lists(r);
    capnp_write_which(r, TA_WHICH, TA_WHICH_UNB);
    text(r, TA_P_UNION, "union text");
    capnp_write_i64(&grp, TA_GX, -9, 0); /* a group is the same struct */
    text(&grp, TA_P_GY, "group");
}

/* Does text view v equal C string s? */
static bool text_is(struct capnp_text v, const char *s)
{
    return v.len == strlen(s) && memcmp(v.str, s, v.len) == 0 &&
           v.str[v.len] == 0;
}

static void check_scalars(struct test_ctx *t, const struct capnp_struct *s)
{
    EXPECT_EQ(capnp_read_bool(s, TA_BOOL, false), true);
    EXPECT_EQ(capnp_read_i8(s, TA_INT8, 0), (uint64_t)(int8_t)-12);
    EXPECT_EQ(capnp_read_i16(s, TA_INT16, 0), (uint64_t)(int16_t)-1234);
    EXPECT_EQ(capnp_read_i32(s, TA_INT32, 0), (uint64_t)(int32_t)-123456);
    EXPECT_EQ(capnp_read_i64(s, TA_INT64, 0), (uint64_t)-1234567890123LL);
    EXPECT_EQ(capnp_read_u8(s, TA_UINT8, 0), 200);
    EXPECT_EQ(capnp_read_u16(s, TA_UINT16, 0), 60000);
    EXPECT_EQ(capnp_read_u32(s, TA_UINT32, 0), 4000000000u);
    EXPECT_EQ(capnp_read_u64(s, TA_UINT64, 0), 18000000000000000000ull);
    EXPECT_EQ(capnp_read_f32_bits(s, TA_FLOAT32, 0), f32(1.25f));
    EXPECT_EQ(capnp_read_f64_bits(s, TA_FLOAT64, 0), f64(-2.5e100));
    EXPECT_EQ(capnp_read_u16(s, TA_ENUM, 0), 1);
    EXPECT_EQ(capnp_read_i32(s, TA_DEFINT32, TA_DEF_INT32), 5);
    EXPECT_EQ(capnp_read_u64(s, TA_DEFUINT64, TA_DEF_UINT64), 0);
    EXPECT_EQ(capnp_read_bool(s, TA_DEFBOOL, true), false);
    EXPECT_EQ(capnp_read_f32_bits(s, TA_DEFFLOAT32, TA_DEF_FLOAT32), 0);
    EXPECT_EQ(capnp_read_u16(s, TA_DEFENUM, TA_DEF_ENUM), 0);
    EXPECT_EQ(capnp_read_which(s, TA_WHICH), TA_WHICH_UNB);
    EXPECT_EQ(capnp_read_i64(s, TA_GX, 0), (uint64_t)-9);
}

static void check_prim_lists(struct test_ctx *t, const struct capnp_struct *s)
{
    static const bool bools[9] = {1, 0, 1, 1, 0, 0, 0, 0, 1};
    struct capnp_list l;
    uint32_t i;

    l = capnp_read_list(s, TA_P_VOIDL, CAPNP_ELEM_VOID, NULL);
    EXPECT_EQ(l.count, 3);
    l = capnp_read_list(s, TA_P_BOOLL, CAPNP_ELEM_BIT, NULL);
    EXPECT_EQ(l.count, 9);
    for (i = 0; i < 9; i++)
        EXPECT_EQ(capnp_list_read_bool(&l, i), bools[i]);
    l = capnp_read_list(s, TA_P_INT8L, CAPNP_ELEM_BYTE, NULL);
    EXPECT_EQ(l.count, 3);
    EXPECT_EQ(capnp_list_read_i8(&l, 1), (uint64_t)(int8_t)-2);
    EXPECT_EQ(capnp_list_read_i8(&l, 2), 3);
    l = capnp_read_list(s, TA_P_INT16L, CAPNP_ELEM_TWO, NULL);
    EXPECT_EQ(l.count, 2);
    EXPECT_EQ(capnp_list_read_i16(&l, 0), (uint64_t)(int16_t)-300);
    l = capnp_read_list(s, TA_P_INT32L, CAPNP_ELEM_FOUR, NULL);
    EXPECT_EQ(l.count, 3);
    EXPECT_EQ(capnp_list_read_i32(&l, 1), (uint64_t)(int32_t)-100000);
    EXPECT_EQ(capnp_list_read_i32(&l, 2), 7);
    l = capnp_read_list(s, TA_P_INT64L, CAPNP_ELEM_EIGHT, NULL);
    EXPECT_EQ(capnp_list_read_i64(&l, 2), INT64_MAX);
    l = capnp_read_list(s, TA_P_F64L, CAPNP_ELEM_EIGHT, NULL);
    EXPECT_EQ(capnp_list_read_f64_bits(&l, 1), f64(-0.25));
    l = capnp_read_list(s, TA_P_ENUML, CAPNP_ELEM_TWO, NULL);
    EXPECT_EQ(l.count, 3);
    EXPECT_EQ(capnp_list_read_u16(&l, 1), 2);
}

static void check_ptr_lists(struct test_ctx *t, const struct capnp_struct *s)
{
    struct capnp_list l, in;
    struct capnp_ptr p;
    struct capnp_struct e;

    l = capnp_read_list(s, TA_P_TEXTL, CAPNP_ELEM_POINTER, NULL);
    EXPECT_EQ(l.count, 3);
    p = capnp_list_ptr(&l, 1);
    EXPECT_TRUE(text_is(capnp_ptr_read_text(&p, (struct capnp_text){0}),
                        "bc"));
    p = capnp_list_ptr(&l, 2);
    EXPECT_TRUE(text_is(capnp_ptr_read_text(&p, (struct capnp_text){0}),
                        ""));
    l = capnp_read_list(s, TA_P_STRUCTL, CAPNP_ELEM_COMPOSITE, NULL);
    EXPECT_EQ(l.count, 2);
    e = capnp_list_struct(&l, 1);
    EXPECT_EQ(capnp_read_u32(&e, INNER_ID, 0), 2);
    EXPECT_TRUE(text_is(capnp_read_text(&e, INNER_NAME, (struct capnp_text){0}),
                        "two"));
    l = capnp_read_list(s, TA_P_LISTL, CAPNP_ELEM_POINTER, NULL);
    EXPECT_EQ(l.count, 3);
    p = capnp_list_ptr(&l, 0);
    in = capnp_ptr_read_list(&p, CAPNP_ELEM_FOUR, NULL);
    EXPECT_EQ(in.count, 2);
    EXPECT_EQ(capnp_list_read_i32(&in, 1), 2);
    p = capnp_list_ptr(&l, 1);
    EXPECT_EQ(capnp_ptr_read_list(&p, CAPNP_ELEM_FOUR, NULL).count, 0);
    p = capnp_list_ptr(&l, 2);
    in = capnp_ptr_read_list(&p, CAPNP_ELEM_FOUR, NULL);
    EXPECT_EQ(capnp_list_read_i32(&in, 0), 3);
}

/* Check every field of s against testall.txt. */
void ta_check(struct test_ctx *t, const struct capnp_struct *s)
{
    struct capnp_text none = {0}, hello = {"hello", 5};
    struct capnp_struct in;
    struct capnp_data d;

    check_scalars(t, s);
    EXPECT_TRUE(text_is(capnp_read_text(s, TA_P_TEXT, none), "text"));
    d = capnp_read_data(s, TA_P_DATA, (struct capnp_data){0});
    EXPECT_EQ(d.len, 4);
    EXPECT_TRUE(d.len == 4 && d.ptr[0] == 0 && d.ptr[3] == 0xff);
    in = capnp_read_struct(s, TA_P_STRUCT, NULL);
    EXPECT_EQ(capnp_read_u32(&in, INNER_ID, 0), 42);
    EXPECT_TRUE(text_is(capnp_read_text(&in, INNER_NAME, none), "inner"));
    check_prim_lists(t, s);
    check_ptr_lists(t, s);
    /* unset pointer fields read as their defaults */
    EXPECT_TRUE(text_is(capnp_read_text(s, TA_P_DEFTEXT, hello), "hello"));
    in = capnp_read_struct(s, TA_P_DEFSTRUCT, &ta_defstruct_default);
    EXPECT_EQ(capnp_read_u32(&in, INNER_ID, 0), 7);
    EXPECT_TRUE(text_is(capnp_read_text(&in, INNER_NAME, none), "seven"));
    EXPECT_TRUE(text_is(capnp_read_text(s, TA_P_UNION, none), "union text"));
    EXPECT_TRUE(text_is(capnp_read_text(s, TA_P_GY, none), "group"));
    EXPECT_EQ(capnp_msg_error(s->msg), CAPNP_OK);
}
