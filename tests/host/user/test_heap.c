/* SPDX-License-Identifier: MIT */
/*
 * test_heap.c - the malloc core (lib/libc/heap.c): alignment, splitting,
 * coalescing, realloc in place and by move, exhaustion, and a long random
 * churn checked against a shadow model (every live block holds a known
 * byte pattern; the heap's invariants hold after every operation; all
 * memory comes back at the end).
 */
#include <common/test.h>
#include <stdint.h>
#include <string.h>

#include "../../../lib/libc/heap.h"

#define ARENA (256u * 1024)
static uint8_t arena[ARENA + 16] __attribute__((aligned(16)));
static struct capos_heap h;

static void setup(void)
{
    capos_heap_init(&h, arena, ARENA);
}

TEST(heap_alloc_aligned_and_distinct)
{
    setup();
    size_t before = capos_heap_free_bytes(&h);
    uint8_t *a = capos_heap_alloc(&h, 1), *b = capos_heap_alloc(&h, 100);

    ASSERT_TRUE(a && b);
    EXPECT_EQ((uintptr_t)a % 16, 0);
    EXPECT_EQ((uintptr_t)b % 16, 0);
    EXPECT_TRUE(b >= a + capos_heap_usable(a));
    EXPECT_TRUE(capos_heap_usable(b) >= 100);
    EXPECT_TRUE(capos_heap_check(&h));
    capos_heap_free(&h, a);
    capos_heap_free(&h, b);
    EXPECT_TRUE(capos_heap_check(&h));
    EXPECT_EQ(capos_heap_free_bytes(&h), before);
    EXPECT_TRUE(capos_heap_alloc(&h, 0) == NULL);
    EXPECT_TRUE(capos_heap_alloc(&h, SIZE_MAX) == NULL);
    capos_heap_free(&h, NULL);
}

TEST(heap_unaligned_arena)
{
    capos_heap_init(&h, arena + 3, 1000);
    void *p = capos_heap_alloc(&h, 10);
    ASSERT_TRUE(p != NULL);
    EXPECT_EQ((uintptr_t)p % 16, 0);
    EXPECT_TRUE(capos_heap_check(&h));
    capos_heap_init(&h, arena, 8);   /* too small to hold a block */
    EXPECT_TRUE(capos_heap_alloc(&h, 1) == NULL);
}

TEST(heap_coalesces_neighbours)
{
    void *p[4];

    setup();
    size_t before = capos_heap_free_bytes(&h);
    for (int i = 0; i < 4; i++)
        p[i] = capos_heap_alloc(&h, 1000);
    capos_heap_free(&h, p[1]);
    capos_heap_free(&h, p[2]);   /* merges with p[1] */
    EXPECT_TRUE(capos_heap_check(&h));
    void *big = capos_heap_alloc(&h, 2000);  /* fits the merged hole */
    EXPECT_TRUE(big == p[1]);
    capos_heap_free(&h, big);
    capos_heap_free(&h, p[0]);
    capos_heap_free(&h, p[3]);
    EXPECT_TRUE(capos_heap_check(&h));
    EXPECT_EQ(capos_heap_free_bytes(&h), before);
}

TEST(heap_exhaustion_returns_null)
{
    int n = 0;

    setup();
    while (capos_heap_alloc(&h, 4000))
        n++;
    EXPECT_TRUE(n >= 60 && n <= 66);
    EXPECT_TRUE(capos_heap_check(&h));
}

TEST(heap_realloc_grow_shrink_move)
{
    setup();
    uint8_t *a = capos_heap_realloc(&h, NULL, 64);
    ASSERT_TRUE(a != NULL);
    memset(a, 0x5a, 64);
    uint8_t *a2 = capos_heap_realloc(&h, a, 512);  /* next is free: in place */
    EXPECT_TRUE(a2 == a);
    uint8_t *blk = capos_heap_alloc(&h, 16);        /* pin the next block */
    uint8_t *a3 = capos_heap_realloc(&h, a2, 4096); /* must move */
    ASSERT_TRUE(a3 != NULL);
    EXPECT_TRUE(a3 != a2);
    for (int i = 0; i < 64; i++)
        EXPECT_EQ(a3[i], 0x5a);
    EXPECT_TRUE(capos_heap_realloc(&h, a3, 16) == a3);   /* shrink */
    EXPECT_TRUE(capos_heap_realloc(&h, a3, SIZE_MAX - 8) == NULL);
    EXPECT_EQ(a3[0], 0x5a);                              /* kept */
    EXPECT_TRUE(capos_heap_realloc(&h, a3, 0) == NULL);  /* frees */
    capos_heap_free(&h, blk);
    EXPECT_TRUE(capos_heap_check(&h));
}

/* xorshift64*: deterministic pseudo-random numbers. */
static uint64_t rng(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

struct shadow { uint8_t *p; size_t n; uint8_t tag; };

static int shadow_ok(const struct shadow *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i] != (uint8_t)(s->tag + i))
            return 0;
    return 1;
}

static void shadow_fill(struct shadow *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->p[i] = (uint8_t)(s->tag + i);
}

/* One random operation on slot s. */
static void churn_step(struct test_ctx *t, struct shadow *s, uint64_t *seed)
{
    uint64_t r = rng(seed);
    size_t n = (r >> 8) % ((r & 7) == 0 ? 20000 : 300) + 1;

    if (s->p && !shadow_ok(s))
        test_fail(t, __FILE__, __LINE__, "block content corrupted");
    if (s->p && (r & 3) == 1) {
        capos_heap_free(&h, s->p);
        s->p = NULL;
    } else if (s->p && (r & 3) == 2) {
        uint8_t *q = capos_heap_realloc(&h, s->p, n);
        if (!q)
            return;             /* old block kept, content intact */
        s->p = q;
        s->n = n < s->n ? n : s->n;
        if (!shadow_ok(s))
            test_fail(t, __FILE__, __LINE__, "realloc lost content");
        s->n = n;
        shadow_fill(s);
    } else if (!s->p && (s->p = capos_heap_alloc(&h, n))) {
        s->n = n;
        s->tag = (uint8_t)r;
        shadow_fill(s);
    }
}

TEST(heap_random_churn_against_shadow)
{
    static struct shadow slots[200];
    uint64_t seed = 0x1234567887654321ull;

    setup();
    size_t before = capos_heap_free_bytes(&h);
    memset(slots, 0, sizeof(slots));
    for (int i = 0; i < 20000; i++) {
        churn_step(t, &slots[rng(&seed) % 200], &seed);
        if (i % 97 == 0)
            ASSERT_TRUE(capos_heap_check(&h));
    }
    for (int i = 0; i < 200; i++) {
        EXPECT_TRUE(!slots[i].p || shadow_ok(&slots[i]));
        capos_heap_free(&h, slots[i].p);
    }
    EXPECT_TRUE(capos_heap_check(&h));
    EXPECT_EQ(capos_heap_free_bytes(&h), before);
}
