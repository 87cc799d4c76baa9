/*
 * frame.c - physical frame allocator core: bitmaps and exact counters.
 *
 * Theory of operation.  Bit f of each bitmap describes the 4 KiB frame at
 * physical address f * FRAME_SIZE.  Three bitmaps of `words` words each:
 *
 *   bitmap  1 = not allocatable.  The only one the allocation paths scan.
 *   ram     1 = the frame was added as usable RAM (counted in `total`).
 *   rsvd    1 = the frame is reserved (kernel image, modules, low memory,
 *               these bitmaps): never handed out, never freed.
 *
 * Frame states (enum frame_state) and their bits (bitmap, ram, rsvd):
 *   ABSENT (1,0,0)  FREE (0,1,0)  ALLOCATED (1,1,0)  RESERVED (1,x,1)
 * Invariants: total == popcount(ram); free == number of 0 bits in bitmap;
 * bitmap bits at or beyond nframes stay 1.  add_free only ever moves a frame
 * out of "not yet RAM" and reserve is sticky, so the boot code may call them
 * in any order and with overlapping ranges (memory maps overlap) and both
 * counters stay exact.  Range operations work a masked word at a time.
 *
 * Allocation: frame_alloc_one is next-fit from `hint`; frame_alloc_contig
 * takes the lowest suitably aligned run (good for DMA-limited devices).
 * Frees are checked decode-then-act: every check runs before any bit changes.
 *
 * SMP: this core is the global depot.  Per-CPU caches go in front of it in
 * pmm.c: refill with frame_alloc_batch, drain with frame_free; frames in a
 * cache count as allocated here, so a leak check drains the caches first.
 */
#include <common/bitmap.h>
#include <kernel/frame.h>

typedef void (*frame_word_fn)(struct frame_alloc *fa, size_t w, uint64_t mask);

/* Number of frames needed to cover [0, max_phys). */
static uint64_t frame_count(uint64_t max_phys)
{
    return (max_phys >> FRAME_SHIFT) + ((max_phys & (FRAME_SIZE - 1)) != 0);
}

size_t frame_alloc_bitmap_words(uint64_t max_phys)
{
    return 3 * (size_t)BITMAP_WORDS(frame_count(max_phys));
}

err_t frame_alloc_init(struct frame_alloc *fa, uint64_t *bitmap,
                       size_t bitmap_words, uint64_t max_phys)
{
    size_t words = BITMAP_WORDS(frame_count(max_phys));

    if (max_phys == 0 || !bitmap)
        return ERR_INVAL;
    if (bitmap_words < frame_alloc_bitmap_words(max_phys))
        return ERR_TOOSMALL;
    fa->bitmap = bitmap;
    fa->ram = bitmap + words;
    fa->rsvd = bitmap + 2 * words;
    fa->words = words;
    fa->nframes = frame_count(max_phys);
    fa->total = 0;
    fa->free = 0;
    fa->hint = 0;
    for (size_t w = 0; w < words; w++) {
        fa->bitmap[w] = ~UINT64_C(0);
        fa->ram[w] = 0;
        fa->rsvd[w] = 0;
    }
    return ERR_OK;
}

/* Call fn for each word overlapping frames [first, end), with its mask. */
static void frame_for_words(struct frame_alloc *fa, uint64_t first,
                            uint64_t end, frame_word_fn fn)
{
    if (end > fa->nframes)
        end = fa->nframes;
    while (first < end) {
        size_t w = (size_t)(first / 64);
        unsigned lo = first % 64;
        unsigned hi = end - (uint64_t)w * 64 >= 64 ? 64
                                                   : (unsigned)(end - w * 64);
        fn(fa, w, bitmap_word_mask(lo, hi));
        first = (uint64_t)w * 64 + hi;
    }
}

/* End address of [base, base + len), saturating instead of wrapping. */
static uint64_t frame_range_end(uint64_t base, uint64_t len)
{
    return base + len < base ? UINT64_MAX : base + len;
}

/* add_free on one word: only frames not yet RAM change. */
static void frame_add_word(struct frame_alloc *fa, size_t w, uint64_t mask)
{
    uint64_t newly = mask & ~fa->ram[w];
    uint64_t freed = newly & ~fa->rsvd[w];

    fa->ram[w] |= newly;
    fa->total += bitmap_popcount64(newly);
    fa->bitmap[w] &= ~freed;
    fa->free += bitmap_popcount64(freed);
}

