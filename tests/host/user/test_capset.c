/* SPDX-License-Identifier: MIT */
/*
 * test_capset.c - CapSet parsing and lookup (lib/capos/capset.c) on
 * messages built with the generated builders.
 */
#include <capos.capnp.h>
#include <capos/capset.h>
#include <capos/msg.h>
#include <common/test.h>
#include <string.h>

static uint64_t words[512];

/* Build a CapSet of n entries {name[i], iface[i], cap 100+i}. */
static struct capos_msgbuf *build(const char *const *names,
                                  const uint64_t *ifaces, uint32_t n)
{
    static struct capos_msgbuf m;
    capos_cap_set_b root =
        capos_cap_set_init_root(capos_msg_begin(&m, words, 512));
    capos_cap_set_entry_blist l = capos_cap_set_init_entries(root, n);

    for (uint32_t i = 0; i < n; i++) {
        capos_cap_set_entry_b e = capos_cap_set_entry_blist_at(l, i);
        capos_cap_set_entry_set_name(e, names[i], (uint32_t)strlen(names[i]));
        capos_cap_set_entry_set_interface_id(e, ifaces[i]);
        capos_cap_set_entry_set_cap_id(e, 100 + i);
    }
    if (capos_msg_finish(&m) != ERR_OK)
        return NULL;
    return &m;
}

static const char *const names[] = {"console", "timer", "cons", "boot"};
static const uint64_t ifaces[] = {CAPOS_CONSOLE_INTERFACE_ID,
                                  CAPOS_TIMER_INTERFACE_ID,
                                  CAPOS_TIMER_INTERFACE_ID,
                                  CAPOS_BOOT_PACKAGE_INTERFACE_ID};

TEST(capset_find_found_missing_wrongtype)
{
    static struct capos_capset set;
    struct capos_msgbuf *m = build(names, ifaces, 4);
    uint32_t cap = 0;

    ASSERT_TRUE(m != NULL);
    ASSERT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_OK);
    EXPECT_EQ(set.count, 4);
    EXPECT_EQ(capos_capset_find_in(&set, "console", CAPOS_CONSOLE_INTERFACE_ID,
                                   &cap), ERR_OK);
    EXPECT_EQ(cap, 100);
    EXPECT_EQ(capos_capset_find_in(&set, "boot",
                                   CAPOS_BOOT_PACKAGE_INTERFACE_ID, &cap),
              ERR_OK);
    EXPECT_EQ(cap, 103);
    cap = 7;
    EXPECT_EQ(capos_capset_find_in(&set, "timer", CAPOS_CONSOLE_INTERFACE_ID,
                                   &cap), ERR_WRONGTYPE);
    EXPECT_EQ(cap, 7);
    EXPECT_EQ(capos_capset_find_in(&set, "missing", CAPOS_TIMER_INTERFACE_ID,
                                   &cap), ERR_NOTFOUND);
    /* Prefixes and extensions of a name are different names. */
    EXPECT_EQ(capos_capset_find_in(&set, "con", CAPOS_CONSOLE_INTERFACE_ID,
                                   &cap), ERR_NOTFOUND);
    EXPECT_EQ(capos_capset_find_in(&set, "consoles",
                                   CAPOS_CONSOLE_INTERFACE_ID, &cap),
              ERR_NOTFOUND);
    EXPECT_EQ(capos_capset_find_in(&set, "cons", CAPOS_TIMER_INTERFACE_ID,
                                   &cap), ERR_OK);
    EXPECT_EQ(cap, 102);
}

TEST(capset_iteration_keeps_manifest_order)
{
    static struct capos_capset set;
    struct capos_msgbuf *m = build(names, ifaces, 4);

    ASSERT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_OK);
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_TRUE(strcmp(set.entries[i].name, names[i]) == 0);
        EXPECT_EQ(set.entries[i].name_len, strlen(names[i]));
        EXPECT_EQ(set.entries[i].interface_id, ifaces[i]);
        EXPECT_EQ(set.entries[i].cap_id, 100 + i);
    }
}

TEST(capset_empty_and_malformed)
{
    static struct capos_capset set;
    struct capos_msgbuf *m = build(names, ifaces, 0);
    uint64_t bad[4] = {0x0000000500000000ull, 0, 0, 0}; /* 6 segments */
    uint32_t cap;

    ASSERT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_OK);
    EXPECT_EQ(set.count, 0);
    EXPECT_EQ(capos_capset_find_in(&set, "console",
                                   CAPOS_CONSOLE_INTERFACE_ID, &cap),
              ERR_NOTFOUND);
    EXPECT_EQ(capos_capset_parse(&set, bad, sizeof(bad)), ERR_BADFORMAT);
    EXPECT_EQ(set.count, 0);
    /* A list pointer that points far outside the segment. */
    m = build(names, ifaces, 2);
    m->words[2] = (m->words[2] & 0xffffffff00000003ull) | (0x7fff0u << 2);
    EXPECT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_BADFORMAT);
    EXPECT_EQ(set.count, 0);
}

TEST(capset_too_many_entries_is_range)
{
    static struct capos_capset set;
    static const char *many[CAPOS_CAPSET_MAX + 1];
    static uint64_t ids[CAPOS_CAPSET_MAX + 1];
    struct capos_msgbuf *m;

    for (uint32_t i = 0; i <= CAPOS_CAPSET_MAX; i++) {
        many[i] = "x";
        ids[i] = i;
    }
    m = build(many, ids, CAPOS_CAPSET_MAX + 1);
    ASSERT_TRUE(m != NULL);
    EXPECT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_RANGE);
}

/* A CapSet with args[n] = {"a0", "a1", ...}. */
static struct capos_msgbuf *build_args(uint32_t n)
{
    static struct capos_msgbuf m;
    static char text[CAPOS_ARGS_MAX + 2][4];
    capos_cap_set_b root =
        capos_cap_set_init_root(capos_msg_begin(&m, words, 512));
    (void)capos_cap_set_init_entries(root, 0);
    struct capnp_list_builder l = capos_cap_set_init_args(root, n);
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&l, i);
        text[i][0] = 'a';
        text[i][1] = (char)('0' + i % 10);
        capnp_ptr_set_text(&pb, text[i], 2);
    }
    if (capos_msg_finish(&m) != ERR_OK)
        return NULL;
    return &m;
}

TEST(capset_args_become_argv)
{
    static struct capos_capset set;
    struct capos_msgbuf *m = build_args(3);
    ASSERT_TRUE(m != NULL);
    ASSERT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_OK);
    EXPECT_EQ(set.argc, 3);
    EXPECT_EQ(strcmp(set.argv[0], "a0"), 0);
    EXPECT_EQ(strcmp(set.argv[2], "a2"), 0);
    EXPECT_TRUE(set.argv[3] == NULL);
    m = build_args(0);
    ASSERT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_OK);
    EXPECT_EQ(set.argc, 0);
    EXPECT_TRUE(set.argv[0] == NULL);
    m = build_args(CAPOS_ARGS_MAX + 1);
    ASSERT_TRUE(m != NULL);
    EXPECT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_RANGE);
    EXPECT_EQ(set.argc, 0);
    /* The args pointer (root pointer 1) aimed far outside the segment. */
    m = build_args(2);
    m->words[3] = (m->words[3] & 0xffffffff00000003ull) | (0x7fff0u << 2);
    EXPECT_EQ(capos_capset_parse(&set, m->words, m->len), ERR_BADFORMAT);
    EXPECT_EQ(set.argc, 0);
    EXPECT_TRUE(set.argv[0] == NULL);
}
