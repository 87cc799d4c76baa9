/* SPDX-License-Identifier: MIT */
/*
 * heap.c - first-fit allocator with boundary tags and immediate
 * coalescing (see heap.h for the layout).
 */
#include <common/string.h>

#include "heap.h"

#define HDR ((size_t)sizeof(struct capos_heap_blk_hdr))
#define MIN_BLOCK (HDR + 2 * sizeof(void *))  /* header + free links */
#define USED 1u

struct capos_heap_blk_hdr {
    size_t size;        /* whole block; bit 0 = in use */
    size_t prev_size;   /* size of the previous block, 0 for the first */
};

struct capos_heap_blk {
    struct capos_heap_blk_hdr h;
    struct capos_heap_blk *next, *prev;  /* free list, free blocks only */
};

_Static_assert(sizeof(struct capos_heap_blk_hdr) == CAPOS_HEAP_ALIGN,
               "header keeps payloads 16-aligned");

/* Block size without the in-use bit. */
static size_t bsize(const struct capos_heap_blk *b)
{
    return b->h.size & ~(size_t)USED;
}

/* Physically next block, or NULL at the arena end. */
static struct capos_heap_blk *next_blk(const struct capos_heap *h,
                                       struct capos_heap_blk *b)
{
    uint8_t *n = (uint8_t *)b + bsize(b);

    return n < h->base + h->size ? (struct capos_heap_blk *)n : NULL;
}

/* Physically previous block, or NULL for the first. */
static struct capos_heap_blk *prev_blk(struct capos_heap_blk *b)
{
    return b->h.prev_size ? (struct capos_heap_blk *)((uint8_t *)b -
                                                      b->h.prev_size)
                          : NULL;
}

/* Unlink b from the free list. */
static void list_remove(struct capos_heap *h, struct capos_heap_blk *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        h->free_head = b->next;
    if (b->next)
        b->next->prev = b->prev;
}

/* Push b onto the free list. */
static void list_push(struct capos_heap *h, struct capos_heap_blk *b)
{
    b->prev = NULL;
    b->next = h->free_head;
    if (h->free_head)
        h->free_head->prev = b;
    h->free_head = b;
}

/* Set b's size (keeping flags given) and fix the next block's prev_size. */
static void set_size(struct capos_heap *h, struct capos_heap_blk *b,
                     size_t size, size_t flags)
{
    struct capos_heap_blk *n;

    b->h.size = size | flags;
    if ((n = next_blk(h, b)))
        n->h.prev_size = size;
}

/* Take over the arena as one free block. */
void capos_heap_init(struct capos_heap *h, void *arena, size_t size)
{
    uintptr_t a = ((uintptr_t)arena + CAPOS_HEAP_ALIGN - 1) &
                  ~(uintptr_t)(CAPOS_HEAP_ALIGN - 1);
    size_t lost = a - (uintptr_t)arena;
    struct capos_heap_blk *b;

    h->base = (uint8_t *)a;
    h->size = size > lost ? (size - lost) & ~(size_t)(CAPOS_HEAP_ALIGN - 1)
                          : 0;
    h->free_head = NULL;
    if (h->size < MIN_BLOCK) {
        h->size = 0;
        return;
    }
    b = (struct capos_heap_blk *)h->base;
    b->h.size = h->size;
    b->h.prev_size = 0;
    list_push(h, b);
}

