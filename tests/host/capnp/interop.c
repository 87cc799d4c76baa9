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

/* ---- many segments (the reference reads 125 and 1000 segments) ---- */

/* TestAll with textList = ["s0000", ..]: text form into TMP/name.txt. */
static bool many_text(const char *name, uint32_t n)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, TMP "/%s.txt", name);
    f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "(textList = [");
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%s\"s%04u\"", i ? ", " : "", i);
    fprintf(f, "])\n");
    return fclose(f) == 0;
}

/* The C reader, default options, on the file: every text, validated. */
static void read_many(struct test_ctx *t, const char *path, uint32_t n,
                      uint32_t min_segs)
{
    static uint64_t big[65536];
    struct capnp_msg m;
    struct capnp_struct s;
    struct capnp_list l;
    long len = slurp(path, big, sizeof big);
    char want[16];

    ASSERT_TRUE(len > 0);
    ASSERT_EQ(capnp_msg_init(&m, big, (size_t)len, NULL), CAPNP_OK);
    EXPECT_TRUE(m.nsegs >= min_segs);
    s = capnp_msg_root(&m);
    l = capnp_read_list(&s, TA_P_TEXTL, CAPNP_ELEM_POINTER, NULL);
    ASSERT_EQ(l.count, n);
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr p = capnp_list_ptr(&l, i);
        struct capnp_text tx = capnp_ptr_read_text(&p, (struct capnp_text){0});
        snprintf(want, sizeof want, "s%04u", i);
        EXPECT_TRUE(tx.len == 5 && memcmp(tx.str, want, 5) == 0);
    }
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
    EXPECT_EQ(capnp_msg_validate(&m), CAPNP_OK);
}

TEST(interop_capnp_to_c_125_and_1000_segments)
{
    static const uint32_t counts[2] = {124, 999};

    sh("mkdir -p " TMP);
    for (int k = 0; k < 2; k++) {
        char p[128];
        ASSERT_TRUE(many_text("many", counts[k]));
        ASSERT_EQ(sh(CONVERT " < " TMP "/many.txt > " TMP "/many.bin",
                     "text:binary"), 0);
        /* 1-word segments: every text needs its own */
        ASSERT_EQ(sh(CAPNP_TEST_BUILD "/host/capnp-reseg 1 < " TMP
                     "/many.bin > " TMP "/many%u.bin", counts[k]), 0);
        snprintf(p, sizeof p, TMP "/many%u.bin", counts[k]);
        read_many(t, p, counts[k], counts[k] + 1);
    }
}

/* The C builder, segments held in a caller's store, 1000 segments; the
 * reference decodes it. */
TEST(interop_c_to_capnp_1000_segments)
{
    enum { N = 999, X = N + 1 - CAPNP_BUILDER_MAX_SEGS };
    static struct capnp_bseg store[1 + X];
    static uint64_t segs[N][3];
    static uint64_t seg0[1 + TA_DW + TA_PW + N];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_list_builder l;
    char s[16];
    size_t n;

    sh("mkdir -p " TMP);
    capnp_builder_init(&b, seg0, sizeof seg0 / 8);
    for (uint32_t i = 0; i < CAPNP_BUILDER_MAX_SEGS - 1; i++)
        ASSERT_EQ(capnp_builder_add_segment(&b, segs[i], 3), CAPNP_OK);
    EXPECT_EQ(capnp_builder_add_segment(&b, segs[15], 3),
              CAPNP_E_TOO_MANY_SEGMENTS);
    ASSERT_EQ(capnp_builder_set_seg_store(&b, store, 1), CAPNP_OK);
    ASSERT_EQ(capnp_builder_add_segment(&b, segs[15], 3), CAPNP_OK);
    EXPECT_EQ(capnp_builder_add_segment(&b, segs[16], 3),
              CAPNP_E_TOO_MANY_SEGMENTS);
    EXPECT_EQ(capnp_builder_set_seg_store(&b, NULL, X), CAPNP_E_BAD_ARG);
    EXPECT_EQ(capnp_builder_set_seg_store(&b, store + 1, 0), CAPNP_E_BAD_ARG);
    /* a bigger store takes over the descriptor given so far */
    ASSERT_EQ(capnp_builder_set_seg_store(&b, store + 1, X), CAPNP_OK);
    for (uint32_t i = 16; i < N; i++)
        ASSERT_EQ(capnp_builder_add_segment(&b, segs[i], 3), CAPNP_OK);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    l = capnp_init_list(&r, TA_P_TEXTL, CAPNP_ELEM_POINTER, N);
    for (uint32_t i = 0; i < N; i++) {
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&l, i);
        snprintf(s, sizeof s, "s%04u", i);
        capnp_ptr_set_text(&pb, s, 5); /* 1 word + pad: one per segment */
    }
    ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
    EXPECT_EQ(b.nsegs, N + 1u);
    EXPECT_EQ(store[X].used, 2u); /* the last segment holds one text */
    ASSERT_TRUE(many_text("many", N));
    ASSERT_EQ(sh(CONVERT " < " TMP "/many.txt > " TMP "/mwant.bin",
                 "text:binary"), 0);
    ASSERT_EQ(sh(CONVERT " < " TMP "/mwant.bin > " TMP "/mwant.txt",
                 "binary:text"), 0);
    {
        static char big[1 << 17];
        FILE *f;
        ASSERT_EQ(capnp_builder_serialize(&b, big, sizeof big, &n), CAPNP_OK);
        f = fopen(TMP "/mc.bin", "wb");
        ASSERT_TRUE(f != NULL);
        fwrite(big, 1, n, f);
        fclose(f);
    }
    /* capnp convert's stream reader stops at 512 segments; libcapnp's
     * flat-array reader (reseg -f) has no limit: it re-frames the message
     * into one segment for capnp convert */
    EXPECT_EQ(sh(CAPNP_TEST_BUILD "/host/capnp-reseg -f < " TMP "/mc.bin | "
                 CONVERT " > " TMP "/mc.txt", "binary:text"), 0);
    EXPECT_EQ(sh("cmp -s " TMP "/mwant.txt " TMP "/mc.txt"), 0);
    read_many(t, TMP "/mc.bin", N, N + 1);
    /* read in place, through the builder's segment store */
    {
        struct capnp_msg m;
        struct capnp_struct rs;
        struct capnp_list rl;
        capnp_msg_init_builder(&m, &b, NULL);
        EXPECT_EQ(m.nsegs, N + 1u);
        rs = capnp_msg_root(&m);
        rl = capnp_read_list(&rs, TA_P_TEXTL, CAPNP_ELEM_POINTER, NULL);
        EXPECT_EQ(rl.count, (uint32_t)N);
        EXPECT_EQ(capnp_msg_validate(&m), CAPNP_OK);
    }
}

