/* SPDX-License-Identifier: MIT */
/*
 * interop.c - the C runtime against the reference implementation, both
 * ways, on tests/host/capnp/test.capnp.
 *
 * C -> reference: a message built by the C builder (single segment, tiny
 * segments with far pointers, a forced double-far) is decoded by
 * `capnp convert binary:text` and compared with the decode of
 * `capnp convert text:binary < testall.txt`.
 * Reference -> C: the message encoded by `capnp convert`, and a copy of it
 * re-built by libcapnp in 8-word segments (build/host/capnp-reseg), is read
 * by the C reader and every field is checked.
 * Run from the repository root (as `make suite-host-capnp-interop` does).
 */
#include "testall.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CAPNP_TEST_BUILD
#define CAPNP_TEST_BUILD "build"
#endif
#define TMP CAPNP_TEST_BUILD "/capnp-tmp"
#define SCHEMA "tests/host/capnp/test.capnp"
#define CONVERT "capnp convert %s " SCHEMA " TestAll"

static uint64_t arena[4096];
static uint64_t filebuf[8192];
static char out[65536];

/* Run a shell command built from fmt; returns its exit status. */
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* Read a whole file into filebuf; returns its size or -1. */
static long slurp(const char *path, void *buf, size_t max)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return -1;
    n = fread(buf, 1, max, f);
    fclose(f);
    return (long)n;
}

/* Write a builder's framed message to path. */
static bool dump(const struct capnp_builder *b, const char *path)
{
    size_t n;
    FILE *f;

    if (capnp_builder_serialize(b, out, sizeof out, &n) != CAPNP_OK)
        return false;
    f = fopen(path, "wb");
    if (!f)
        return false;
    fwrite(out, 1, n, f);
    fclose(f);
    return true;
}

/* The reference text of testall.txt, as capnp prints it. */
static bool make_want(void)
{
    sh("mkdir -p " TMP);
    return sh(CONVERT " < tests/host/capnp/testall.txt > " TMP "/want.bin",
              "text:binary") == 0 &&
           sh(CONVERT " < " TMP "/want.bin > " TMP "/want.txt",
              "binary:text") == 0;
}

/* Decode name.bin with capnp and compare with want.txt. */
static bool decodes_as_want(const char *name)
{
    if (sh(CONVERT " < " TMP "/%s.bin > " TMP "/%s.txt", "binary:text",
           name, name) != 0)
        return false;
    return sh("cmp -s " TMP "/want.txt " TMP "/%s.txt", name) == 0;
}

TEST(interop_c_to_capnp_single_segment)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;

    ASSERT_TRUE(make_want());
    capnp_builder_init(&b, arena, 4096);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_EQ(b.nsegs, 1);
    ASSERT_TRUE(dump(&b, TMP "/c1.bin"));
    EXPECT_TRUE(decodes_as_want("c1"));
}

TEST(interop_c_to_capnp_far_pointers)
{
    static uint64_t segs[8][16];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    uint32_t i;

    ASSERT_TRUE(make_want());
    capnp_builder_init(&b, arena, 2);
    capnp_builder_add_segment(&b, arena + 2, 1000);
    for (i = 0; i < 8; i++)
        capnp_builder_add_segment(&b, segs[i], 6 + i);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    ASSERT_TRUE(dump(&b, TMP "/c2.bin"));
    EXPECT_TRUE(decodes_as_want("c2"));
}

/* seg0 holds only the root pointer, seg1 exactly the root struct and seg2
 * exactly one landing pad: the root must go through a double-far. */
TEST(interop_c_to_capnp_double_far)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;

    ASSERT_TRUE(make_want());
    capnp_builder_init(&b, arena, 1);
    capnp_builder_add_segment(&b, arena + 8, TA_DW + TA_PW);
    capnp_builder_add_segment(&b, arena + 40, 2);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ASSERT_EQ(arena[0] & 7, 6); /* far, double */
    capnp_builder_add_segment(&b, arena + 48, 2000);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    ASSERT_TRUE(dump(&b, TMP "/c3.bin"));
    EXPECT_TRUE(decodes_as_want("c3"));
}

