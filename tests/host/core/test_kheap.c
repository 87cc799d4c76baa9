/*
 * test_kheap.c - the kernel heap over a test page pool: every size class,
 * big blocks, pages going back to the provider, misuse detection (double
 * free, foreign and interior pointers, writes after free, bad pages), OOM,
 * independent heaps, and random churn against a shadow model.
 */
#include "core_test.h"
#include <common/bitmap.h>
#include <kernel/kheap.h>
#include <stdbool.h>

#define POOL_PAGES 1024 /* 4 MiB */

/*
 * Page provider over a static pool.  Pages are never given back to the host
 * libc, so reading a stale header (double free tests) stays defined.
 */
struct pool {
    uint64_t used[BITMAP_WORDS(POOL_PAGES)];
    size_t outstanding;   /* pages handed out now */
    size_t limit;         /* fail allocations beyond this many pages */
    bool misalign;        /* return unaligned pages (provider bug) */
};

static unsigned char pool_mem[POOL_PAGES * KHEAP_PAGE_SIZE]
    __attribute__((aligned(4096)));

static void *pool_alloc_pages(void *ctx, size_t n)
{
    struct pool *p = ctx;
    size_t i;

    if (p->outstanding + n > p->limit)
        return NULL;
    i = bitmap_find_zero_run(p->used, POOL_PAGES, n, 1);
    if (i >= POOL_PAGES)
        return NULL;
    bitmap_set_range(p->used, i, n);
    p->outstanding += n;
    return pool_mem + i * KHEAP_PAGE_SIZE + (p->misalign ? 8 : 0);
}

static void pool_free_pages(void *ctx, void *pg, size_t n)
{
    struct pool *p = ctx;
    size_t i = (size_t)((unsigned char *)pg - pool_mem) / KHEAP_PAGE_SIZE;

    if (bitmap_count_range(p->used, i, n) != n)
        p->limit = 0; /* makes the leak checks fail loudly */
    bitmap_clear_range(p->used, i, n);
    p->outstanding -= n;
}

static void *pool_alloc_page(void *ctx)
{
    return pool_alloc_pages(ctx, 1);
}

static void pool_free_page(void *ctx, void *pg)
{
    pool_free_pages(ctx, pg, 1);
}

struct faults {
    int count;
    enum kheap_fault last;
    const void *ptr;
};

static void record_fault(void *ctx, enum kheap_fault kind, const void *ptr)
{
    struct faults *f = ctx;

    f->count++;
    f->last = kind;
    f->ptr = ptr;
}

struct fixture {
    struct pool pool;
    struct kheap_pages pages;
    struct kheap heap;
    struct faults faults;
};

/* Set up a poisoned heap over an empty pool. */
static struct kheap *fx_init(struct fixture *fx, unsigned flags)
{
    memset(fx, 0, sizeof(*fx));
    memset(pool_mem, 0, sizeof(pool_mem));
    fx->pool.limit = POOL_PAGES;
    fx->pages = (struct kheap_pages){
        .alloc_page = pool_alloc_page, .free_page = pool_free_page,
        .alloc_pages = pool_alloc_pages, .free_pages = pool_free_pages,
        .ctx = &fx->pool};
    kheap_init(&fx->heap, &fx->pages, flags, record_fault, &fx->faults);
    return &fx->heap;
}

/* Everything given back: no pages, objects or bytes outstanding. */
static void fx_expect_empty(struct test_ctx *t, struct fixture *fx)
{
    struct kheap_stats st;

    kheap_stats(&fx->heap, &st);
    EXPECT_EQ(fx->pool.outstanding, 0);
    EXPECT_EQ(st.pages, 0);
    EXPECT_EQ(st.bytes_inuse, 0);
    EXPECT_EQ(st.big_allocs, 0);
    for (int c = 0; c < KHEAP_NCLASSES; c++) {
        EXPECT_EQ(st.cls[c].objs_inuse, 0);
        EXPECT_EQ(st.cls[c].pages, 0);
    }
}

static struct fixture fx;