/* ---- packed encoding, both ways ---- */
/* capnp convert re-encodes what it reads (one segment, its own object
 * order), so byte comparisons are made against its re-encoding. */

/* Unpack path (packed) with the C unpacker: the same bytes as the
 * reference's packed:binary; then read and check every field. */
static void read_packed_and_check(struct test_ctx *t, const char *path)
{
    static _Alignas(8) uint8_t pk[65536];
    static uint64_t words[8192];
    long n = slurp(path, pk, sizeof pk), nb;
    struct capnp_msg m;
    struct capnp_struct s;
    size_t nw = 0;

    ASSERT_TRUE(n > 0);
    ASSERT_EQ(capnp_unpack(pk, (size_t)n, words, 8192, &nw), CAPNP_OK);
    ASSERT_EQ(sh("capnp convert packed:binary < %s > " TMP "/pb.bin", path),
              0);
    nb = slurp(TMP "/pb.bin", filebuf, sizeof filebuf);
    EXPECT_EQ((long)nw * 8, nb);
    EXPECT_TRUE(memcmp(words, filebuf, (size_t)nb) == 0);
    ASSERT_EQ(capnp_msg_init_packed(&m, pk, (size_t)n, words, 8192, NULL),
              CAPNP_OK);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(interop_packed_capnp_to_c)
{
    ASSERT_TRUE(make_want());
    ASSERT_EQ(sh("capnp convert binary:packed < " TMP "/want.bin > " TMP
                 "/want.packed"), 0);
    read_packed_and_check(t, TMP "/want.packed");
    ASSERT_EQ(sh(CAPNP_TEST_BUILD "/host/capnp-reseg 8 < " TMP
                 "/want.bin > " TMP "/cpp8.bin"), 0);
    ASSERT_EQ(sh("capnp convert binary:packed < " TMP "/cpp8.bin > " TMP
                 "/cpp8.packed"), 0);
    read_packed_and_check(t, TMP "/cpp8.packed");
}

/* The C packer on the reference's re-encoding of cp.bin gives exactly the
 * reference's packed bytes. */
static bool packs_like_reference(void)
{
    static _Alignas(8) uint8_t ref[65536], mine[65536];
    long nb, nr;
    size_t n;

    if (sh("capnp convert binary:binary < " TMP "/cp.bin > " TMP "/re.bin") ||
        sh("capnp convert binary:packed < " TMP "/cp.bin > " TMP "/re.packed"))
        return false;
    nb = slurp(TMP "/re.bin", filebuf, sizeof filebuf);
    nr = slurp(TMP "/re.packed", ref, sizeof ref);
    if (nb <= 0 || nr <= 0 ||
        capnp_pack(filebuf, (size_t)nb / 8, mine, sizeof mine, &n) != CAPNP_OK)
        return false;
    return (long)n == nr && memcmp(mine, ref, n) == 0;
}

TEST(interop_packed_c_to_capnp)
{
    static uint64_t segs[8][16];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    size_t n;
    FILE *f;

    ASSERT_TRUE(make_want());
    for (int multi = 0; multi < 2; multi++) {
        capnp_builder_init(&b, arena, multi ? 2 : 4096);
        if (multi) {
            capnp_builder_add_segment(&b, arena + 2, 1000);
            for (uint32_t i = 0; i < 8; i++)
                capnp_builder_add_segment(&b, segs[i], 6 + i);
        }
        r = capnp_builder_init_root(&b, TA_DW, TA_PW);
        ta_fill(&r);
        ASSERT_EQ(capnp_builder_error(&b), CAPNP_OK);
        EXPECT_EQ(b.nsegs > 1, multi != 0);
        ASSERT_TRUE(dump(&b, TMP "/cp.bin"));
        ASSERT_EQ(capnp_builder_serialize_packed(&b, out, sizeof out, &n),
                  CAPNP_OK);
        f = fopen(TMP "/cp.packed", "wb");
        ASSERT_TRUE(f != NULL);
        fwrite(out, 1, n, f);
        fclose(f);
        /* the reference decodes it: packed -> text, packed -> binary */
        EXPECT_EQ(sh(CONVERT " < " TMP "/cp.packed > " TMP "/cp.txt",
                     "packed:text"), 0);
        EXPECT_EQ(sh("cmp -s " TMP "/want.txt " TMP "/cp.txt"), 0);
        EXPECT_EQ(sh("capnp convert packed:binary < " TMP "/cp.packed > "
                     TMP "/cpb.bin && capnp convert binary:binary < " TMP
                     "/cp.bin | cmp -s - " TMP "/cpb.bin"), 0);
        EXPECT_TRUE(packs_like_reference());
    }
}
