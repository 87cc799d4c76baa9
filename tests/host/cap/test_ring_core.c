/*
 * test_ring_core.c - kernel side of the ring: init, FIFO order, index
 * wrap-around at 2^32, corrupt sq_tail (ahead, behind) and recovery, insane
 * cq_head (ahead, far behind), a full CQ stopping consumption, bounded
 * drain, and a writer changing the page after a pop.  The process side is
 * simulated by writing the page directly.
 */
#include "cap_test.h"
#include <kernel/ring_core.h>

static uint8_t page[RING_PAGE_SIZE] __attribute__((aligned(4096)));

/* Process side: submit one NOP with user_data ud; false if the SQ is full. */
static bool user_submit(uint64_t ud)
{
    struct ring_header *h = ring_hdr(page);
    uint32_t tail = h->sq_tail;

    if (tail - h->sq_head == RING_SQ_ENTRIES)
        return false;
    struct ring_sqe *s = &ring_sq(page)[tail & (RING_SQ_ENTRIES - 1)];
    memset(s, 0, sizeof(*s));
    s->opcode = RING_OP_NOP;
    s->user_data = ud;
    __atomic_store_n(&h->sq_tail, tail + 1, __ATOMIC_RELEASE);
    return true;
}

/* Process side: consume one CQE into *out; false if none. */
static bool user_reap(struct ring_cqe *out)
{
    struct ring_header *h = ring_hdr(page);
    uint32_t head = h->cq_head;

    if (head == __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE))
        return false;
    memcpy(out, &ring_cq(page)[head & (RING_CQ_ENTRIES - 1)], sizeof(*out));
    __atomic_store_n(&h->cq_head, head + 1, __ATOMIC_RELEASE);
    return true;
}

/* Init and move all four indices to `start` (both sides agree). */
static void ring_at(struct ring_kstate *k, uint32_t start)
{
    struct ring_header *h = ring_hdr(page);

    ring_kstate_init(k, page);
    k->sq_head = k->cq_tail = start;
    h->sq_head = h->sq_tail = h->cq_head = h->cq_tail = start;
}

static struct ring_cqe cqe_for(uint64_t ud)
{
    return (struct ring_cqe){.user_data = ud, .result = (int32_t)ud};
}

/* A cap_enter-style drain: at most RING_DRAIN_MAX, stop when CQ is full. */
static uint32_t drain(struct ring_kstate *k)
{
    struct ring_sqe s;
    uint32_t n = 0;

    while (n < RING_DRAIN_MAX && ring_cq_has_space(k, page) &&
           ring_sq_pop(k, page, &s)) {
        struct ring_cqe c = cqe_for(s.user_data);
        if (!ring_cq_post(k, page, &c))
            break;
        n++;
    }
    return n;
}

TEST(ring_init_publishes_constants)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);

    memset(page, 0xa5, sizeof(page));
    ring_kstate_init(&k, page);
    EXPECT_EQ(h->sq_mask, RING_SQ_ENTRIES - 1);
    EXPECT_EQ(h->cq_mask, RING_CQ_ENTRIES - 1);
    EXPECT_EQ(h->abi_version, RING_ABI_VERSION);
    EXPECT_EQ(h->sq_head | h->sq_tail | h->cq_head | h->cq_tail, 0);
    EXPECT_EQ(h->cq_overflow | h->sq_dropped, 0);
    EXPECT_EQ(k.sq_head | k.cq_tail | k.cq_overflow | k.sq_corrupt, 0);
    EXPECT_EQ(ring_sq(page)[5].user_data, 0);
    EXPECT_EQ(ring_cq(page)[31].user_data, 0);
    EXPECT_EQ(ring_sq_pending(&k, page), 0);
    EXPECT_EQ(ring_cq_available(&k, page), 0);
    EXPECT_TRUE(ring_cq_has_space(&k, page));
}

