/*
 * test_bitmap.c - bitmap operations against a bool-array model: ranges
 * crossing word boundaries, searches with hints and wrap-around, aligned
 * zero runs, counts, and bit counts that are not a multiple of 64.
 */
#include "core_test.h"
#include <common/bitmap.h>
#include <stdbool.h>

#define BM_BITS 300 /* not a multiple of 64 on purpose */

static uint64_t bm[BITMAP_WORDS(BM_BITS)];
static bool model[BM_BITS];

/* Reset bitmap and model to all zero, with garbage in the unused tail. */
static void bm_reset(void)
{
    for (size_t w = 0; w < BITMAP_WORDS(BM_BITS); w++)
        bm[w] = 0;
    bm[BM_BITS / 64] |= ~UINT64_C(0) << (BM_BITS % 64); /* must not matter */
    for (size_t i = 0; i < BM_BITS; i++)
        model[i] = false;
}

/* Number of positions where bitmap and model disagree. */
static int bm_mismatches(void)
{
    int bad = 0;

    for (size_t i = 0; i < BM_BITS; i++)
        bad += bitmap_test(bm, i) != model[i];
    return bad;
}

/* Model: lowest aligned start of n zeros, or BM_BITS. */
static size_t model_zero_run(size_t n, size_t align)
{
    for (size_t s = 0; s + n <= BM_BITS; s += align) {
        size_t k = 0;
        while (k < n && !model[s + k])
            k++;
        if (k == n)
            return s;
    }
    return BM_BITS;
}

TEST(bitmap_single_bits)
{
    bm_reset();
    bitmap_set(bm, 0);
    bitmap_set(bm, 63);
    bitmap_set(bm, 64);
    bitmap_set(bm, 299);
    EXPECT_TRUE(bitmap_test(bm, 0) && bitmap_test(bm, 63));
    EXPECT_TRUE(bitmap_test(bm, 64) && bitmap_test(bm, 299));
    EXPECT_FALSE(bitmap_test(bm, 1) || bitmap_test(bm, 65));
    EXPECT_EQ(bitmap_count_set(bm, BM_BITS), 4);
    bitmap_clear(bm, 63);
    EXPECT_FALSE(bitmap_test(bm, 63));
    EXPECT_EQ(bitmap_count_set(bm, BM_BITS), 3);
}

TEST(bitmap_word_mask_and_popcount)
{
    EXPECT_EQ(bitmap_word_mask(0, 64), ~UINT64_C(0));
    EXPECT_EQ(bitmap_word_mask(0, 1), 1);
    EXPECT_EQ(bitmap_word_mask(63, 64), UINT64_C(1) << 63);
    EXPECT_EQ(bitmap_word_mask(4, 8), 0xf0);
    EXPECT_EQ(bitmap_popcount64(0), 0);
    EXPECT_EQ(bitmap_popcount64(~UINT64_C(0)), 64);
    EXPECT_EQ(bitmap_popcount64(UINT64_C(0x8000000000000001)), 2);
    EXPECT_EQ(bitmap_popcount64(UINT64_C(0x0123456789abcdef)), 32);
}

TEST(bitmap_ranges_cross_words)
{
    bm_reset();
    bitmap_set_range(bm, 60, 10); /* 60..69: crosses word 0/1 */
    for (size_t i = 60; i < 70; i++)
        model[i] = true;
    bitmap_set_range(bm, 100, 150); /* spans a whole middle word */
    for (size_t i = 100; i < 250; i++)
        model[i] = true;
    EXPECT_EQ(bm_mismatches(), 0);
    bitmap_clear_range(bm, 127, 66);
    for (size_t i = 127; i < 193; i++)
        model[i] = false;
    EXPECT_EQ(bm_mismatches(), 0);
    EXPECT_EQ(bitmap_count_range(bm, 0, BM_BITS), 10 + 150 - 66);
    EXPECT_EQ(bitmap_count_range(bm, 64, 6), 6);
    bitmap_set_range(bm, 5, 0); /* empty range is a no-op */
    EXPECT_EQ(bm_mismatches(), 0);
}

TEST(bitmap_random_ranges_vs_model)
{
    struct core_rng r = {7};
    int bad = 0;

    bm_reset();
    for (int i = 0; i < 5000; i++) {
        size_t s = core_rng_below(&r, BM_BITS);
        size_t n = core_rng_below(&r, BM_BITS - s + 1);
        bool set = core_rng_below(&r, 2);
        if (set)
            bitmap_set_range(bm, s, n);
        else
            bitmap_clear_range(bm, s, n);
        size_t cnt = 0;
        for (size_t k = s; k < s + n; k++)
            model[k] = set;
        size_t a = core_rng_below(&r, BM_BITS);
        size_t m = core_rng_below(&r, BM_BITS - a + 1);
        for (size_t k = a; k < a + m; k++)
            cnt += model[k];
        bad += bitmap_count_range(bm, a, m) != cnt;
        size_t nz = a;
        while (nz < a + m && model[nz])
            nz++;
        bad += bitmap_next_zero(bm, a, a + m) != nz;
        size_t ns = a;
        while (ns < a + m && !model[ns])
            ns++;
        bad += bitmap_next_set(bm, a, a + m) != ns;
    }
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(bm_mismatches(), 0);
}

TEST(bitmap_find_first_zero_hint_wraps)
{
    bm_reset();
    bitmap_set_range(bm, 0, BM_BITS);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 0), BM_BITS);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 150), BM_BITS);
    bitmap_clear(bm, 10);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 0), 10);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 10), 10);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 11), 10); /* wrapped */
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 5000), 10); /* bad hint */
    bitmap_clear(bm, 299);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 11), 299);
    EXPECT_EQ(bitmap_find_first_zero(bm, BM_BITS, 299), 299);
    /* Tail bits beyond nbits are never reported even if clear. */
    uint64_t w[2] = {~UINT64_C(0), 0};
    EXPECT_EQ(bitmap_find_first_zero(w, 64, 3), 64);
    EXPECT_EQ(bitmap_find_first_zero(w, 65, 3), 64);
}

TEST(bitmap_zero_run_aligned)
{
    bm_reset();
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 1, 1), 0);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, BM_BITS, 1), 0);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, BM_BITS + 1, 1), BM_BITS);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 0, 1), BM_BITS);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 4, 3), BM_BITS); /* align */
    bitmap_set(bm, 0);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 8, 1), 1);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 8, 8), 8);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 8, 256), 256);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 45, 256), BM_BITS);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 8, 512), BM_BITS);
    bitmap_set(bm, 70);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 64, 64), 128);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 69, 1), 1);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 70, 1), 71);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 229, 1), 71);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 230, 1), BM_BITS);
    EXPECT_EQ(bitmap_find_zero_run(bm, BM_BITS, 1, SIZE_MAX / 2 + 1), BM_BITS);
}

TEST(bitmap_zero_run_random_vs_model)
{
    struct core_rng r = {99};
    int bad = 0;

    for (int round = 0; round < 300; round++) {
        bm_reset();
        int density = (int)core_rng_below(&r, 20) + 1;
        for (size_t i = 0; i < BM_BITS; i++)
            if (core_rng_below(&r, 100) < (uint64_t)density) {
                bitmap_set(bm, i);
                model[i] = true;
            }
        for (int q = 0; q < 20; q++) {
            size_t n = core_rng_below(&r, 80) + 1;
            size_t align = (size_t)1 << core_rng_below(&r, 7);
            bad += bitmap_find_zero_run(bm, BM_BITS, n, align) !=
                   model_zero_run(n, align);
        }
    }
    EXPECT_EQ(bad, 0);
}
