/* SPDX-License-Identifier: MIT */
/*
 * packed.c - the packed encoding: round trips of every run kind, the
 * encoding of known words, and hostile packed input (truncated words,
 * counts and raw runs; runs past the output; amplification bounded by the
 * output capacity), each with its exact error.
 */
#include "testall.h"

#include <string.h>

static uint64_t arena[2048], back[4096];
static _Alignas(8) uint8_t packed[32768];

static size_t unpacked_n;
static enum capnp_err unpack(const uint8_t *p, size_t len, size_t cap)
{
    return capnp_unpack(p, len, back, cap, &unpacked_n);
}
#define UNPACK(cap, ...)                                                     \
    unpack((const uint8_t[]){__VA_ARGS__},                                   \
           sizeof((const uint8_t[]){__VA_ARGS__}), cap)

TEST(packed_known_encodings)
{
    /* examples of the encoding spec */
    static const uint64_t w1[] = {0x0000000000000000u};
    static const uint64_t w2[] = {0x0000000700000008u};  /* 08 00 00 00 07 */
    static const uint64_t w3[] = {0, 0, 0, 0x0102030405060708u,
                                  0x1112131415161718u, 0x00000000000000ffu};
    size_t n;

    ASSERT_EQ(capnp_pack(w1, 1, packed, sizeof packed, &n), CAPNP_OK);
    EXPECT_EQ(n, 2u);
    EXPECT_EQ(packed[0], 0);
    EXPECT_EQ(packed[1], 0);
    ASSERT_EQ(capnp_pack(w2, 1, packed, sizeof packed, &n), CAPNP_OK);
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(packed[0], 0x11);
    EXPECT_EQ(packed[1], 8);
    EXPECT_EQ(packed[2], 7);
    ASSERT_EQ(capnp_pack(w3, 6, packed, sizeof packed, &n), CAPNP_OK);
    /* 00 02 | ff 08..01 01 | 18..11 | 01 ff */
    EXPECT_EQ(n, 2u + 10 + 8 + 2);
    EXPECT_EQ(packed[1], 2);
    EXPECT_EQ(packed[2], 0xff);
    EXPECT_EQ(packed[11], 1);
    EXPECT_EQ(packed[20], 0x01);
    EXPECT_EQ(packed[21], 0xff);
    ASSERT_EQ(capnp_unpack(packed, n, back, 6, &n), CAPNP_OK);
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(memcmp(back, w3, sizeof w3), 0);
    /* output too small: precise error, nothing past the capacity */
    EXPECT_EQ(capnp_pack(w3, 6, packed, 21, &n), CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(n, 0u);
}

/* Runs longer than 255 words split; a message round trips. */
TEST(packed_roundtrip_long_runs_and_message)
{
    static uint64_t w[1200];
    struct capnp_builder b;
    struct capnp_struct_builder r;
    struct capnp_msg m;
    struct capnp_struct s;
    size_t n, k;

    memset(w, 0, sizeof w);
    for (k = 300; k < 900; k++)
        w[k] = 0x0101010101010101u * (k & 0x7f ? k & 0xff : 1);
    w[1000] = 5;
    ASSERT_EQ(capnp_pack(w, 1200, packed, sizeof packed, &n), CAPNP_OK);
    EXPECT_TRUE(n <= capnp_packed_bound(1200));
    ASSERT_EQ(capnp_unpack(packed, n, back, 1200, &k), CAPNP_OK);
    EXPECT_EQ(k, 1200u);
    EXPECT_EQ(memcmp(back, w, sizeof w), 0);

    capnp_builder_init(&b, arena, 2048);
    r = capnp_builder_init_root(&b, TA_DW, TA_PW);
    ta_fill(&r);
    ASSERT_EQ(capnp_builder_serialize_packed(&b, packed, sizeof packed, &n),
              CAPNP_OK);
    EXPECT_TRUE(n < capnp_builder_size(&b));
    ASSERT_EQ(capnp_msg_init_packed(&m, packed, n, back, 4096, NULL),
              CAPNP_OK);
    s = capnp_msg_root(&m);
    ta_check(t, &s);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
    EXPECT_EQ(capnp_builder_serialize_packed(&b, packed, 10, &n),
              CAPNP_E_BUFFER_TOO_SMALL);
}

TEST(packed_hostile_truncated)
{
    EXPECT_EQ(UNPACK(8, 0x00), CAPNP_E_PACKED_TRUNCATED);      /* no count */
    EXPECT_EQ(UNPACK(8, 0x03, 0x01), CAPNP_E_PACKED_TRUNCATED); /* 1 of 2 */
    EXPECT_EQ(UNPACK(8, 0xff, 1, 2, 3, 4, 5, 6, 7, 8),
              CAPNP_E_PACKED_TRUNCATED);                        /* no count */
    /* raw run of 2 words with 12 bytes present */
    EXPECT_EQ(UNPACK(8, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1, 2, 3, 4, 5, 6, 7,
                     8, 1, 2, 3, 4),
              CAPNP_E_PACKED_TRUNCATED);
    /* raw run count past the end of input */
    EXPECT_EQ(UNPACK(8, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 255, 9),
              CAPNP_E_PACKED_TRUNCATED);
    /* empty input is zero words */
    EXPECT_EQ(capnp_unpack(packed, 0, back, 1, &unpacked_n), CAPNP_OK);
    EXPECT_EQ(unpacked_n, 0u);
    EXPECT_EQ(UNPACK(8, 0x01, 7), CAPNP_OK);
    EXPECT_EQ(unpacked_n, 1u);
    EXPECT_EQ(back[0], 7u);
}

TEST(packed_hostile_amplification_bounded)
{
    /* 00 ff: 256 zero words from 2 bytes; capacity 255 refuses it */
    EXPECT_EQ(UNPACK(255, 0x00, 0xff), CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(UNPACK(256, 0x00, 0xff), CAPNP_OK);
    EXPECT_EQ(unpacked_n, 256u);
    /* runs past the output: a raw run, a plain word */
    EXPECT_EQ(UNPACK(2, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 2, 1, 2, 3, 4, 5, 6, 7,
                     8, 1, 2, 3, 4, 5, 6, 7, 8),
              CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(UNPACK(1, 0x01, 1, 0x01, 2), CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(UNPACK(0, 0x01, 1), CAPNP_E_BUFFER_TOO_SMALL);
    /* many zero runs: output grows only to the capacity */
    for (int i = 0; i < 4000; i += 2) {
        packed[i] = 0x00;
        packed[i + 1] = 0xff;
    }
    EXPECT_EQ(capnp_unpack(packed, 4000, back, 4096, &unpacked_n),
              CAPNP_E_BUFFER_TOO_SMALL);
    EXPECT_EQ(capnp_unpack(packed, 32, back, 4096, &unpacked_n), CAPNP_OK);
    EXPECT_EQ(unpacked_n, 16u * 256);
    memset(packed, 0, 32);
    EXPECT_EQ(capnp_unpack(packed, 32, back, 4096, &unpacked_n), CAPNP_OK);
    EXPECT_EQ(unpacked_n, 16u);
}

TEST(packed_msg_init_errors)
{
    struct capnp_msg m;
    static const uint8_t bad[] = {0x00};

    EXPECT_EQ(capnp_msg_init_packed(&m, bad, 1, back, 16, NULL),
              CAPNP_E_PACKED_TRUNCATED);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_PACKED_TRUNCATED);
    capnp_msg_root(&m);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_E_PACKED_TRUNCATED);
    /* unpacks fine, but the framing is short */
    EXPECT_EQ(capnp_msg_init_packed(&m, (const uint8_t[]){0x01, 5}, 2, back,
                                    16, NULL),
              CAPNP_E_TRUNCATED_HEADER);
}