TEST(ring_fifo_order_and_published_heads)
{
    struct ring_kstate k;
    struct ring_sqe s;
    struct ring_cqe c;

    ring_kstate_init(&k, page);
    EXPECT_FALSE(ring_sq_pop(&k, page, &s));
    for (uint64_t i = 1; i <= 3; i++)
        EXPECT_TRUE(user_submit(i));
    EXPECT_EQ(ring_sq_pending(&k, page), 3);
    for (uint64_t i = 1; i <= 3; i++) {
        ASSERT_TRUE(ring_sq_pop(&k, page, &s));
        EXPECT_EQ(s.user_data, i);
        EXPECT_EQ(ring_hdr(page)->sq_head, i);
        c = cqe_for(i * 10);
        EXPECT_TRUE(ring_cq_post(&k, page, &c));
        EXPECT_EQ(ring_hdr(page)->cq_tail, i);
    }
    EXPECT_FALSE(ring_sq_pop(&k, page, &s));
    EXPECT_EQ(ring_cq_available(&k, page), 3);
    for (uint64_t i = 1; i <= 3; i++) {
        ASSERT_TRUE(user_reap(&c));
        EXPECT_EQ(c.user_data, i * 10);
    }
    EXPECT_EQ(ring_cq_available(&k, page), 0);
    EXPECT_EQ(k.sq_corrupt + k.cq_overflow, 0);
}

/* Indices run through UINT32_MAX -> 0 on both queues. */
TEST(ring_index_wraparound_at_2_32)
{
    struct ring_kstate k;
    struct ring_sqe s;
    struct ring_cqe c;
    uint64_t next_ud = 0, next_reap = 0;

    ring_at(&k, UINT32_MAX - 5);
    for (int round = 0; round < 6; round++) {
        while (user_submit(next_ud))
            next_ud++;
        EXPECT_EQ(ring_sq_pending(&k, page), RING_SQ_ENTRIES);
        for (uint32_t i = 0; i < RING_SQ_ENTRIES; i++) {
            ASSERT_TRUE(ring_cq_has_space(&k, page));
            ASSERT_TRUE(ring_sq_pop(&k, page, &s));
            c = cqe_for(s.user_data);
            ASSERT_TRUE(ring_cq_post(&k, page, &c));
        }
        EXPECT_EQ(ring_cq_available(&k, page), RING_SQ_ENTRIES);
        while (user_reap(&c))
            EXPECT_EQ(c.user_data, next_reap++);
    }
    EXPECT_EQ(next_reap, 6 * RING_SQ_ENTRIES);
    EXPECT_EQ(k.sq_head, (uint32_t)(UINT32_MAX - 5 + 6 * RING_SQ_ENTRIES));
    EXPECT_EQ(k.sq_corrupt + k.cq_overflow + k.cq_bad_head, 0);
}

TEST(ring_cq_fills_exactly_across_wrap)
{
    struct ring_kstate k;
    struct ring_cqe c;

    ring_at(&k, UINT32_MAX - 3);
    for (uint32_t i = 0; i < RING_CQ_ENTRIES; i++) {
        ASSERT_TRUE(ring_cq_has_space(&k, page));
        c = cqe_for(i);
        ASSERT_TRUE(ring_cq_post(&k, page, &c));
    }
    EXPECT_FALSE(ring_cq_has_space(&k, page));
    EXPECT_EQ(ring_cq_available(&k, page), RING_CQ_ENTRIES);
    EXPECT_EQ(k.cq_bad_head, 0);          /* full is sane, not corrupt */
    ASSERT_TRUE(user_reap(&c));
    EXPECT_EQ(c.user_data, 0);
    EXPECT_TRUE(ring_cq_has_space(&k, page));
}

TEST(ring_corrupt_sq_tail_consumes_nothing)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);
    struct ring_sqe s;
    const uint32_t start = 100;
    const uint32_t bad[] = {start + RING_SQ_ENTRIES + 1, start - 1,
                            start + 0x80000000u, start - RING_SQ_ENTRIES,
                            UINT32_MAX};

    ring_at(&k, start);
    for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        h->sq_tail = bad[i];
        EXPECT_EQ(ring_sq_pending(&k, page), 0);
        EXPECT_FALSE(ring_sq_pop(&k, page, &s));
        EXPECT_EQ(k.sq_head, start);
        EXPECT_EQ(h->sq_head, start);
        EXPECT_EQ(k.sq_corrupt, i + 1);
        EXPECT_EQ(h->sq_dropped, i + 1);
    }
    h->sq_tail = start + RING_SQ_ENTRIES;   /* exactly full is sane */
    EXPECT_EQ(ring_sq_pending(&k, page), RING_SQ_ENTRIES);
    h->sq_tail = start;                     /* recovery */
    EXPECT_TRUE(user_submit(7));
    ASSERT_TRUE(ring_sq_pop(&k, page, &s));
    EXPECT_EQ(s.user_data, 7);
    h->sq_dropped = 0;                      /* user scribbles the counter */
    h->sq_tail = start;                     /* behind the new head */
    EXPECT_FALSE(ring_sq_pop(&k, page, &s));
    EXPECT_EQ(h->sq_dropped, sizeof(bad) / sizeof(bad[0]) + 1);
}