/* Block size for an n-byte request, 0 on overflow. */
static size_t need_for(size_t n)
{
    size_t need;

    if (n > SIZE_MAX - HDR - CAPOS_HEAP_ALIGN)
        return 0;
    need = (n + HDR + CAPOS_HEAP_ALIGN - 1) & ~(size_t)(CAPOS_HEAP_ALIGN - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* Cut b (in use, at least need bytes) to need; free the tail. */
static void split(struct capos_heap *h, struct capos_heap_blk *b, size_t need)
{
    size_t total = bsize(b);
    struct capos_heap_blk *t;

    if (total - need < MIN_BLOCK)
        return;
    set_size(h, b, need, USED);
    t = (struct capos_heap_blk *)((uint8_t *)b + need);
    t->h.prev_size = need;
    set_size(h, t, total - need, 0);
    capos_heap_free(h, (uint8_t *)t + HDR);
}

/* First fit. */
void *capos_heap_alloc(struct capos_heap *h, size_t n)
{
    size_t need = need_for(n);

    if (n == 0 || need == 0)
        return NULL;
    for (struct capos_heap_blk *b = h->free_head; b; b = b->next) {
        if (bsize(b) < need)
            continue;
        list_remove(h, b);
        b->h.size |= USED;
        split(h, b, need);
        return (uint8_t *)b + HDR;
    }
    return NULL;
}

/* Free and coalesce with free neighbours. */
void capos_heap_free(struct capos_heap *h, void *p)
{
    struct capos_heap_blk *b, *n, *pv;

    if (!p)
        return;
    b = (struct capos_heap_blk *)((uint8_t *)p - HDR);
    set_size(h, b, bsize(b), 0);
    if ((n = next_blk(h, b)) && !(n->h.size & USED)) {
        list_remove(h, n);
        set_size(h, b, bsize(b) + bsize(n), 0);
    }
    if ((pv = prev_blk(b)) && !(pv->h.size & USED)) {
        list_remove(h, pv);
        set_size(h, pv, bsize(pv) + bsize(b), 0);
        b = pv;
    }
    list_push(h, b);
}

/* Grow b in place by absorbing a free next block; true on success. */
static bool grow_in_place(struct capos_heap *h, struct capos_heap_blk *b,
                          size_t need)
{
    struct capos_heap_blk *n = next_blk(h, b);

    if (!n || (n->h.size & USED) || bsize(b) + bsize(n) < need)
        return false;
    list_remove(h, n);
    set_size(h, b, bsize(b) + bsize(n), USED);
    split(h, b, need);
    return true;
}

/* C realloc over the heap. */
void *capos_heap_realloc(struct capos_heap *h, void *p, size_t n)
{
    struct capos_heap_blk *b;
    size_t need = need_for(n);
    void *q;

    if (!p)
        return capos_heap_alloc(h, n);
    if (n == 0) {
        capos_heap_free(h, p);
        return NULL;
    }
    if (need == 0)
        return NULL;
    b = (struct capos_heap_blk *)((uint8_t *)p - HDR);
    if (bsize(b) >= need) {
        split(h, b, need);
        return p;
    }
    if (grow_in_place(h, b, need))
        return p;
    if (!(q = capos_heap_alloc(h, n)))
        return NULL;
    memcpy(q, p, bsize(b) - HDR);
    capos_heap_free(h, p);
    return q;
}

/* Usable bytes of p. */
size_t capos_heap_usable(const void *p)
{
    const struct capos_heap_blk *b =
        (const struct capos_heap_blk *)((const uint8_t *)p - HDR);

    return bsize(b) - HDR;
}

/* Sum of free payload bytes. */
size_t capos_heap_free_bytes(const struct capos_heap *h)
{
    size_t total = 0;

    for (const struct capos_heap_blk *b = h->free_head; b; b = b->next)
        total += bsize(b) - HDR;
    return total;
}

/* Count free-list entries, checking each is free and linked back. */
static bool check_list(const struct capos_heap *h, size_t *nfree)
{
    const struct capos_heap_blk *prev = NULL;

    *nfree = 0;
    for (const struct capos_heap_blk *b = h->free_head; b; b = b->next) {
        if ((b->h.size & USED) || b->prev != prev || ++*nfree > h->size)
            return false;
        prev = b;
    }
    return true;
}

/* Walk blocks: sizes tile the arena, prev_size matches, no free pair. */
bool capos_heap_check(const struct capos_heap *h)
{
    size_t off = 0, prev = 0, nfree_walk = 0, nfree_list;
    bool prev_free = false;

    if (!check_list(h, &nfree_list))
        return false;
    while (off < h->size) {
        const struct capos_heap_blk *b =
            (const struct capos_heap_blk *)(h->base + off);
        size_t s = bsize(b);
        bool is_free = !(b->h.size & USED);
        if (s < MIN_BLOCK || s % CAPOS_HEAP_ALIGN || s > h->size - off ||
            b->h.prev_size != prev || (is_free && prev_free))
            return false;
        nfree_walk += is_free;
        prev_free = is_free;
        prev = s;
        off += s;
    }
    return off == h->size && nfree_walk == nfree_list;
}