/* Read path.bin with the C reader and check every field. */
static void read_and_check(struct test_ctx *t, const char *path,
                           uint32_t min_segs)
{
    struct capnp_msg m;
    struct capnp_struct s;
    long n = slurp(path, filebuf, sizeof filebuf);

    ASSERT_TRUE(n > 0);
    ASSERT_EQ(capnp_msg_init(&m, filebuf, (size_t)n, NULL), CAPNP_OK);
    EXPECT_EQ(m.bytes, (uint64_t)n);
    EXPECT_TRUE(m.nsegs >= min_segs);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(interop_capnp_to_c_single_segment)
{
    ASSERT_TRUE(make_want());
    read_and_check(t, TMP "/want.bin", 1);
}

TEST(interop_capnp_to_c_multi_segment)
{
    ASSERT_TRUE(make_want());
    ASSERT_EQ(sh(CAPNP_TEST_BUILD "/host/capnp-reseg 8 < " TMP
                 "/want.bin > " TMP "/cpp8.bin"), 0);
    read_and_check(t, TMP "/cpp8.bin", 4);
}

/* Deep copy of a C++-made multi-segment message into tiny C segments. */
TEST(interop_copy_roundtrip)
{
    static uint64_t segs[64][12];
    struct capnp_builder b;
    struct capnp_msg m;
    struct capnp_ptr root;
    struct capnp_ptr_builder dst;
    long n;
    uint32_t i;

    ASSERT_TRUE(make_want());
    ASSERT_EQ(sh(CAPNP_TEST_BUILD "/host/capnp-reseg 8 < " TMP
                 "/want.bin > " TMP "/cpp8.bin"), 0);
    n = slurp(TMP "/cpp8.bin", filebuf, sizeof filebuf);
    ASSERT_EQ(capnp_msg_init(&m, filebuf, (size_t)n, NULL), CAPNP_OK);
    capnp_builder_init(&b, arena, 4);
    for (i = 1; i < CAPNP_BUILDER_MAX_SEGS; i++)
        capnp_builder_add_segment(&b, i == 5 ? arena + 8 : segs[i],
                                  i == 5 ? 3000 : 12);
    root = capnp_msg_root_ptr(&m);
    dst = capnp_builder_root_ptr(&b);
    capnp_ptr_copy(&dst, &root);
    ASSERT_EQ(capnp_msg_error(&m), CAPNP_OK);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    ASSERT_TRUE(dump(&b, TMP "/copy.bin"));
    EXPECT_TRUE(decodes_as_want("copy"));
}

/* AnyPointer content as the reference prints it; capability pointers
 * (which `capnp convert` refuses without an RPC context) read back by C. */
TEST(interop_caps_and_anypointer)
{
    uint64_t caps[4];
    struct capnp_builder b;
    struct capnp_struct_builder r, any;
    struct capnp_list_builder cl;
    struct capnp_ptr_builder pb;
    struct capnp_msg m;
    struct capnp_struct s;
    struct capnp_list l;
    struct capnp_ptr p;
    long n;

    sh("mkdir -p " TMP);
    capnp_builder_init(&b, arena, 4096);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    any = capnp_init_struct(&r, TA_P_ANY, INNER_DW, INNER_PW);
    capnp_write_u32(&any, INNER_ID, 99, 0);
    ASSERT_TRUE(dump(&b, TMP "/any.bin"));
    ASSERT_EQ(sh(CONVERT " < " TMP "/any.bin > " TMP "/any.txt",
                 "binary:text"), 0);
    n = slurp(TMP "/any.txt", out, sizeof out - 1);
    ASSERT_TRUE(n > 0);
    out[n] = 0;
    EXPECT_TRUE(strstr(out, "anyField = <opaque pointer>") != NULL);

    capnp_builder_set_cap_table(&b, caps, 4);
    capnp_set_cap(&r, TA_P_CAP, 0x1234);
    cl = capnp_init_list(&r, TA_P_CAPL, CAPNP_ELEM_POINTER, 2);
    pb = capnp_list_builder_ptr(&cl, 1);
    capnp_ptr_set_cap(&pb, 0x5678);
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_EQ(b.ncaps, 2);
    EXPECT_EQ(caps[1], 0x5678);
    ASSERT_EQ(capnp_msg_init_builder(&m, &b, NULL), CAPNP_OK);
    s = capnp_msg_root(&m);
    EXPECT_EQ(capnp_read_cap(&s, TA_P_CAP), 0);
    l = capnp_read_list(&s, TA_P_CAPL, CAPNP_ELEM_POINTER, NULL);
    p = capnp_list_ptr(&l, 0);
    EXPECT_EQ(capnp_ptr_read_cap(&p), CAPNP_CAP_NULL);
    p = capnp_list_ptr(&l, 1);
    EXPECT_EQ(capnp_ptr_read_cap(&p), 1);
    p = capnp_struct_ptr(&s, TA_P_ANY);
    EXPECT_EQ(capnp_ptr_kind(&p), CAPNP_PTR_STRUCT);
    EXPECT_EQ(capnp_read_u32(&(struct capnp_struct){0}, 0, 5), 5);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}
