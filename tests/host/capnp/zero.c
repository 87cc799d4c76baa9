/* SPDX-License-Identifier: MIT */
/*
 * zero.c - replaced data leaves no trace: after every kind of overwrite
 * (text, data, struct and list re-init, deep copy over, clear, capability
 * over an object), near, far and double-far, the serialized message holds
 * no byte of the old value.  The old values are made of a marker byte
 * (0xA7) that nothing else in the messages contains.
 */
#include <capnp/capnp.h>
#include <common/test.h>

#include <string.h>

#define MARK 0xA7u

static uint64_t arena[512];
static uint64_t seg1[64], seg2[64], seg3[64];
static _Alignas(8) uint8_t wire[8192];

/* Serialize b; true if no byte of the message is MARK. */
static bool clean(struct capnp_builder *b)
{
    size_t n = 0;

    if (capnp_builder_serialize(b, wire, sizeof wire, &n) != CAPNP_OK)
        return false;
    return memchr(wire, MARK, n) == NULL;
}

/* Marker text/data of `len` bytes. */
static const char *marks(uint32_t len)
{
    static char m[256];
    memset(m, (int)MARK, sizeof m);
    return len <= sizeof m ? m : NULL;
}

/* A struct (2 data words, 3 pointers) full of marker content: data words,
 * a text, a struct with a text, a list of texts. */
static void fill_marked(struct capnp_struct_builder *s)
{
    struct capnp_struct_builder in;
    struct capnp_list_builder l;
    struct capnp_ptr_builder pb;

    capnp_write_u64(s, 0, 0xA7A7A7A7A7A7A7A7u, 0);
    capnp_write_u64(s, 1, 0xA7A7A7A7A7A7A7A7u, 0);
    capnp_set_text(s, 0, marks(20), 20);
    in = capnp_init_struct(s, 1, 1, 1);
    capnp_write_u64(&in, 0, 0xA7A7A7A7A7A7A7A7u, 0);
    capnp_set_data(&in, 0, marks(9), 9);
    l = capnp_init_list(s, 2, CAPNP_ELEM_POINTER, 3);
    for (uint32_t i = 0; i < 3; i++) {
        pb = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_text(&pb, marks(5 + i), 5 + i);
    }
}

static struct capnp_struct_builder start(struct capnp_builder *b,
                                         uint32_t words)
{
    capnp_builder_init(b, arena, words);
    return capnp_builder_init_root(b, 1, 4);
}

TEST(zero_text_and_data_overwrite)
{
    struct capnp_builder b;
    struct capnp_struct_builder r = start(&b, 512);

    capnp_set_text(&r, 0, marks(30), 30);
    capnp_set_data(&r, 1, marks(17), 17);
    EXPECT_FALSE(clean(&b)); /* the check can fail */
    capnp_set_text(&r, 0, "new", 3);
    capnp_set_data(&r, 1, "x", 1);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
}

TEST(zero_struct_reinit_deep)
{
    struct capnp_builder b;
    struct capnp_struct_builder r = start(&b, 512), s;

    s = capnp_init_struct(&r, 0, 2, 3);
    fill_marked(&s);
    EXPECT_FALSE(clean(&b));
    s = capnp_init_struct(&r, 0, 2, 3);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
}

TEST(zero_list_reinit)
{
    struct capnp_builder b;
    struct capnp_struct_builder r = start(&b, 512), e;
    struct capnp_list_builder l;

    l = capnp_init_struct_list(&r, 0, 3, 2, 3);
    for (uint32_t i = 0; i < 3; i++) {
        e = capnp_list_builder_struct(&l, i);
        fill_marked(&e);
    }
    l = capnp_init_list(&r, 1, CAPNP_ELEM_BYTE, 40);
    for (uint32_t i = 0; i < 40; i++)
        capnp_list_write_u8(&l, i, MARK);
    EXPECT_FALSE(clean(&b));
    capnp_init_struct_list(&r, 0, 1, 1, 0);
    capnp_init_list(&r, 1, CAPNP_ELEM_BIT, 3);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
}