void frame_alloc_add_free(struct frame_alloc *fa, uint64_t base, uint64_t len)
{
    uint64_t first = frame_count(base);
    uint64_t end = frame_range_end(base, len) >> FRAME_SHIFT;

    frame_for_words(fa, first, end, frame_add_word);
}

/* reserve on one word: free frames leave the pool; all become reserved. */
static void frame_reserve_word(struct frame_alloc *fa, size_t w, uint64_t mask)
{
    uint64_t taken = mask & ~fa->bitmap[w];

    fa->free -= bitmap_popcount64(taken);
    fa->bitmap[w] |= mask;
    fa->rsvd[w] |= mask;
}

void frame_alloc_reserve(struct frame_alloc *fa, uint64_t base, uint64_t len)
{
    uint64_t first = base >> FRAME_SHIFT;
    uint64_t end = frame_count(frame_range_end(base, len));

    if (len == 0)
        return;
    frame_for_words(fa, first, end, frame_reserve_word);
}

err_t frame_alloc_one(struct frame_alloc *fa, uint64_t *pa_out)
{
    size_t f;

    if (fa->free == 0)
        return ERR_NOMEM;
    f = bitmap_find_first_zero(fa->bitmap, fa->nframes, fa->hint);
    if (f >= fa->nframes)
        return ERR_NOMEM; /* unreachable while the counters are exact */
    bitmap_set(fa->bitmap, f);
    fa->free--;
    fa->hint = f + 1;
    *pa_out = (uint64_t)f << FRAME_SHIFT;
    return ERR_OK;
}

err_t frame_alloc_contig(struct frame_alloc *fa, uint64_t n,
                         uint64_t align_frames, uint64_t *pa_out)
{
    size_t f;

    if (n == 0 || align_frames == 0 || (align_frames & (align_frames - 1)))
        return ERR_INVAL;
    if (n > fa->free)
        return ERR_NOMEM;
    f = bitmap_find_zero_run(fa->bitmap, fa->nframes, n, align_frames);
    if (f >= fa->nframes)
        return ERR_NOMEM;
    bitmap_set_range(fa->bitmap, f, n);
    fa->free -= n;
    *pa_out = (uint64_t)f << FRAME_SHIFT;
    return ERR_OK;
}

size_t frame_alloc_batch(struct frame_alloc *fa, uint64_t *pas, size_t n)
{
    size_t got = 0;

    while (got < n && frame_alloc_one(fa, &pas[got]) == ERR_OK)
        got++;
    return got;
}

/* Check that frames [f, f + n) may be freed; changes nothing. */
static err_t frame_check_free(const struct frame_alloc *fa, uint64_t pa,
                              uint64_t n)
{
    uint64_t f = pa >> FRAME_SHIFT;

    if (n == 0 || (pa & (FRAME_SIZE - 1)) || f >= fa->nframes ||
        n > fa->nframes - f)
        return ERR_INVAL;
    if (bitmap_count_range(fa->ram, f, n) != n)
        return ERR_INVAL;
    if (bitmap_count_range(fa->rsvd, f, n) != 0)
        return ERR_PERM;
    if (bitmap_count_range(fa->bitmap, f, n) != n)
        return ERR_EXISTS;
    return ERR_OK;
}

err_t frame_free(struct frame_alloc *fa, uint64_t pa)
{
    return frame_free_contig(fa, pa, 1);
}

err_t frame_free_contig(struct frame_alloc *fa, uint64_t pa, uint64_t n)
{
    err_t err = frame_check_free(fa, pa, n);

    if (err != ERR_OK)
        return err;
    bitmap_clear_range(fa->bitmap, pa >> FRAME_SHIFT, n);
    fa->free += n;
    return ERR_OK;
}

enum frame_state frame_state(const struct frame_alloc *fa, uint64_t pa)
{
    uint64_t f = pa >> FRAME_SHIFT;

    if (f >= fa->nframes)
        return FRAME_ABSENT;
    if (bitmap_test(fa->rsvd, f))
        return FRAME_RESERVED;
    if (!bitmap_test(fa->ram, f))
        return FRAME_ABSENT;
    return bitmap_test(fa->bitmap, f) ? FRAME_ALLOCATED : FRAME_FREE;
}