TEST(ring_insane_cq_head_is_full_never_overwrites)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);
    struct ring_cqe c = cqe_for(0x1111);
    const uint32_t start = 5000;

    ring_at(&k, start);
    ASSERT_TRUE(ring_cq_post(&k, page, &c));     /* one unconsumed entry */
    const uint32_t bad[] = {start + 2, start + 1 + 0x1000,
                            start + 1 - RING_CQ_ENTRIES - 1, 0};
    for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        h->cq_head = bad[i];
        EXPECT_FALSE(ring_cq_has_space(&k, page));
        EXPECT_EQ(ring_cq_available(&k, page), RING_CQ_ENTRIES);
        c = cqe_for(0x2222);
        EXPECT_FALSE(ring_cq_post(&k, page, &c));
        EXPECT_EQ(k.cq_overflow, i + 1);
        EXPECT_EQ(h->cq_overflow, i + 1);
        EXPECT_EQ(k.cq_tail, start + 1);
        EXPECT_EQ(h->cq_tail, start + 1);
    }
    /* Neither the unconsumed entry nor the next slot was written. */
    EXPECT_EQ(ring_cq(page)[start & (RING_CQ_ENTRIES - 1)].user_data, 0x1111);
    EXPECT_EQ(ring_cq(page)[(start + 1) & (RING_CQ_ENTRIES - 1)].user_data, 0);
    EXPECT_TRUE(k.cq_bad_head > 0);
    h->cq_head = start;                          /* sane again */
    EXPECT_TRUE(ring_cq_has_space(&k, page));
    EXPECT_EQ(ring_cq_available(&k, page), 1);
}

/* The policy: no completion is dropped; submissions wait for CQ room. */
TEST(ring_full_cq_stops_consumption)
{
    struct ring_kstate k;
    struct ring_cqe c;
    uint64_t expect = 0;

    ring_at(&k, UINT32_MAX - 20);
    for (uint32_t i = 0; i < RING_CQ_ENTRIES - 2; i++) {
        c = cqe_for(1000 + i);
        ASSERT_TRUE(ring_cq_post(&k, page, &c));
    }
    for (uint64_t i = 0; i < RING_SQ_ENTRIES; i++)
        ASSERT_TRUE(user_submit(i));
    EXPECT_EQ(drain(&k), 2);
    EXPECT_EQ(ring_sq_pending(&k, page), RING_SQ_ENTRIES - 2);
    EXPECT_EQ(drain(&k), 0);                    /* still full */
    for (uint32_t i = 0; i < RING_CQ_ENTRIES - 2; i++)
        ASSERT_TRUE(user_reap(&c));
    while (user_reap(&c))
        EXPECT_EQ(c.user_data, expect++);
    EXPECT_EQ(expect, 2);
    EXPECT_EQ(drain(&k), RING_SQ_ENTRIES - 2);
    while (user_reap(&c))
        EXPECT_EQ(c.user_data, expect++);
    EXPECT_EQ(expect, RING_SQ_ENTRIES);
    EXPECT_EQ(k.cq_overflow, 0);
    EXPECT_EQ(ring_hdr(page)->cq_overflow, 0);
}

/* One drain consumes at most RING_DRAIN_MAX even if the user refills. */
TEST(ring_drain_is_bounded)
{
    struct ring_kstate k;
    struct ring_sqe s;
    struct ring_cqe c;
    uint32_t n = 0;

    ring_kstate_init(&k, page);
    for (uint64_t i = 0; i < RING_SQ_ENTRIES; i++)
        ASSERT_TRUE(user_submit(i));
    while (n < RING_DRAIN_MAX && ring_cq_has_space(&k, page) &&
           ring_sq_pop(&k, page, &s)) {
        user_submit(100 + n);                   /* refills behind us */
        c = cqe_for(s.user_data);
        ASSERT_TRUE(ring_cq_post(&k, page, &c));
        n++;
    }
    EXPECT_EQ(n, RING_DRAIN_MAX);
    EXPECT_EQ(ring_sq_pending(&k, page), RING_SQ_ENTRIES);
}