TEST(kheap_class_table)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static const uint32_t per_page[] = {252, 126, 63, 31, 15, 7, 3, 1};
    struct kheap_stats st;

    kheap_stats(h, &st);
    for (unsigned c = 0; c < KHEAP_NCLASSES; c++) {
        EXPECT_EQ(st.cls[c].size, 16u << c);
        EXPECT_EQ(st.cls[c].per_page, per_page[c]);
    }
}

TEST(kheap_sizes_map_to_classes)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static const size_t sizes[] = {0, 1, 16, 17, 32, 33, 64, 65, 128, 129,
                                   256, 257, 512, 513, 1024, 1025, 2048};
    static const size_t want[] = {16, 16, 16, 32, 32, 64, 64, 128, 128, 256,
                                  256, 512, 512, 1024, 1024, 2048, 2048};
    void *p[17];

    for (int i = 0; i < 17; i++) {
        p[i] = kheap_alloc(h, sizes[i]);
        ASSERT_TRUE(p[i] != NULL);
        EXPECT_EQ(kheap_usable_size(h, p[i]), want[i]);
        EXPECT_EQ((uintptr_t)p[i] % 16, 0);
        if (want[i] >= 64)
            EXPECT_EQ((uintptr_t)p[i] % 64, 0);
        memset(p[i], 0xee, want[i]); /* whole usable size is writable */
    }
    struct kheap_stats st;
    kheap_stats(h, &st);
    EXPECT_EQ(st.cls[0].objs_inuse, 3);
    EXPECT_EQ(st.cls[7].objs_inuse, 2);
    EXPECT_EQ(st.cls[7].pages, 2); /* one 2048 object per page */
    EXPECT_EQ(st.pages, fx.pool.outstanding);
    for (int i = 0; i < 17; i++)
        EXPECT_EQ(kheap_free(h, p[i]), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_slab_fill_and_page_return)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static void *p[253];
    struct kheap_stats st;

    for (int i = 0; i < 252; i++)
        ASSERT_TRUE((p[i] = kheap_alloc(h, 16)) != NULL);
    EXPECT_EQ(fx.pool.outstanding, 1); /* exactly one full slab */
    ASSERT_TRUE((p[252] = kheap_alloc(h, 10)) != NULL);
    EXPECT_EQ(fx.pool.outstanding, 2);
    EXPECT_EQ(kheap_free(h, p[252]), ERR_OK); /* second slab empty: back */
    EXPECT_EQ(fx.pool.outstanding, 1);
    EXPECT_EQ(kheap_free(h, p[100]), ERR_OK); /* full -> partial */
    void *again = kheap_alloc(h, 16);
    EXPECT_TRUE(again == p[100]);             /* reuses the hole, no page */
    EXPECT_EQ(fx.pool.outstanding, 1);
    kheap_stats(h, &st);
    EXPECT_EQ(st.cls[0].objs_inuse, 252);
    EXPECT_EQ(st.cls[0].pages, 1);
    for (int i = 0; i < 252; i++)
        EXPECT_EQ(kheap_free(h, p[i]), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_keep_one_keeps_the_last_empty_slab)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON | KHEAP_KEEP_ONE);
    static void *p[253];

    /* One object coming and going: the page stays, no churn. */
    for (int i = 0; i < 10; i++) {
        void *o = kheap_alloc(h, 32);
        ASSERT_TRUE(o != NULL);
        EXPECT_EQ(kheap_free(h, o), ERR_OK);
        EXPECT_EQ(fx.pool.outstanding, 1);
    }
    /* Two slabs of one class: an emptied slab is kept only if it is the
     * class's only page, never beside a full one (which would leave a
     * page held that no object needs, visible as a frame difference in
     * the kernel's leak checks). */
    for (int i = 0; i < 253; i++)
        ASSERT_TRUE((p[i] = kheap_alloc(h, 16)) != NULL);
    EXPECT_EQ(fx.pool.outstanding, 3);      /* the 32-class page + 2 */
    EXPECT_EQ(kheap_free(h, p[252]), ERR_OK);
    EXPECT_EQ(fx.pool.outstanding, 2);      /* beside a full slab: released */
    for (int i = 0; i < 252; i++)
        EXPECT_EQ(kheap_free(h, p[i]), ERR_OK);
    EXPECT_EQ(fx.pool.outstanding, 2);      /* each class keeps one page */
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_every_class_many_slabs)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static void *p[KHEAP_NCLASSES][80];

    for (unsigned c = 0; c < KHEAP_NCLASSES; c++)
        for (int i = 0; i < 80; i++) {
            p[c][i] = kheap_alloc(h, (16u << c) - (unsigned)i % 3);
            ASSERT_TRUE(p[c][i] != NULL);
            memset(p[c][i], (int)c, 16u << c);
        }
    struct kheap_stats st;
    kheap_stats(h, &st);
    for (unsigned c = 0; c < KHEAP_NCLASSES; c++) {
        EXPECT_EQ(st.cls[c].objs_inuse, 80);
        EXPECT_EQ(st.cls[c].pages, (80 + st.cls[c].per_page - 1) /
                                       st.cls[c].per_page);
    }
    for (unsigned c = 0; c < KHEAP_NCLASSES; c++) /* free in odd order */
        for (int i = 0; i < 80; i++)
            EXPECT_EQ(kheap_free(h, p[c][(i * 37) % 80]), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_big_allocations)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    struct kheap_stats st;
    void *a = kheap_alloc(h, 2049);
    void *b = kheap_alloc(h, KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    void *c = kheap_alloc(h, KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE + 1);
    void *d = kheap_alloc(h, 100000);

    ASSERT_TRUE(a && b && c && d);
    EXPECT_EQ(kheap_usable_size(h, a), KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    EXPECT_EQ(kheap_usable_size(h, c), 2 * KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    EXPECT_EQ(kheap_usable_size(h, d), 25 * KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    memset(d, 0x5a, 100000);
    kheap_stats(h, &st);
    EXPECT_EQ(st.big_allocs, 4);
    EXPECT_EQ(st.big_pages, 1 + 1 + 2 + 25);
    EXPECT_EQ(fx.pool.outstanding, 29);
    EXPECT_EQ(kheap_free(h, c), ERR_OK);
    EXPECT_EQ(fx.pool.outstanding, 27);
    EXPECT_EQ(kheap_free(h, a), ERR_OK);
    EXPECT_EQ(kheap_free(h, b), ERR_OK);
    EXPECT_EQ(kheap_free(h, d), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_TRUE(kheap_alloc(h, SIZE_MAX) == NULL);
    EXPECT_TRUE(kheap_alloc(h, SIZE_MAX - 100) == NULL);
    EXPECT_TRUE(kheap_alloc(h, POOL_PAGES * KHEAP_PAGE_SIZE) == NULL);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_big_without_multi_page_provider)
{
    struct kheap *h = fx_init(&fx, 0);

    fx.heap.pages.alloc_pages = NULL;
    fx.heap.pages.free_pages = NULL;
    EXPECT_TRUE(kheap_alloc(h, 3000) != NULL);      /* fits one page */
    EXPECT_TRUE(kheap_alloc(h, 5000) == NULL);      /* needs two */
}

TEST(kheap_zalloc_zeroes_and_free_null)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    unsigned char *p = kheap_zalloc(h, 100);
    unsigned char *q = kheap_zalloc(h, 5000);
    int nonzero = 0;

    ASSERT_TRUE(p && q);
    for (int i = 0; i < 100; i++)
        nonzero += p[i] != 0;
    for (int i = 0; i < 5000; i++)
        nonzero += q[i] != 0;
    EXPECT_EQ(nonzero, 0);
    EXPECT_EQ(kheap_free(h, NULL), ERR_OK);
    EXPECT_EQ(kheap_usable_size(h, NULL), 0);
    EXPECT_EQ(kheap_free(h, p), ERR_OK);
    EXPECT_EQ(kheap_free(h, q), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_double_free_detected)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    void *keep = kheap_alloc(h, 64);
    void *p = kheap_alloc(h, 64);

    EXPECT_EQ(kheap_free(h, p), ERR_OK);
    EXPECT_EQ(kheap_free(h, p), ERR_EXISTS);   /* slab still live */
    EXPECT_EQ(fx.faults.count, 1);
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_DOUBLE_FREE);
    EXPECT_TRUE(fx.faults.ptr == p);
    EXPECT_EQ(kheap_free(h, keep), ERR_OK);    /* slab page goes back */
    EXPECT_EQ(kheap_free(h, keep), ERR_EXISTS); /* DEAD magic */
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_DOUBLE_FREE);
    void *big = kheap_alloc(h, 9000);
    EXPECT_EQ(kheap_free(h, big), ERR_OK);
    EXPECT_EQ(kheap_free(h, big), ERR_EXISTS);
    EXPECT_EQ(fx.faults.count, 3);
    struct kheap_stats st;
    kheap_stats(h, &st);
    EXPECT_EQ(st.faults, 3);
    fx_expect_empty(t, &fx);                   /* counters untouched */
}

TEST(kheap_foreign_and_interior_pointers)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static uint64_t stack_like[1024] __attribute__((aligned(4096)));
    char *p = kheap_alloc(h, 128);
    char *big = kheap_alloc(h, 3000);

    ASSERT_TRUE(p && big);
    EXPECT_EQ(kheap_free(h, stack_like + 10), ERR_INVAL); /* no magic */
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_FOREIGN);
    EXPECT_EQ(kheap_free(h, p + 8), ERR_INVAL);           /* interior */
    EXPECT_EQ((uintptr_t)p % KHEAP_PAGE_SIZE, KHEAP_HDR_SIZE); /* first */
    EXPECT_EQ(kheap_free(h, p - KHEAP_HDR_SIZE + 8), ERR_INVAL); /* header */
    EXPECT_EQ(kheap_free(h, big + 16), ERR_INVAL);        /* big interior */
    EXPECT_EQ(kheap_usable_size(h, big + 16), 0);
    EXPECT_EQ(fx.faults.count, 4);
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_FOREIGN);
    /* Pointer of another heap: rejected, that heap unaffected. */
    struct kheap other;
    kheap_init(&other, &fx.pages, KHEAP_POISON, record_fault, &fx.faults);
    EXPECT_EQ(kheap_free(&other, p), ERR_INVAL);
    EXPECT_EQ(kheap_free(h, p), ERR_OK);
    EXPECT_EQ(kheap_free(h, big), ERR_OK);
    fx_expect_empty(t, &fx);
}

