/*
 * kheap.c - kernel heap: size-class slabs plus a multi-page path.
 *
 * Theory of operation (longer version in docs/kheap.md).
 *
 * Small objects (<= 2048 bytes) are rounded up to one of eight power-of-two
 * classes, 16..2048.  Each class carves whole 4 KiB slab pages obtained one
 * at a time from the page provider.  A slab page starts with a 64-byte
 * header (struct kheap_slab: magic, owner heap, class, in-use count, list
 * links and a 256-bit allocation bitmap) followed by (4096 - 64) / size
 * objects.  kheap_free finds the header by rounding the pointer down to its
 * page, so no per-object header is needed and any 16-byte-aligned size is
 * exact to within a factor of two.
 *
 * Slab states: partial (on its class's doubly linked `partial` list, at
 * least one free object), full (on no list) and empty.  An empty slab is
 * returned to the provider at once, so a balanced alloc/free sequence gives
 * every page back (leak checks compare provider counts) -- unless
 * KHEAP_KEEP_ONE is set: then a class's only slab page (full slabs
 * count) stays even when empty,
 * so one object allocated and freed in a loop does not take and return a
 * page every time.  Allocation takes
 * the head of the partial list, or a new page when the list is empty.
 *
 * Big objects (> 2048 bytes) take n = ceil((size + 64) / 4096) contiguous
 * pages with a 64-byte header (struct kheap_big) recording n; the object
 * starts right after it.
 *
 * Misuse detection, all O(1) or O(object size): a magic in every header and
 * the owner heap pointer reject foreign pointers; the offset must be an
 * object boundary; the slab bitmap catches double frees precisely; a page
 * given back gets a DEAD magic, so a double free into it is still named.
 * With KHEAP_POISON, free objects are filled with 0x6b and checked when
 * handed out again, catching writes after free.  Each misuse calls the fault
 * callback (the kernel panics) and is returned as an error.
 *
 * State: everything lives in struct kheap; no locking (the caller's lock).
 */
#include <common/bitmap.h>
#include <common/string.h>
#include <kernel/kheap.h>
#include <stdbool.h>

#define KHEAP_SLAB_MAGIC 0x534c4142u      /* "SLAB" */
#define KHEAP_BIG_MAGIC 0x42494721u       /* "BIG!" */
#define KHEAP_DEAD_MAGIC 0x44454144u      /* "DEAD": page was given back */
#define KHEAP_MAX_OBJS ((KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE) / KHEAP_MIN_CLASS)

typedef uint64_t __attribute__((may_alias)) kheap_word_t;

/* Header at the start of every slab page. */
struct kheap_slab {
    uint32_t magic;               /* KHEAP_SLAB_MAGIC while owned */
    uint8_t cls;                  /* size class index */
    uint8_t pad;
    uint16_t inuse;               /* objects allocated */
    struct kheap *heap;           /* owner */
    struct kheap_slab *next;      /* partial list links */
    struct kheap_slab *prev;
    uint64_t used[BITMAP_WORDS(KHEAP_MAX_OBJS)]; /* 1 = allocated */
};

/* Header at the start of every big block. */
struct kheap_big {
    uint32_t magic;               /* KHEAP_BIG_MAGIC while owned */
    uint32_t pad;
    struct kheap *heap;           /* owner */
    uint64_t npages;              /* pages in the block */
    uint64_t reserved[5];
};

_Static_assert(sizeof(struct kheap_slab) == KHEAP_HDR_SIZE, "slab header");
_Static_assert(sizeof(struct kheap_big) == KHEAP_HDR_SIZE, "big header");
_Static_assert(KHEAP_MAX_CLASS == KHEAP_MIN_CLASS << (KHEAP_NCLASSES - 1),
               "class table");

/* Object size of class ci. */
static inline size_t kheap_class_size(unsigned ci)
{
    return (size_t)KHEAP_MIN_CLASS << ci;
}

/* Smallest class holding size bytes (size <= KHEAP_MAX_CLASS). */
static inline unsigned kheap_class_of(size_t size)
{
    _Static_assert(KHEAP_MIN_CLASS == 16, "class 0 is 16 bytes");
    return size <= KHEAP_MIN_CLASS
               ? 0 : (unsigned)(64 - __builtin_clzll((uint64_t)size - 1) - 4);
}

/* Objects per slab page of class ci. */
static inline unsigned kheap_class_objs(unsigned ci)
{
    return (unsigned)((KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE) / kheap_class_size(ci));
}

/* Report a misuse to the callback and count it. */
static void kheap_report(struct kheap *h, enum kheap_fault kind, const void *p)
{
    h->stats.faults++;
    if (h->fault)
        h->fault(h->fault_ctx, kind, p);
}

