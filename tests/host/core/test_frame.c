/*
 * test_frame.c - the physical frame allocator core: exact counters under
 * overlapping add_free/reserve in any order, rounding, exhaustion, contig
 * alignment, every free error, and a random sequence against a model.
 */
#include "core_test.h"
#include <common/bitmap.h>
#include <kernel/frame.h>
#include <stdbool.h>

#define FR_MAX_PHYS (UINT64_C(1024) * FRAME_SIZE) /* 4 MiB, 1024 frames */
#define FR_WORDS (3 * 1024 / 64)

static uint64_t fr_bits[FR_WORDS];

/* A fresh allocator over FR_MAX_PHYS. */
static void fr_init(struct test_ctx *t, struct frame_alloc *fa)
{
    EXPECT_EQ(frame_alloc_init(fa, fr_bits, FR_WORDS, FR_MAX_PHYS), ERR_OK);
}

/* Recount free frames and total from the bitmaps. */
static void fr_recount(const struct frame_alloc *fa, uint64_t *total,
                       uint64_t *free)
{
    *total = *free = 0;
    for (uint64_t f = 0; f < fa->nframes; f++) {
        enum frame_state s = frame_state(fa, f * FRAME_SIZE);
        *free += s == FRAME_FREE;
        *total += bitmap_test(fa->ram, f);
    }
}

#define EXPECT_COUNTS(fa, tot, fr)                                          \
    do {                                                                    \
        uint64_t rt_, rf_;                                                  \
        fr_recount(fa, &rt_, &rf_);                                         \
        EXPECT_EQ((fa)->total, tot);                                        \
        EXPECT_EQ((fa)->free, fr);                                          \
        EXPECT_EQ(rt_, tot);                                                \
        EXPECT_EQ(rf_, fr);                                                 \
    } while (0)

TEST(frame_bitmap_words_and_init_errors)
{
    struct frame_alloc fa;

    EXPECT_EQ(frame_alloc_bitmap_words(FR_MAX_PHYS), FR_WORDS);
    EXPECT_EQ(frame_alloc_bitmap_words(1), 3);
    EXPECT_EQ(frame_alloc_bitmap_words(64 * FRAME_SIZE + 1), 6);
    EXPECT_EQ(frame_alloc_bitmap_words(UINT64_C(4) << 30), 3 * 16384);
    EXPECT_EQ(frame_alloc_init(&fa, fr_bits, FR_WORDS - 1, FR_MAX_PHYS),
              ERR_TOOSMALL);
    EXPECT_EQ(frame_alloc_init(&fa, fr_bits, FR_WORDS, 0), ERR_INVAL);
    EXPECT_EQ(frame_alloc_init(&fa, NULL, FR_WORDS, FR_MAX_PHYS), ERR_INVAL);
    fr_init(t, &fa);
    EXPECT_EQ(fa.nframes, 1024);
    EXPECT_COUNTS(&fa, 0, 0);
    uint64_t pa;
    EXPECT_EQ(frame_alloc_one(&fa, &pa), ERR_NOMEM);
    EXPECT_EQ(frame_state(&fa, 0), FRAME_ABSENT);
}

TEST(frame_add_free_rounds_inward_and_overlaps)
{
    struct frame_alloc fa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0x1001, 0x3000); /* frames 2, 3 */
    EXPECT_COUNTS(&fa, 2, 2);
    EXPECT_EQ(frame_state(&fa, 0x1000), FRAME_ABSENT);
    EXPECT_EQ(frame_state(&fa, 0x2000), FRAME_FREE);
    EXPECT_EQ(frame_state(&fa, 0x4000), FRAME_ABSENT);
    frame_alloc_add_free(&fa, 0x1000, 0xfff); /* less than a frame */
    EXPECT_COUNTS(&fa, 2, 2);
    frame_alloc_add_free(&fa, 0x0, 0x10000); /* overlaps: frames 0..15 */
    EXPECT_COUNTS(&fa, 16, 16);
    frame_alloc_add_free(&fa, 0x8000, 0x100000); /* overlaps, crosses words */
    EXPECT_COUNTS(&fa, 264, 264);
    frame_alloc_add_free(&fa, 0x8000, 0); /* empty */
    EXPECT_COUNTS(&fa, 264, 264);
}

TEST(frame_add_free_clips_to_max_phys)
{
    struct frame_alloc fa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, FR_MAX_PHYS - 2 * FRAME_SIZE, 100 * FRAME_SIZE);
    EXPECT_COUNTS(&fa, 2, 2);
    frame_alloc_add_free(&fa, FR_MAX_PHYS * 2, FRAME_SIZE);
    EXPECT_COUNTS(&fa, 2, 2);
    frame_alloc_add_free(&fa, UINT64_MAX - 0x5000, 0x10000); /* wraps */
    EXPECT_COUNTS(&fa, 2, 2);
    frame_alloc_add_free(&fa, 0, UINT64_MAX);
    EXPECT_COUNTS(&fa, 1024, 1024);
    frame_alloc_reserve(&fa, FR_MAX_PHYS - 1, UINT64_MAX); /* wraps */
    EXPECT_COUNTS(&fa, 1024, 1023);
}