TEST(kheap_write_after_free_detected)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    void *keep = kheap_alloc(h, 256);
    unsigned char *p = kheap_alloc(h, 256);

    EXPECT_EQ(kheap_free(h, p), ERR_OK);
    EXPECT_EQ(p[0], KHEAP_POISON_FREE);
    EXPECT_EQ(p[255], KHEAP_POISON_FREE);
    p[200] = 1;                                  /* use after free */
    void *q = kheap_alloc(h, 256);
    EXPECT_TRUE(q == p);
    EXPECT_EQ(fx.faults.count, 1);
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_POISON);
    EXPECT_EQ(kheap_free(h, q), ERR_OK);
    /* Without KHEAP_POISON nothing is filled or checked. */
    EXPECT_EQ(kheap_free(h, keep), ERR_OK);
    h = fx_init(&fx, 0);
    p = kheap_alloc(h, 256);
    keep = kheap_alloc(h, 256);
    p[0] = 7;
    EXPECT_EQ(kheap_free(h, p), ERR_OK);
    EXPECT_EQ(p[0], 7);
    p[1] = 2;
    EXPECT_TRUE(kheap_alloc(h, 256) == p);
    EXPECT_EQ(fx.faults.count, 0);
}

TEST(kheap_provider_exhaustion)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    struct kheap_stats before, after;

    fx.pool.limit = 2;
    void *a = kheap_alloc(h, 2048);
    void *b = kheap_alloc(h, 2048);
    ASSERT_TRUE(a && b);
    kheap_stats(h, &before);
    EXPECT_TRUE(kheap_alloc(h, 2048) == NULL);
    EXPECT_TRUE(kheap_alloc(h, 16) == NULL);
    EXPECT_TRUE(kheap_alloc(h, 3000) == NULL);
    EXPECT_TRUE(kheap_zalloc(h, 5000) == NULL);
    kheap_stats(h, &after);
    EXPECT_EQ(memcmp(&before, &after, sizeof(before)), 0);
    EXPECT_EQ(kheap_free(h, a), ERR_OK);
    EXPECT_TRUE(kheap_alloc(h, 16) != NULL);     /* page came back */
}

