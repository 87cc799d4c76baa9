/* SPDX-License-Identifier: MIT */
/*
 * test_vma.c - the mmap arena's page-range allocator (lib/posix/vma.c):
 * first fit, merging in every direction, refusing frees of what is not
 * allocated, the full extent table, and a random churn against a page
 * bitmap model.
 */
#include <common/test.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/posix/vma.h"

#define BASE 0x600000000000ull
#define PG 4096ull

static struct posix_vma v;

TEST(vma_first_fit_and_reuse)
{
    uint64_t a, b, c, d;
    posix_vma_init(&v, BASE, 100);
    ASSERT_TRUE(posix_vma_alloc(&v, 10, &a));
    ASSERT_TRUE(posix_vma_alloc(&v, 20, &b));
    ASSERT_TRUE(posix_vma_alloc(&v, 70, &c));
    EXPECT_EQ(a, BASE);
    EXPECT_EQ(b, BASE + 10 * PG);
    EXPECT_EQ(c, BASE + 30 * PG);
    EXPECT_FALSE(posix_vma_alloc(&v, 1, &d));           /* full */
    EXPECT_TRUE(posix_vma_free(&v, b, 20));
    EXPECT_FALSE(posix_vma_alloc(&v, 21, &d));
    ASSERT_TRUE(posix_vma_alloc(&v, 5, &d));
    EXPECT_EQ(d, b);                                    /* lowest hole */
    EXPECT_FALSE(posix_vma_alloc(&v, 0, &d));
}

TEST(vma_merges_both_sides)
{
    uint64_t a, b, c;
    posix_vma_init(&v, BASE, 30);
    posix_vma_alloc(&v, 10, &a);
    posix_vma_alloc(&v, 10, &b);
    posix_vma_alloc(&v, 10, &c);
    EXPECT_TRUE(posix_vma_free(&v, a, 10));
    EXPECT_TRUE(posix_vma_free(&v, c, 10));
    EXPECT_EQ(v.count, 2u);
    EXPECT_TRUE(posix_vma_free(&v, b, 10));             /* joins both */
    EXPECT_EQ(v.count, 1u);
    EXPECT_EQ(v.ext[0].start, BASE);
    EXPECT_EQ(v.ext[0].pages, 30u);
}

TEST(vma_free_checks_the_range)
{
    uint64_t a;
    posix_vma_init(&v, BASE, 10);
    posix_vma_alloc(&v, 4, &a);
    EXPECT_FALSE(posix_vma_free(&v, a, 5));             /* past the alloc */
    EXPECT_FALSE(posix_vma_free(&v, a + 1, 1));         /* unaligned */
    EXPECT_FALSE(posix_vma_free(&v, BASE - PG, 1));     /* below */
    EXPECT_FALSE(posix_vma_free(&v, BASE + 10 * PG, 1)); /* above */
    EXPECT_FALSE(posix_vma_free(&v, a, 0));
    EXPECT_FALSE(posix_vma_free(&v, a, UINT64_MAX / PG));
    EXPECT_FALSE(posix_vma_is_allocated(&v, BASE + 4 * PG, 1));
    EXPECT_TRUE(posix_vma_is_allocated(&v, a + PG, 3));
    EXPECT_TRUE(posix_vma_free(&v, a + PG, 2));         /* a middle part */
    EXPECT_FALSE(posix_vma_free(&v, a + PG, 1));        /* twice */
    EXPECT_TRUE(posix_vma_free(&v, a, 1));
    EXPECT_TRUE(posix_vma_free(&v, a + 3 * PG, 1));
    EXPECT_EQ(v.count, 1u);
    EXPECT_EQ(v.ext[0].pages, 10u);
}

TEST(vma_full_extent_table_loses_pages)
{
    uint64_t a, first;
    uint32_t n = 2 * POSIX_VMA_EXTENTS + 4;
    posix_vma_init(&v, BASE, n);
    ASSERT_TRUE(posix_vma_alloc(&v, 1, &first));
    for (uint32_t i = 1; i < n; i++)
        ASSERT_TRUE(posix_vma_alloc(&v, 1, &a));
    /* Every other page: each free is a new extent. */
    for (uint32_t i = 0; i < POSIX_VMA_EXTENTS; i++)
        EXPECT_TRUE(posix_vma_free(&v, first + 2 * i * PG, 1));
    EXPECT_EQ(v.count, (uint32_t)POSIX_VMA_EXTENTS);
    EXPECT_TRUE(posix_vma_free(&v, first + 2 * POSIX_VMA_EXTENTS * PG, 1));
    EXPECT_EQ(v.lost_pages, 1u);
    /* A free next to an extent still merges with the table full. */
    EXPECT_TRUE(posix_vma_free(&v, first + PG, 1));
    EXPECT_EQ(v.count, (uint32_t)POSIX_VMA_EXTENTS - 1);
}

TEST(vma_random_churn_matches_model)
{
    enum { PAGES = 512, SLOTS = 64 };
    static uint8_t used[PAGES];
    struct { uint64_t addr, pages; } live[SLOTS] = {{0}};
    posix_vma_init(&v, BASE, PAGES);
    memset(used, 0, sizeof used);
    srand(7);
    for (int step = 0; step < 20000; step++) {
        int s = rand() % SLOTS;
        if (live[s].pages) {
            ASSERT_TRUE(posix_vma_free(&v, live[s].addr, live[s].pages));
            for (uint64_t p = 0; p < live[s].pages; p++)
                used[(live[s].addr - BASE) / PG + p] = 0;
            live[s].pages = 0;
            continue;
        }
        uint64_t n = 1 + (uint64_t)(rand() % 24), a;
        if (!posix_vma_alloc(&v, n, &a))
            continue;
        uint64_t first = (a - BASE) / PG;
        ASSERT_TRUE(first + n <= PAGES);
        for (uint64_t p = 0; p < n; p++) {
            ASSERT_EQ(used[first + p], 0);          /* never handed twice */
            used[first + p] = 1;
        }
        live[s].addr = a;
        live[s].pages = n;
    }
    for (int s = 0; s < SLOTS; s++)
        if (live[s].pages)
            EXPECT_TRUE(posix_vma_free(&v, live[s].addr, live[s].pages));
    EXPECT_EQ(v.count, 1u);
    EXPECT_EQ(v.ext[0].pages, (uint64_t)PAGES);
    EXPECT_EQ(v.lost_pages, 0u);
}