TEST(frame_reserve_rounds_outward_idempotent)
{
    struct frame_alloc fa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, 64 * FRAME_SIZE);
    frame_alloc_reserve(&fa, 0x2fff, 2); /* frames 2 and 3 */
    EXPECT_COUNTS(&fa, 64, 62);
    EXPECT_EQ(frame_state(&fa, 0x2000), FRAME_RESERVED);
    EXPECT_EQ(frame_state(&fa, 0x3000), FRAME_RESERVED);
    EXPECT_EQ(frame_state(&fa, 0x4000), FRAME_FREE);
    frame_alloc_reserve(&fa, 0x2000, 0x2000); /* already reserved */
    EXPECT_COUNTS(&fa, 64, 62);
    frame_alloc_reserve(&fa, 0x3000, 0x3000); /* partly reserved: 4, 5 */
    EXPECT_COUNTS(&fa, 64, 60);
    frame_alloc_reserve(&fa, 0x5000, 0); /* empty */
    EXPECT_COUNTS(&fa, 64, 60);
    frame_alloc_reserve(&fa, 200 * FRAME_SIZE, FRAME_SIZE); /* not RAM */
    EXPECT_COUNTS(&fa, 64, 60);
    frame_alloc_add_free(&fa, 0, 64 * FRAME_SIZE); /* does not unreserve */
    EXPECT_COUNTS(&fa, 64, 60);
}

TEST(frame_reserve_before_add_is_sticky)
{
    struct frame_alloc fa;

    fr_init(t, &fa);
    frame_alloc_reserve(&fa, 0, 0x100000);         /* low 1 MiB first */
    frame_alloc_add_free(&fa, 0, 2 * 0x100000);    /* then the RAM */
    EXPECT_COUNTS(&fa, 512, 256);
    EXPECT_EQ(frame_state(&fa, 0), FRAME_RESERVED);
    EXPECT_EQ(frame_state(&fa, 0xff000), FRAME_RESERVED);
    EXPECT_EQ(frame_state(&fa, 0x100000), FRAME_FREE);
    uint64_t pa;
    ASSERT_EQ(frame_alloc_one(&fa, &pa), ERR_OK);
    EXPECT_TRUE(pa >= 0x100000);
}

TEST(frame_alloc_exhaust_and_free_all)
{
    struct frame_alloc fa;
    static uint64_t got[1024];
    size_t n = 0;
    uint64_t pa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, FR_MAX_PHYS);
    frame_alloc_reserve(&fa, 0, 16 * FRAME_SIZE);
    while (frame_alloc_one(&fa, &pa) == ERR_OK) {
        ASSERT_TRUE(n < 1024);
        EXPECT_EQ(pa % FRAME_SIZE, 0);
        EXPECT_TRUE(pa >= 16 * FRAME_SIZE && pa < FR_MAX_PHYS);
        EXPECT_EQ(frame_state(&fa, pa), FRAME_ALLOCATED);
        got[n++] = pa;
    }
    EXPECT_EQ(n, 1008);
    EXPECT_COUNTS(&fa, 1024, 0);
    EXPECT_EQ(frame_alloc_one(&fa, &pa), ERR_NOMEM);
    for (size_t i = 0; i < n; i++) /* all distinct (each free succeeds) */
        EXPECT_EQ(frame_free(&fa, got[i]), ERR_OK);
    EXPECT_COUNTS(&fa, 1024, 1008);
}

TEST(frame_free_errors)
{
    struct frame_alloc fa;
    uint64_t pa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, 512 * FRAME_SIZE);
    frame_alloc_reserve(&fa, 0, FRAME_SIZE);
    ASSERT_EQ(frame_alloc_one(&fa, &pa), ERR_OK);
    EXPECT_EQ(frame_free(&fa, pa + 8), ERR_INVAL);          /* misaligned */
    EXPECT_EQ(frame_free(&fa, FR_MAX_PHYS), ERR_INVAL);     /* out of range */
    EXPECT_EQ(frame_free(&fa, UINT64_MAX & ~(FRAME_SIZE - 1)), ERR_INVAL);
    EXPECT_EQ(frame_free(&fa, 600 * FRAME_SIZE), ERR_INVAL); /* not RAM */
    EXPECT_EQ(frame_free(&fa, 0), ERR_PERM);                /* reserved */
    EXPECT_EQ(frame_free(&fa, 100 * FRAME_SIZE), ERR_EXISTS); /* never alloc */
    EXPECT_COUNTS(&fa, 512, 510);
    EXPECT_EQ(frame_free(&fa, pa), ERR_OK);
    EXPECT_EQ(frame_free(&fa, pa), ERR_EXISTS);             /* double free */
    EXPECT_COUNTS(&fa, 512, 511);
}