TEST(zero_clear_and_cap_over_object)
{
    struct capnp_builder b;
    struct capnp_struct_builder r = start(&b, 512), s;
    struct capnp_ptr_builder pb;
    uint64_t caps[2];

    capnp_builder_set_cap_table(&b, caps, 2);
    s = capnp_init_struct(&r, 0, 2, 3);
    fill_marked(&s);
    capnp_set_text(&r, 1, marks(12), 12);
    pb = capnp_struct_builder_ptr(&r, 0);
    capnp_ptr_clear(&pb);
    capnp_set_cap(&r, 1, 77);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
}

/* The copy source is the object being replaced (read back in place). */
TEST(zero_copy_over_itself_keeps_the_copy)
{
    struct capnp_builder b;
    struct capnp_struct_builder r = start(&b, 512), s;
    struct capnp_msg m;
    struct capnp_struct rr, in;
    struct capnp_text tx;

    s = capnp_init_struct(&r, 0, 1, 1);
    capnp_write_u64(&s, 0, 42, 0);
    capnp_set_text(&s, 0, "keep", 4);
    capnp_set_text(&r, 1, "self", 4);
    capnp_msg_init_builder(&m, &b, NULL);
    rr = capnp_msg_root(&m);
    in = capnp_read_struct(&rr, 0, NULL);
    capnp_set_struct(&r, 0, &in);
    tx = capnp_read_text(&rr, 1, (struct capnp_text){0});
    capnp_set_text(&r, 1, tx.str, tx.len);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    capnp_msg_init_builder(&m, &b, NULL);
    rr = capnp_msg_root(&m);
    in = capnp_read_struct(&rr, 0, NULL);
    EXPECT_EQ(capnp_read_u64(&in, 0, 0), 42u);
    EXPECT_TRUE(strcmp(capnp_read_text(&in, 0, (struct capnp_text){0}).str, "keep") == 0);
    EXPECT_TRUE(strcmp(capnp_read_text(&rr, 1, (struct capnp_text){0}).str, "self") == 0);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(zero_deep_copy_over)
{
    static uint64_t src_arena[256];
    struct capnp_builder b, sb;
    struct capnp_struct_builder r = start(&b, 512), s, so;
    struct capnp_msg m;
    struct capnp_struct in;
    struct capnp_struct rr;

    s = capnp_init_struct(&r, 0, 2, 3);
    fill_marked(&s);
    capnp_builder_init(&sb, src_arena, 256);
    so = capnp_builder_init_root(&sb, 1, 1);
    so = capnp_init_struct(&so, 0, 1, 1);
    capnp_write_u64(&so, 0, 5, 0);
    capnp_set_text(&so, 0, "src", 3);
    capnp_msg_init_builder(&m, &sb, NULL);
    rr = capnp_msg_root(&m);
    in = capnp_read_struct(&rr, 0, NULL);
    capnp_set_struct(&r, 0, &in);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
}

/* Objects behind single- and double-far pointers, pads included. */
TEST(zero_far_and_double_far)
{
    struct capnp_builder b;
    struct capnp_struct_builder r, s;
    struct capnp_msg m;
    struct capnp_struct rr;

    /* root fills segment 0: the struct goes far into seg1. */
    r = start(&b, 1 + 5);
    capnp_builder_add_segment(&b, seg1, 64);
    s = capnp_init_struct(&r, 0, 2, 3);
    fill_marked(&s);
    EXPECT_FALSE(clean(&b));
    capnp_set_text(&r, 0, "", 0);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
    /* double far: seg1 has room for the pad only, seg2 for the object */
    r = start(&b, 1 + 5);
    capnp_builder_add_segment(&b, seg1, 2);
    capnp_builder_add_segment(&b, seg2, 13);
    capnp_set_data(&r, 0, marks(100), 100);
    capnp_builder_add_segment(&b, seg3, 20);
    EXPECT_FALSE(clean(&b));
    capnp_msg_init_builder(&m, &b, NULL);
    rr = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_data(&rr, 0, (struct capnp_data){0}).len, 100u);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
    EXPECT_EQ(b.segs[1].used, 2u); /* the pad went to seg1 */
    capnp_set_data(&r, 0, "y", 1);
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_TRUE(clean(&b));
    EXPECT_EQ(seg1[0] | seg1[1], 0u);
}