TEST(kheap_bad_provider_page)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);

    fx.pool.misalign = true;
    EXPECT_TRUE(kheap_alloc(h, 32) == NULL);
    EXPECT_EQ(fx.faults.last, KHEAP_FAULT_BAD_PAGE);
    EXPECT_TRUE(kheap_alloc(h, 9000) == NULL);
    EXPECT_EQ(fx.faults.count, 2);
}

TEST(kheap_independent_heaps)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    struct kheap h2;
    struct kheap_stats st;

    kheap_init(&h2, &fx.pages, KHEAP_POISON, record_fault, &fx.faults);
    void *a = kheap_alloc(h, 40);
    void *b = kheap_alloc(&h2, 40);
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(((uintptr_t)a >> 12) != ((uintptr_t)b >> 12)); /* own slabs */
    kheap_stats(&h2, &st);
    EXPECT_EQ(st.cls[2].objs_inuse, 1);
    EXPECT_EQ(kheap_free(&h2, b), ERR_OK);
    EXPECT_EQ(kheap_free(h, a), ERR_OK);
    fx_expect_empty(t, &fx);
    EXPECT_EQ(fx.faults.count, 0);
}

/* ---- random churn against a shadow model --------------------------------- */

#define CHURN_SLOTS 512

struct shadow {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

/* Random size: mostly small, some big. */
static size_t churn_size(struct core_rng *r)
{
    uint64_t k = core_rng_below(r, 100);

    if (k < 85)
        return core_rng_below(r, 2049);
    if (k < 97)
        return 2049 + core_rng_below(r, 8000);
    return 10000 + core_rng_below(r, 60000);
}

/* True if the object still holds its tag in every byte. */
static bool churn_intact(const struct shadow *s)
{
    for (size_t i = 0; i < s->size; i++)
        if (s->p[i] != s->tag)
            return false;
    return true;
}

TEST(kheap_random_churn_vs_shadow)
{
    struct kheap *h = fx_init(&fx, KHEAP_POISON);
    static struct shadow sh[CHURN_SLOTS];
    struct core_rng r = {0x5eed};
    struct kheap_stats st;
    uint64_t live_bytes = 0;
    int bad = 0;

    memset(sh, 0, sizeof(sh));
    for (int i = 0; i < 60000; i++) {
        struct shadow *s = &sh[core_rng_below(&r, CHURN_SLOTS)];
        if (s->p) {
            bad += !churn_intact(s);
            live_bytes -= kheap_usable_size(h, s->p);
            bad += kheap_free(h, s->p) != ERR_OK;
            s->p = NULL;
            continue;
        }
        s->size = churn_size(&r);
        s->tag = (unsigned char)(i | 1);
        s->p = kheap_alloc(h, s->size);
        if (!s->p)
            continue; /* pool full: fine, model unchanged */
        live_bytes += kheap_usable_size(h, s->p);
        memset(s->p, s->tag, s->size);
        kheap_stats(h, &st);
        bad += st.bytes_inuse != live_bytes;
        bad += st.pages != fx.pool.outstanding;
    }
    for (int i = 0; i < CHURN_SLOTS; i++)
        if (sh[i].p) {
            bad += !churn_intact(&sh[i]);
            bad += kheap_free(h, sh[i].p) != ERR_OK;
        }
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(fx.faults.count, 0);
    fx_expect_empty(t, &fx);
}