TEST(frame_contig_alignment)
{
    struct frame_alloc fa;
    uint64_t pa, one;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, FR_MAX_PHYS);
    ASSERT_EQ(frame_alloc_one(&fa, &one), ERR_OK); /* frame 0 */
    EXPECT_EQ(one, 0);
    ASSERT_EQ(frame_alloc_contig(&fa, 3, 1, &pa), ERR_OK);
    EXPECT_EQ(pa, FRAME_SIZE);
    ASSERT_EQ(frame_alloc_contig(&fa, 4, 4, &pa), ERR_OK);
    EXPECT_EQ(pa, 4 * FRAME_SIZE);
    ASSERT_EQ(frame_alloc_contig(&fa, 1, 512, &pa), ERR_OK); /* 2 MiB */
    EXPECT_EQ(pa, 512 * FRAME_SIZE);
    ASSERT_EQ(frame_alloc_contig(&fa, 512, 512, &pa), ERR_NOMEM);
    ASSERT_EQ(frame_alloc_contig(&fa, 200, 64, &pa), ERR_OK);
    EXPECT_EQ(pa, 64 * FRAME_SIZE);
    EXPECT_COUNTS(&fa, 1024, 1024 - 1 - 3 - 4 - 1 - 200);
    EXPECT_EQ(frame_alloc_contig(&fa, 0, 1, &pa), ERR_INVAL);
    EXPECT_EQ(frame_alloc_contig(&fa, 1, 0, &pa), ERR_INVAL);
    EXPECT_EQ(frame_alloc_contig(&fa, 1, 3, &pa), ERR_INVAL);
    EXPECT_EQ(frame_alloc_contig(&fa, 2000, 1, &pa), ERR_NOMEM);
    EXPECT_EQ(frame_free_contig(&fa, 64 * FRAME_SIZE, 200), ERR_OK);
    EXPECT_COUNTS(&fa, 1024, 1024 - 1 - 3 - 4 - 1);
}

TEST(frame_contig_fragmented_and_all_or_nothing_free)
{
    struct frame_alloc fa;
    uint64_t pa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, 64 * FRAME_SIZE);
    for (uint64_t f = 0; f < 64; f += 8)          /* a hole every 8 frames */
        frame_alloc_reserve(&fa, f * FRAME_SIZE, FRAME_SIZE);
    EXPECT_EQ(frame_alloc_contig(&fa, 8, 1, &pa), ERR_NOMEM);
    ASSERT_EQ(frame_alloc_contig(&fa, 7, 1, &pa), ERR_OK);
    EXPECT_EQ(pa, FRAME_SIZE);
    ASSERT_EQ(frame_alloc_contig(&fa, 4, 4, &pa), ERR_OK);
    EXPECT_EQ(pa, 12 * FRAME_SIZE);
    /* Range straddling a free frame: nothing changes. */
    EXPECT_EQ(frame_free_contig(&fa, 9 * FRAME_SIZE, 6), ERR_EXISTS);
    EXPECT_EQ(frame_state(&fa, 12 * FRAME_SIZE), FRAME_ALLOCATED);
    /* Range straddling a reserved frame. */
    EXPECT_EQ(frame_free_contig(&fa, 7 * FRAME_SIZE, 2), ERR_PERM);
    EXPECT_EQ(frame_free_contig(&fa, FRAME_SIZE, 0), ERR_INVAL);
    EXPECT_EQ(frame_free_contig(&fa, 60 * FRAME_SIZE, 10), ERR_INVAL); /* 64+: not RAM */
    EXPECT_EQ(frame_free_contig(&fa, 57 * FRAME_SIZE, 3), ERR_EXISTS);
    EXPECT_EQ(frame_free_contig(&fa, 1020 * FRAME_SIZE, 10), ERR_INVAL);
    EXPECT_EQ(frame_free_contig(&fa, FRAME_SIZE, UINT64_MAX), ERR_INVAL);
    EXPECT_COUNTS(&fa, 64, 56 - 7 - 4);
    EXPECT_EQ(frame_free_contig(&fa, FRAME_SIZE, 7), ERR_OK);
    EXPECT_EQ(frame_free_contig(&fa, 12 * FRAME_SIZE, 4), ERR_OK);
    EXPECT_COUNTS(&fa, 64, 56);
}