/* After the pop, changing the shared slot cannot change the kernel copy. */
TEST(ring_popped_sqe_is_a_stable_copy)
{
    struct ring_kstate k;
    struct ring_sqe s, before;
    struct ring_sqe *shared = &ring_sq(page)[0];

    ring_kstate_init(&k, page);
    ASSERT_TRUE(user_submit(0x77));
    shared->cap_id = 0x1234;
    shared->len = 16;
    shared->addr = 0x10000;
    ASSERT_TRUE(ring_sq_pop(&k, page, &s));
    EXPECT_EQ(memcmp(&s, shared, sizeof(s)), 0);
    before = s;
    memset(shared, 0xff, sizeof(*shared));     /* concurrent writer */
    shared->opcode = RING_OP__COUNT;
    EXPECT_EQ(memcmp(&s, &before, sizeof(s)), 0);
    EXPECT_EQ(s.cap_id, 0x1234);
    EXPECT_EQ(s.len, 16);
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_REQUEST); /* NOP + fields */
}

/* The kernel never reads the page's masks or its own header copies. */
TEST(ring_ignores_user_scribbled_header)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);
    struct ring_sqe s;
    struct ring_cqe c = cqe_for(9);

    ring_at(&k, 40);
    ASSERT_TRUE(user_submit(1));
    h->sq_mask = UINT32_MAX;
    h->cq_mask = UINT32_MAX;
    h->sq_head = 12345;
    h->cq_tail = 999;
    ASSERT_TRUE(ring_sq_pop(&k, page, &s));
    EXPECT_EQ(s.user_data, 1);
    EXPECT_EQ(k.sq_head, 41);
    EXPECT_EQ(h->sq_head, 41);
    ASSERT_TRUE(ring_cq_post(&k, page, &c));
    EXPECT_EQ(h->cq_tail, 41);
    EXPECT_EQ(ring_cq(page)[40 & (RING_CQ_ENTRIES - 1)].user_data, 9);
}

TEST(ring_pop_many_batches_across_wrap)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);
    struct ring_sqe s[RING_SQ_ENTRIES];
    const uint32_t start = UINT32_MAX - 5;   /* the batch wraps at 2^32 */

    ring_at(&k, start);
    for (uint64_t i = 0; i < 12; i++)
        ASSERT_TRUE(user_submit(100 + i));
    EXPECT_EQ(ring_sq_pop_many(&k, page, s, 5), 5);   /* bounded by max */
    for (uint32_t i = 0; i < 5; i++)
        EXPECT_EQ(s[i].user_data, 100 + i);
    EXPECT_EQ(h->sq_head, start + 5);
    EXPECT_EQ(ring_sq_pop_many(&k, page, s, RING_SQ_ENTRIES), 7);
    for (uint32_t i = 0; i < 7; i++)
        EXPECT_EQ(s[i].user_data, 105 + i);
    EXPECT_EQ(k.sq_head, start + 12);
    EXPECT_EQ(h->sq_head, start + 12);
    EXPECT_EQ(ring_sq_pop_many(&k, page, s, RING_SQ_ENTRIES), 0);
    h->sq_tail = start + 12 + RING_SQ_ENTRIES + 1;    /* corrupt */
    EXPECT_EQ(ring_sq_pop_many(&k, page, s, RING_SQ_ENTRIES), 0);
    EXPECT_EQ(k.sq_head, start + 12);
    EXPECT_EQ(h->sq_dropped, 1);
}

TEST(ring_post_many_fills_exactly_and_counts_the_rest)
{
    struct ring_kstate k;
    struct ring_header *h = ring_hdr(page);
    struct ring_cqe c[RING_CQ_ENTRIES + 3], out;
    const uint32_t start = UINT32_MAX - 10;

    ring_at(&k, start);
    for (uint32_t i = 0; i < RING_CQ_ENTRIES + 3; i++)
        c[i] = cqe_for(500 + i);
    EXPECT_EQ(ring_cq_post_many(&k, page, c, 4), 4);
    EXPECT_EQ(h->cq_tail, start + 4);
    EXPECT_EQ(ring_cq_post_many(&k, page, c + 4, RING_CQ_ENTRIES), RING_CQ_ENTRIES - 4);
    EXPECT_EQ(k.cq_overflow, 4);                 /* never overwritten */
    EXPECT_EQ(h->cq_overflow, 4);
    for (uint32_t i = 0; i < RING_CQ_ENTRIES; i++) {
        ASSERT_TRUE(user_reap(&out));
        EXPECT_EQ(out.user_data, 500 + i);
    }
    EXPECT_FALSE(user_reap(&out));
    h->cq_head = k.cq_tail + 7;                  /* insane: treated as full */
    EXPECT_EQ(ring_cq_post_many(&k, page, c, 1), 0);
}