void kheap_init(struct kheap *h, const struct kheap_pages *pages,
                unsigned flags, kheap_fault_fn fault, void *fault_ctx)
{
    memset(h, 0, sizeof(*h));
    h->pages = *pages;
    h->flags = flags;
    h->fault = fault;
    h->fault_ctx = fault_ctx;
    for (unsigned ci = 0; ci < KHEAP_NCLASSES; ci++) {
        h->stats.cls[ci].size = (uint32_t)kheap_class_size(ci);
        h->stats.cls[ci].per_page = kheap_class_objs(ci);
    }
}

/* Push s on the head of its class's partial list. */
static void kheap_list_push(struct kheap *h, struct kheap_slab *s)
{
    s->prev = NULL;
    s->next = h->partial[s->cls];
    if (s->next)
        s->next->prev = s;
    h->partial[s->cls] = s;
}

/* Unlink s from its class's partial list. */
static void kheap_list_remove(struct kheap *h, struct kheap_slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        h->partial[s->cls] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

/* True if page is 4 KiB aligned; otherwise report it. */
static bool kheap_page_ok(struct kheap *h, const void *page)
{
    if (((uintptr_t)page & (KHEAP_PAGE_SIZE - 1)) == 0)
        return true;
    kheap_report(h, KHEAP_FAULT_BAD_PAGE, page);
    return false;
}

/* Get a fresh slab page for class ci and put it on the partial list. */
static struct kheap_slab *kheap_slab_new(struct kheap *h, unsigned ci)
{
    struct kheap_slab *s = h->pages.alloc_page(h->pages.ctx);

    if (!s)
        return NULL;
    if (!kheap_page_ok(h, s))
        return NULL; /* not ours to use, and not safe to hand back */
    memset(s, 0, sizeof(*s));
    s->magic = KHEAP_SLAB_MAGIC;
    s->cls = (uint8_t)ci;
    s->heap = h;
    if (h->flags & KHEAP_POISON)
        memset((char *)s + KHEAP_HDR_SIZE, KHEAP_POISON_FREE,
               KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    kheap_list_push(h, s);
    h->stats.cls[ci].pages++;
    h->stats.pages++;
    return s;
}

/* Report if the free object p of size n was written since it was freed. */
static void kheap_check_poison(struct kheap *h, const void *p, size_t n)
{
    const kheap_word_t *w = p;
    const uint64_t pat = KHEAP_POISON_FREE * UINT64_C(0x0101010101010101);

    for (size_t i = 0; i < n / sizeof(uint64_t); i++) {
        if (w[i] != pat) {
            kheap_report(h, KHEAP_FAULT_POISON, p);
            return;
        }
    }
}

/* Allocate one object of class ci. */
static void *kheap_alloc_small(struct kheap *h, unsigned ci)
{
    struct kheap_slab *s = h->partial[ci];
    size_t size = kheap_class_size(ci);
    unsigned nobj = kheap_class_objs(ci);

    if (!s && !(s = kheap_slab_new(h, ci)))
        return NULL;
    size_t idx = bitmap_next_zero(s->used, 0, nobj);
    bitmap_set(s->used, idx);
    if (++s->inuse == nobj)
        kheap_list_remove(h, s);
    void *p = (char *)s + KHEAP_HDR_SIZE + idx * size;
    if (h->flags & KHEAP_POISON)
        kheap_check_poison(h, p, size);
    h->stats.cls[ci].objs_inuse++;
    h->stats.bytes_inuse += size;
    return p;
}

/* Allocate a big block of at least size bytes. */
static void *kheap_alloc_big(struct kheap *h, size_t size)
{
    size_t n = (size + KHEAP_HDR_SIZE + KHEAP_PAGE_SIZE - 1) / KHEAP_PAGE_SIZE;
    struct kheap_big *b;

    if (size > SIZE_MAX - KHEAP_HDR_SIZE - KHEAP_PAGE_SIZE)
        return NULL;
    if (n == 1)
        b = h->pages.alloc_page(h->pages.ctx);
    else
        b = h->pages.alloc_pages ? h->pages.alloc_pages(h->pages.ctx, n)
                                 : NULL;
    if (!b || !kheap_page_ok(h, b))
        return NULL;
    memset(b, 0, sizeof(*b));
    b->magic = KHEAP_BIG_MAGIC;
    b->heap = h;
    b->npages = n;
    h->stats.big_allocs++;
    h->stats.big_pages += n;
    h->stats.pages += n;
    h->stats.bytes_inuse += n * KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE;
    return (char *)b + KHEAP_HDR_SIZE;
}

void *kheap_alloc(struct kheap *h, size_t size)
{
    if (size > KHEAP_MAX_CLASS)
        return kheap_alloc_big(h, size);
    return kheap_alloc_small(h, kheap_class_of(size));
}

void *kheap_zalloc(struct kheap *h, size_t size)
{
    void *p = kheap_alloc(h, size);

    if (p)
        memset(p, 0, size);
    return p;
}

/* Give an empty slab page back to the provider. */
static void kheap_slab_release(struct kheap *h, struct kheap_slab *s)
{
    unsigned ci = s->cls;

    kheap_list_remove(h, s);
    s->magic = KHEAP_DEAD_MAGIC;
    h->stats.cls[ci].pages--;
    h->stats.pages--;
    h->pages.free_page(h->pages.ctx, s);
}

/* Free object p of slab s, after checking it is a live object boundary. */
static err_t kheap_free_small(struct kheap *h, struct kheap_slab *s, void *p)
{
    size_t size = kheap_class_size(s->cls);
    size_t off = (size_t)((char *)p - (char *)s);
    size_t idx = (off - KHEAP_HDR_SIZE) >> (4 + s->cls); /* size = 16 << cls */

    if (off < KHEAP_HDR_SIZE || ((off - KHEAP_HDR_SIZE) & (size - 1)) ||
        idx >= kheap_class_objs(s->cls)) {
        kheap_report(h, KHEAP_FAULT_FOREIGN, p);
        return ERR_INVAL;
    }
    if (!bitmap_test(s->used, idx)) {
        kheap_report(h, KHEAP_FAULT_DOUBLE_FREE, p);
        return ERR_EXISTS;
    }
    bitmap_clear(s->used, idx);
    if (h->flags & KHEAP_POISON)
        memset(p, KHEAP_POISON_FREE, size);
    h->stats.cls[s->cls].objs_inuse--;
    h->stats.bytes_inuse -= size;
    if (s->inuse-- == kheap_class_objs(s->cls))
        kheap_list_push(h, s); /* was full */
    /* Keep a class's only slab page (full slabs count): an empty page is
     * kept only when nothing else of the class is held. */
    if (s->inuse == 0 && !((h->flags & KHEAP_KEEP_ONE) &&
                           h->stats.cls[s->cls].pages == 1))
        kheap_slab_release(h, s);
    return ERR_OK;
}

/* Free big block b. */
static void kheap_free_big(struct kheap *h, struct kheap_big *b)
{
    uint64_t n = b->npages;

    b->magic = KHEAP_DEAD_MAGIC;
    h->stats.big_allocs--;
    h->stats.big_pages -= n;
    h->stats.pages -= n;
    h->stats.bytes_inuse -= n * KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE;
    if (n == 1)
        h->pages.free_page(h->pages.ctx, b);
    else
        h->pages.free_pages(h->pages.ctx, b, (size_t)n);
}

/* Page header under p. */
static inline void *kheap_page_of(const void *p)
{
    return (void *)((uintptr_t)p & ~(uintptr_t)(KHEAP_PAGE_SIZE - 1));
}

err_t kheap_free(struct kheap *h, void *p)
{
    struct kheap_slab *s = kheap_page_of(p);
    struct kheap_big *b = kheap_page_of(p);

    if (!p)
        return ERR_OK;
    if (s->magic == KHEAP_SLAB_MAGIC && s->heap == h)
        return kheap_free_small(h, s, p);
    if (b->magic == KHEAP_BIG_MAGIC && b->heap == h &&
        (uintptr_t)p - (uintptr_t)b == KHEAP_HDR_SIZE) {
        kheap_free_big(h, b);
        return ERR_OK;
    }
    if (s->magic == KHEAP_DEAD_MAGIC) {
        kheap_report(h, KHEAP_FAULT_DOUBLE_FREE, p);
        return ERR_EXISTS;
    }
    kheap_report(h, KHEAP_FAULT_FOREIGN, p);
    return ERR_INVAL;
}

size_t kheap_usable_size(const struct kheap *h, const void *p)
{
    const struct kheap_slab *s = kheap_page_of(p);
    const struct kheap_big *b = kheap_page_of(p);

    if (!p)
        return 0;
    if (s->magic == KHEAP_SLAB_MAGIC && s->heap == h)
        return kheap_class_size(s->cls);
    if (b->magic == KHEAP_BIG_MAGIC && b->heap == h &&
        (uintptr_t)p - (uintptr_t)b == KHEAP_HDR_SIZE)
        return (size_t)(b->npages * KHEAP_PAGE_SIZE - KHEAP_HDR_SIZE);
    return 0;
}

void kheap_stats(const struct kheap *h, struct kheap_stats *out)
{
    *out = h->stats;
}