TEST(frame_batch_and_next_fit)
{
    struct frame_alloc fa;
    uint64_t pas[16], pa;

    fr_init(t, &fa);
    frame_alloc_add_free(&fa, 0, 10 * FRAME_SIZE);
    EXPECT_EQ(frame_alloc_batch(&fa, pas, 4), 4);
    EXPECT_EQ(pas[3], 3 * FRAME_SIZE);
    EXPECT_EQ(frame_free(&fa, pas[0]), ERR_OK);
    ASSERT_EQ(frame_alloc_one(&fa, &pa), ERR_OK); /* next fit: not frame 0 */
    EXPECT_EQ(pa, 4 * FRAME_SIZE);
    EXPECT_EQ(frame_alloc_batch(&fa, pas, 16), 6); /* wraps to frame 0 */
    EXPECT_COUNTS(&fa, 10, 0);
}

/* ---- random sequence against a model ------------------------------------ */

enum { M_ABSENT, M_FREE, M_ALLOC, M_RSVD };

struct fr_model {
    unsigned char st[1024];
    bool ram[1024];
};

/* Apply add_free/reserve to the model, with the same rounding. */
static void model_range(struct fr_model *m, uint64_t base, uint64_t len,
                        bool reserve)
{
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t f0 = reserve ? base / FRAME_SIZE
                          : (base + FRAME_SIZE - 1) / FRAME_SIZE;
    uint64_t f1 = reserve ? (end / FRAME_SIZE + (end % FRAME_SIZE != 0))
                          : end / FRAME_SIZE;

    if (reserve && len == 0)
        return;
    for (uint64_t f = f0; f < f1 && f < 1024; f++) {
        if (reserve) {
            m->st[f] = M_RSVD;
        } else if (!m->ram[f]) {
            m->ram[f] = true;
            if (m->st[f] == M_ABSENT)
                m->st[f] = M_FREE;
        }
    }
}

/* Compare model and allocator state frame by frame; returns mismatches. */
static int model_compare(const struct fr_model *m, const struct frame_alloc *fa)
{
    static const enum frame_state map[] = {FRAME_ABSENT, FRAME_FREE,
                                           FRAME_ALLOCATED, FRAME_RESERVED};
    uint64_t total = 0, free = 0;
    int bad = 0;

    for (uint64_t f = 0; f < 1024; f++) {
        total += m->ram[f];
        free += m->st[f] == M_FREE;
        bad += frame_state(fa, f * FRAME_SIZE) != map[m->st[f]];
    }
    return bad + (total != fa->total) + (free != fa->free);
}

/* One random operation on both allocator and model; returns mismatches. */
static int fr_random_op(struct core_rng *r, struct fr_model *m,
                        struct frame_alloc *fa)
{
    uint64_t op = core_rng_below(r, 10), pa;
    uint64_t base = core_rng_below(r, 1100 * FRAME_SIZE);
    uint64_t len = core_rng_below(r, 40 * FRAME_SIZE);

    if (op == 0) {
        frame_alloc_add_free(fa, base, len);
        model_range(m, base, len, false);
    } else if (op == 1 && core_rng_below(r, 4) == 0) {
        frame_alloc_reserve(fa, base, len);
        model_range(m, base, len, true);
    } else if (op <= 4) {
        if (frame_alloc_one(fa, &pa) == ERR_OK)
            return m->st[pa / FRAME_SIZE] != M_FREE ||
                   (m->st[pa / FRAME_SIZE] = M_ALLOC, 0);
    } else if (op == 5) {
        uint64_t n = core_rng_below(r, 8) + 1, al = 1u << core_rng_below(r, 4);
        if (frame_alloc_contig(fa, n, al, &pa) == ERR_OK) {
            for (uint64_t f = pa / FRAME_SIZE; f < pa / FRAME_SIZE + n; f++)
                m->st[f] = M_ALLOC;
            return (pa / FRAME_SIZE) % al != 0;
        }
    } else {
        uint64_t f = base / FRAME_SIZE % 1024;
        err_t want = !m->ram[f]             ? ERR_INVAL /* not RAM wins */
                     : m->st[f] == M_RSVD ? ERR_PERM
                     : m->st[f] == M_FREE ? ERR_EXISTS
                                          : ERR_OK;
        if (want == ERR_OK)
            m->st[f] = M_FREE;
        return frame_free(fa, f * FRAME_SIZE) != want;
    }
    return 0;
}

TEST(frame_random_sequence_vs_model)
{
    struct core_rng r = {0xfeedfacecafebeefull};
    static struct fr_model m;
    struct frame_alloc fa;
    int bad = 0;

    for (int round = 0; round < 20; round++) {
        fr_init(t, &fa);
        for (int i = 0; i < 1024; i++) {
            m.st[i] = M_ABSENT;
            m.ram[i] = false;
        }
        for (int i = 0; i < 3000; i++) {
            bad += fr_random_op(&r, &m, &fa);
            if (i % 100 == 0)
                bad += model_compare(&m, &fa);
        }
        bad += model_compare(&m, &fa);
    }
    EXPECT_EQ(bad, 0);
}
