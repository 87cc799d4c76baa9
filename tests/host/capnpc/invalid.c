/* SPDX-License-Identifier: MIT */
/*
 * invalid.c - a field read through an invalid pointer returns the field's
 * schema default (as a null pointer does, and as the reference does in
 * its non-throwing mode) and records the error in the message.
 */
#include <common/test.h>
#include <string.h>

#include "gen_test.capnp.h"

static uint64_t arena[512];
static uint8_t wire[sizeof arena + 64] __attribute__((aligned(8)));

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

/* All with text, data, inner and ints set; pointer word k of the root
 * replaced by `bad`; opened in m. */
static gen_test_all_r corrupt(struct capnp_msg *m, uint32_t k, uint64_t bad)
{
    struct capnp_builder b;
    gen_test_all_b w;
    struct capnp_struct s;
    size_t n = 0;

    capnp_builder_init(&b, arena, 512);
    w = gen_test_all_init_root(&b);
    gen_test_all_set_text(w, "set", 3);
    gen_test_all_set_data(w, "d", 1);
    gen_test_inner_set_a(gen_test_all_init_inner(w), 5);
    gen_test_all_init_ints(w, 1);
    capnp_builder_serialize(&b, wire, sizeof wire, &n);
    capnp_msg_init(m, wire, n, NULL);
    s = capnp_msg_root(m);
    ((uint64_t *)(uintptr_t)s.ptrs)[k] = bad;
    return gen_test_all_read_root(m);
}

/* a list pointer far out of bounds; a struct pointer likewise */
#define BAD_LIST UINT64_C(0x0000002a7ffffff1) /* 5 bytes, offset huge */
#define BAD_STRUCT UINT64_C(0x000100017ffffff0)

TEST(invalid_text_reads_default)
{
    struct capnp_msg m;
    gen_test_all_r r = corrupt(&m, 0, BAD_LIST);

    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "hello"));
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_OUT_OF_BOUNDS);
    r = corrupt(&m, 0, BAD_STRUCT); /* not a list */
    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "hello"));
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NOT_LIST);
}

TEST(invalid_data_reads_default)
{
    struct capnp_msg m;
    gen_test_all_r r = corrupt(&m, 1, BAD_LIST);
    struct capnp_data d = gen_test_all_get_data(r);

    EXPECT_EQ(d.len, 3u);
    EXPECT_TRUE(d.len == 3 && d.ptr[2] == 3);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_OUT_OF_BOUNDS);
}

TEST(invalid_struct_reads_default)
{
    struct capnp_msg m;
    gen_test_all_r r = corrupt(&m, 2, BAD_STRUCT);
    gen_test_inner_r in = gen_test_all_get_inner(r);

    EXPECT_EQ(gen_test_inner_get_a(in), 99u);
    EXPECT_TRUE(text_eq(gen_test_inner_get_label(in), "dflt"));
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_STRUCT_OUT_OF_BOUNDS);
    r = corrupt(&m, 2, BAD_LIST);
    EXPECT_EQ(gen_test_inner_get_a(gen_test_all_get_inner(r)), 99u);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_NOT_STRUCT);
}

TEST(invalid_list_reads_default)
{
    struct capnp_msg m;
    gen_test_all_r r = corrupt(&m, 3, BAD_LIST);
    struct capnp_list l = gen_test_all_get_ints(r);

    EXPECT_EQ(l.count, 3u);
    EXPECT_EQ(capnp_list_read_i32(&l, 2), 3);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_OUT_OF_BOUNDS);
    /* wrong element size: the text (bytes) where Int32s are expected */
    r = corrupt(&m, 3, 0);
    {
        struct capnp_struct s = capnp_msg_root(&m);
        uint64_t *p = (uint64_t *)(uintptr_t)s.ptrs;
        p[3] = p[0] - (3u << 2); /* same target, seen from slot 3 */
    }
    l = gen_test_all_get_ints(r);
    EXPECT_EQ(l.count, 3u);
    EXPECT_EQ(capnp_list_read_i32(&l, 0), 1);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_LIST_ELEM_SIZE);
}
