/* SPDX-License-Identifier: MIT */
/*
 * groups.c - the reference implementation's Encoding.Groups and
 * Encoding.InterleavedGroups scenarios (capnproto encoding-test.c++) on
 * the same layouts (groups.capnp): re-initialising a union member group
 * or a group clears it, pointer objects included, and leaves its
 * neighbours alone.
 */
#include <common/test.h>
#include <string.h>

#include "groups.capnp.h"

static uint64_t arena[512];
static uint8_t wire[sizeof arena + 64] __attribute__((aligned(8)));

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

/* Does the serialized builder contain the bytes of s? */
static bool holds(struct capnp_builder *b, const char *s)
{
    size_t n = 0, k = strlen(s);

    capnp_builder_serialize(b, wire, sizeof wire, &n);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(wire + i, s, k) == 0)
            return true;
    return false;
}

TEST(groups_union_member_reinit_clears)
{
    struct capnp_builder b;
    struct capnp_msg m;
    groups_test_groups_b root;
    groups_test_groups_groups_foo_b foo;
    groups_test_groups_groups_bar_b bar;
    groups_test_groups_groups_baz_b baz;
    groups_test_groups_groups_bar_r rbar;

    capnp_builder_init(&b, arena, 512);
    root = groups_test_groups_init_root(&b);
    foo = groups_test_groups_groups_init_foo(groups_test_groups_init_groups(root));
    groups_test_groups_groups_foo_set_corge(foo, 12345678);
    groups_test_groups_groups_foo_set_grault(foo, 123456789012345ll);
    groups_test_groups_groups_foo_set_garply(foo, "foobar", 6);
    EXPECT_TRUE(holds(&b, "foobar"));

    /* initBar: bar reads as defaults, foo's text is gone from the wire */
    bar = groups_test_groups_groups_init_bar(groups_test_groups_init_groups(root));
    capnp_msg_init_builder(&m, &b, NULL);
    rbar = groups_test_groups_groups_get_bar(groups_test_groups_get_groups(
        groups_test_groups_read_root(&m)));
    EXPECT_EQ(groups_test_groups_groups_which(groups_test_groups_get_groups(
                  groups_test_groups_read_root(&m))),
              GROUPS_TEST_GROUPS_GROUPS_BAR);
    EXPECT_EQ(groups_test_groups_groups_bar_get_corge(rbar), 0);
    EXPECT_TRUE(text_eq(groups_test_groups_groups_bar_get_grault(rbar), ""));
    EXPECT_FALSE(groups_test_groups_groups_bar_has_grault(rbar));
    EXPECT_EQ(groups_test_groups_groups_bar_get_garply(rbar), 0);
    EXPECT_FALSE(holds(&b, "foobar"));

    groups_test_groups_groups_bar_set_corge(bar, 23456789);
    groups_test_groups_groups_bar_set_grault(bar, "barbaz", 6);
    groups_test_groups_groups_bar_set_garply(bar, 234567890123456ll);
    capnp_msg_init_builder(&m, &b, NULL);
    rbar = groups_test_groups_groups_get_bar(groups_test_groups_get_groups(
        groups_test_groups_read_root(&m)));
    EXPECT_EQ(groups_test_groups_groups_bar_get_corge(rbar), 23456789);
    EXPECT_TRUE(text_eq(groups_test_groups_groups_bar_get_grault(rbar),
                        "barbaz"));
    EXPECT_EQ(groups_test_groups_groups_bar_get_garply(rbar),
              234567890123456ll);

    baz = groups_test_groups_groups_init_baz(groups_test_groups_init_groups(root));
    capnp_msg_init_builder(&m, &b, NULL);
    {
        groups_test_groups_groups_baz_r r = groups_test_groups_groups_get_baz(
            groups_test_groups_get_groups(groups_test_groups_read_root(&m)));
        EXPECT_EQ(groups_test_groups_groups_baz_get_corge(r), 0);
        EXPECT_FALSE(groups_test_groups_groups_baz_has_grault(r));
        EXPECT_FALSE(groups_test_groups_groups_baz_has_garply(r));
    }
    EXPECT_FALSE(holds(&b, "barbaz"));
    groups_test_groups_groups_baz_set_corge(baz, 34567890);
    groups_test_groups_groups_baz_set_grault(baz, "bazqux", 6);
    groups_test_groups_groups_baz_set_garply(baz, "quxquux", 7);
    capnp_msg_init_builder(&m, &b, NULL);
    {
        groups_test_groups_groups_baz_r r = groups_test_groups_groups_get_baz(
            groups_test_groups_get_groups(groups_test_groups_read_root(&m)));
        EXPECT_EQ(groups_test_groups_groups_baz_get_corge(r), 34567890);
        EXPECT_TRUE(text_eq(groups_test_groups_groups_baz_get_grault(r),
                            "bazqux"));
        EXPECT_TRUE(text_eq(groups_test_groups_groups_baz_get_garply(r),
                            "quxquux"));
    }
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* Fill group1 (or group2) with the scenario's values. */
#define FILL_GROUP(G, foo, bar, grault, garply, plugh, xyzzy, waldo)         \
    do {                                                                     \
        groups_test_interleaved_groups_##G##_b g =                           \
            groups_test_interleaved_groups_init_##G(root);                   \
        groups_test_interleaved_groups_##G##_corge_b c;                      \
        groups_test_interleaved_groups_##G##_set_foo(g, foo);                \
        groups_test_interleaved_groups_##G##_set_bar(g, bar);                \
        c = groups_test_interleaved_groups_##G##_init_corge(g);              \
        groups_test_interleaved_groups_##G##_corge_set_grault(c, grault);    \
        groups_test_interleaved_groups_##G##_corge_set_garply(c, garply);    \
        groups_test_interleaved_groups_##G##_corge_set_plugh(c, plugh, 5);   \
        groups_test_interleaved_groups_##G##_corge_set_xyzzy(c, xyzzy, 5);   \
        groups_test_interleaved_groups_##G##_set_waldo(g, waldo, 5);         \
    } while (0)

/* Check group1 (or group2) against the scenario's values. */
#define CHECK_GROUP(G, foo, bar, grault, garply, plugh, xyzzy, waldo)        \
    do {                                                                     \
        groups_test_interleaved_groups_##G##_r g =                           \
            groups_test_interleaved_groups_get_##G(rr);                      \
        groups_test_interleaved_groups_##G##_corge_r c =                     \
            groups_test_interleaved_groups_##G##_get_corge(g);               \
        EXPECT_EQ(groups_test_interleaved_groups_##G##_get_foo(g), foo);     \
        EXPECT_EQ(groups_test_interleaved_groups_##G##_get_bar(g), bar);     \
        EXPECT_EQ(groups_test_interleaved_groups_##G##_corge_get_grault(c),  \
                  grault);                                                   \
        EXPECT_EQ(groups_test_interleaved_groups_##G##_corge_get_garply(c),  \
                  garply);                                                   \
        EXPECT_TRUE(text_eq(                                                 \
            groups_test_interleaved_groups_##G##_corge_get_plugh(c), plugh));\
        EXPECT_TRUE(text_eq(                                                 \
            groups_test_interleaved_groups_##G##_corge_get_xyzzy(c), xyzzy));\
        EXPECT_TRUE(text_eq(                                                 \
            groups_test_interleaved_groups_##G##_get_waldo(g), waldo));      \
    } while (0)

TEST(groups_interleaved_group_reinit_clears_only_it)
{
    struct capnp_builder b;
    struct capnp_msg m;
    groups_test_interleaved_groups_b root;
    groups_test_interleaved_groups_r rr;
    groups_test_interleaved_groups_group1_r g1;

    capnp_builder_init(&b, arena, 512);
    root = groups_test_interleaved_groups_init_root(&b);
    FILL_GROUP(group1, 12345678u, 123456789012345llu, 987654321098765llu,
               12345u, "plugh", "xyzzy", "waldo");
    FILL_GROUP(group2, 23456789u, 234567890123456llu, 876543210987654llu,
               23456u, "hgulp", "yzzyx", "odlaw");
    capnp_msg_init_builder(&m, &b, NULL);
    rr = groups_test_interleaved_groups_read_root(&m);
    CHECK_GROUP(group1, 12345678u, 123456789012345llu, 987654321098765llu,
                12345u, "plugh", "xyzzy", "waldo");

    /* zero out group 1 */
    groups_test_interleaved_groups_init_group1(root);
    capnp_msg_init_builder(&m, &b, NULL);
    rr = groups_test_interleaved_groups_read_root(&m);
    g1 = groups_test_interleaved_groups_get_group1(rr);
    EXPECT_EQ(groups_test_interleaved_groups_group1_get_foo(g1), 0u);
    EXPECT_EQ(groups_test_interleaved_groups_group1_get_bar(g1), 0u);
    EXPECT_EQ(groups_test_interleaved_groups_group1_which(g1),
              GROUPS_TEST_INTERLEAVED_GROUPS_GROUP1_QUX);
    EXPECT_EQ(groups_test_interleaved_groups_group1_get_qux(g1), 0u);
    EXPECT_FALSE(groups_test_interleaved_groups_group1_has_waldo(g1));
    /* the corge bits under qux's neighbours are zero on the wire too */
    EXPECT_FALSE(holds(&b, "plugh"));
    EXPECT_FALSE(holds(&b, "xyzzy"));
    EXPECT_FALSE(holds(&b, "waldo"));

    /* group 2 untouched */
    CHECK_GROUP(group2, 23456789u, 234567890123456llu, 876543210987654llu,
                23456u, "hgulp", "yzzyx", "odlaw");
    EXPECT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* The raw data section after init_group1: no bit of group1's old values
 * (corge.grault, garply live where qux and neighbours are read). */
TEST(groups_reinit_zeroes_data_bits)
{
    struct capnp_builder b;
    struct capnp_msg m;
    groups_test_interleaved_groups_b root;
    groups_test_interleaved_groups_r rr;

    capnp_builder_init(&b, arena, 512);
    root = groups_test_interleaved_groups_init_root(&b);
    FILL_GROUP(group1, 0xffffffffu, ~0ull, ~0ull, 0xffffu, "plugh", "xyzzy",
               "waldo");
    groups_test_interleaved_groups_group1_init_corge(
        groups_test_interleaved_groups_init_group1(root));
    capnp_msg_init_builder(&m, &b, NULL);
    rr = groups_test_interleaved_groups_read_root(&m);
    {
        groups_test_interleaved_groups_group1_corge_r c =
            groups_test_interleaved_groups_group1_get_corge(
                groups_test_interleaved_groups_get_group1(rr));
        EXPECT_EQ(groups_test_interleaved_groups_group1_corge_get_grault(c),
                  0u);
        EXPECT_EQ(groups_test_interleaved_groups_group1_corge_get_garply(c),
                  0u);
    }
}
