/*
 * frame.h - physical frame allocator core (4 KiB frames), portable and
 * lock-free-of-locks: the caller serialises (kernel/mm/pmm.c holds a
 * spinlock around every call).  Design notes are in kernel/mm/frame.c.
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_SHIFT 12
#define FRAME_SIZE (UINT64_C(1) << FRAME_SHIFT)

/* What frame_state() reports about one frame. */
enum frame_state {
    FRAME_ABSENT,    /* never added as usable RAM (or beyond max_phys) */
    FRAME_FREE,      /* usable and free */
    FRAME_ALLOCATED, /* usable and handed out by an allocation */
    FRAME_RESERVED,  /* usable or not, reserved: never allocated or freed */
};

/*
 * Allocator state; all fields are owned by the caller's lock.  The three
 * bitmaps are carved out of the one caller-supplied array.
 */
struct frame_alloc {
    uint64_t *bitmap;   /* 1 = not allocatable (absent, reserved or in use) */
    uint64_t *ram;      /* 1 = added as usable RAM (counted in total) */
    uint64_t *rsvd;     /* 1 = reserved; sticky across later add_free */
    size_t words;       /* words per bitmap */
    uint64_t nframes;   /* frames covered: physical [0, nframes * FRAME_SIZE) */
    uint64_t total;     /* frames ever added as usable RAM */
    uint64_t free;      /* frames currently free */
    uint64_t hint;      /* next-fit start of frame_alloc_one's search */
};

/* uint64_t words of bitmap storage needed to cover [0, max_phys). */
size_t frame_alloc_bitmap_words(uint64_t max_phys);

/*
 * Set up fa over [0, max_phys) using bitmap[bitmap_words] (which fa then
 * owns).  Every frame starts ABSENT.  ERR_INVAL if max_phys is 0,
 * ERR_TOOSMALL if bitmap_words < frame_alloc_bitmap_words(max_phys).
 */
err_t frame_alloc_init(struct frame_alloc *fa, uint64_t *bitmap,
                       size_t bitmap_words, uint64_t max_phys)
    __attribute__((warn_unused_result));

/*
 * Declare [base, base + len) usable RAM, rounded inward to whole frames and
 * clipped to max_phys.  Frames already added are left alone (overlaps are
 * fine); reserved frames are counted in total but stay unavailable.
 */
void frame_alloc_add_free(struct frame_alloc *fa, uint64_t base, uint64_t len);

/*
 * Reserve [base, base + len), rounded outward, clipped to max_phys: such
 * frames are never allocated, even if added as RAM later.  Idempotent.
 */
void frame_alloc_reserve(struct frame_alloc *fa, uint64_t base, uint64_t len);

/* Allocate one frame into *pa_out.  ERR_NOMEM when none is free. */
err_t frame_alloc_one(struct frame_alloc *fa, uint64_t *pa_out)
    __attribute__((warn_unused_result));

/*
 * Allocate n physically contiguous frames whose first frame number is a
 * multiple of align_frames (a power of two); lowest address first.
 * ERR_INVAL for n == 0 or a bad alignment, ERR_NOMEM if no such run exists.
 */
err_t frame_alloc_contig(struct frame_alloc *fa, uint64_t n,
                         uint64_t align_frames, uint64_t *pa_out)
    __attribute__((warn_unused_result));

/*
 * Allocate up to n single frames into pas[] (refill path for per-CPU
 * caches).  Returns how many were allocated; fewer than n means empty.
 */
size_t frame_alloc_batch(struct frame_alloc *fa, uint64_t *pas, size_t n);

/*
 * Return frame pa.  Nothing changes on error: ERR_INVAL if pa is misaligned,
 * beyond max_phys or not RAM; ERR_PERM if reserved; ERR_EXISTS if already
 * free (double free).  Errors are kernel bugs: the caller panics.
 */
err_t frame_free(struct frame_alloc *fa, uint64_t pa)
    __attribute__((warn_unused_result));

/*
 * Return n frames starting at pa, all or nothing; errors as frame_free
 * (ERR_INVAL also for n == 0), checked over the whole range first.
 */
err_t frame_free_contig(struct frame_alloc *fa, uint64_t pa, uint64_t n)
    __attribute__((warn_unused_result));

/* State of the frame containing physical address pa. */
enum frame_state frame_state(const struct frame_alloc *fa, uint64_t pa);
