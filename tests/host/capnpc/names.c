/* SPDX-License-Identifier: MIT */
/*
 * names.c - fields named like generated helpers (names.capnp) get a
 * trailing '_' on their C name part and everything still works; and the
 * generated list setters that deep-copy a reader list into another
 * message (gen_test.capnp).
 */
#include <common/test.h>
#include <string.h>

#include "gen_test.capnp.h"
#include "names.capnp.h"

static uint64_t arena[1024], arena2[1024];

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

TEST(names_fields_named_like_helpers)
{
    struct capnp_builder b;
    struct capnp_msg m, m0 = {0};
    names_names_b w;
    names_names_r r;

    capnp_builder_init(&b, arena, 1024);
    w = names_names_init_root(&b);                       /* the root */
    /* field root (init_root is the allocator); field initRoot (get_init_root
     * is nested Get's allocator) */
    names_names_set_init_root_(names_names_init_root_(w), 9);
    names_names_set_init_root_(w, 1);
    EXPECT_EQ(names_names_get_get_v(names_names_get_read_root(&m0)), 0);
    names_names_set_which(w, 2);
    names_names_set_size(w, 3);
    names_names_set_read_root_(w, "rr", 2);
    names_names_set_as_reader_(w, "ar", 2);
    names_names_set_type_id_(w, 77);
    names_names_set_r_(w, 4);
    names_names_set_b_(w, 5);
    names_names_set_x(w, 1.5f);
    names_names_set_x_bits_(w, 6);
    names_names_set_foo_bar(w, 7);
    names_names_set_foo_bar_(w, 8);
    names_names_set_rlist_(w, 10);
    names_names_set_get(w, 11);
    names_names_set_set(w, "s", 1);
    names_names_set_default(w, 12);
    names_names_init_list(w, 1);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);

    capnp_msg_init_builder(&m, &b, NULL);
    r = names_names_read_root(&m);
    EXPECT_EQ(names_names_get_init_root_(names_names_get_root_(r)), 9);
    EXPECT_TRUE(names_names_has_root_(r));
    EXPECT_EQ(names_names_get_init_root_(r), 1);
    EXPECT_EQ(names_names_get_which(r), 2);
    EXPECT_EQ(names_names_get_size(r), 3u);
    EXPECT_TRUE(text_eq(names_names_get_read_root_(r), "rr"));
    EXPECT_EQ(names_names_get_as_reader_(r).len, 2u);
    EXPECT_EQ(names_names_which(r), NAMES_NAMES_TYPE_ID_);
    EXPECT_EQ(names_names_get_type_id_(r), 77u);
    EXPECT_EQ(names_names_get_r_(r), 4);
    EXPECT_EQ(names_names_get_b_(r), 5);
    EXPECT_EQ(names_names_get_x_bits(r), 0x3fc00000u);
    EXPECT_EQ(names_names_get_x_bits_(r), 6u);
    EXPECT_EQ(names_names_get_foo_bar(r), 7);
    EXPECT_EQ(names_names_get_foo_bar_(r), 8);
    EXPECT_EQ(names_names_get_rlist_(r), 10);
    EXPECT_EQ(names_names_get_get(r), 11);
    EXPECT_TRUE(text_eq(names_names_get_set(r), "s"));
    EXPECT_EQ(names_names_get_default(r), 12);
    EXPECT_EQ(names_names_rlist_len(names_names_get_list(r)), 1u);
    /* the struct's own macros and helpers are intact */
    EXPECT_EQ(NAMES_NAMES_DATA_WORDS, 4);
    EXPECT_EQ(NAMES_NAMES_DATA_WORDS_, 1);
    EXPECT_EQ(NAMES_NAMES_PTR_COUNT_, 2);
    names_names_set_init(w, 3);
    EXPECT_EQ(names_names_which(names_names_as_reader(w, &m)), NAMES_NAMES_INIT);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* List setters: copy every kind of list from one message into another. */
TEST(names_list_setters_copy_reader_lists)
{
    struct capnp_builder b, b2;
    struct capnp_msg m, m2;
    gen_test_all_b w;
    gen_test_all_r r, r2;
    struct capnp_list_builder l;
    gen_test_inner_blist in;

    capnp_builder_init(&b, arena, 1024);
    w = gen_test_all_init_root(&b);
    l = gen_test_all_init_ints(w, 3);
    for (uint32_t i = 0; i < 3; i++)
        capnp_list_write_i32(&l, i, (int32_t)(i * 10 - 5));
    l = gen_test_all_init_texts(w, 2);
    {
        struct capnp_ptr_builder p = capnp_list_builder_ptr(&l, 1);
        capnp_ptr_set_text(&p, "two", 3);
    }
    l = gen_test_all_init_bools(w, 9);
    capnp_list_write_bool(&l, 8, true);
    in = gen_test_all_init_inners(w, 2);
    gen_test_inner_set_a(gen_test_inner_blist_at(in, 1), 42);
    gen_test_inner_set_label(gen_test_inner_blist_at(in, 1), "x", 1);
    capnp_msg_init_builder(&m, &b, NULL);
    r = gen_test_all_read_root(&m);

    capnp_builder_init(&b2, arena2, 1024);
    w = gen_test_all_init_root(&b2);
    gen_test_all_set_ints(w, gen_test_all_get_ints(r));
    gen_test_all_set_texts(w, gen_test_all_get_texts(r));
    gen_test_all_set_bools(w, gen_test_all_get_bools(r));
    gen_test_all_set_inners(w, gen_test_all_get_inners(r));
    ASSERT_EQ(capnp_builder_error(&b2), CAPNP_OK);
    capnp_msg_init_builder(&m2, &b2, NULL);
    r2 = gen_test_all_read_root(&m2);
    {
        struct capnp_list li = gen_test_all_get_ints(r2);
        struct capnp_list lt = gen_test_all_get_texts(r2);
        struct capnp_list lb = gen_test_all_get_bools(r2);
        gen_test_inner_rlist lin = gen_test_all_get_inners(r2);
        struct capnp_ptr p = capnp_list_ptr(&lt, 1);
        EXPECT_EQ(li.count, 3u);
        EXPECT_EQ(capnp_list_read_i32(&li, 2), 15);
        EXPECT_EQ(lt.count, 2u);
        EXPECT_TRUE(text_eq(capnp_ptr_read_text(&p, (struct capnp_text){0}),
                            "two"));
        EXPECT_EQ(lb.count, 9u);
        EXPECT_TRUE(capnp_list_read_bool(&lb, 8));
        EXPECT_FALSE(capnp_list_read_bool(&lb, 7));
        EXPECT_EQ(gen_test_inner_rlist_len(lin), 2u);
        EXPECT_EQ(gen_test_inner_get_a(gen_test_inner_rlist_get(lin, 1)), 42u);
        EXPECT_TRUE(text_eq(gen_test_inner_get_label(
                                gen_test_inner_rlist_get(lin, 1)), "x"));
    }
    EXPECT_EQ(capnp_msg_error(&m2), CAPNP_OK);
    /* the copies live in the second message's arena */
    EXPECT_TRUE(b2.segs[0].used > 10);
}
