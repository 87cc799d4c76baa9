/*
 * bitmap.h - bit arrays over uint64_t words.
 *
 * Bit i lives in word i / 64 at position i % 64.  Callers own the storage
 * (BITMAP_WORDS(nbits) words) and the size; nothing here allocates.  Search
 * functions return `nbits` (or the given end) when nothing is found, and
 * treat bits at or beyond nbits as set, so the tail of the last word never
 * matters.  Callers must keep bit indices below nbits.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BITMAP_WORD_BITS 64
#define BITMAP_WORDS(nbits) (((nbits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)

/* Set bit `bit`. */
static inline void bitmap_set(uint64_t *bm, size_t bit)
{
    bm[bit / 64] |= UINT64_C(1) << (bit % 64);
}

/* Clear bit `bit`. */
static inline void bitmap_clear(uint64_t *bm, size_t bit)
{
    bm[bit / 64] &= ~(UINT64_C(1) << (bit % 64));
}

/* Return bit `bit`. */
static inline bool bitmap_test(const uint64_t *bm, size_t bit)
{
    return (bm[bit / 64] >> (bit % 64)) & 1;
}

/* Number of set bits in a word (portable: no popcnt instruction needed). */
unsigned bitmap_popcount64(uint64_t w);
/* Mask of the bits [lo, hi) of one word, 0 <= lo < hi <= 64. */
uint64_t bitmap_word_mask(unsigned lo, unsigned hi);

/* Set bits [start, start + n). */
void bitmap_set_range(uint64_t *bm, size_t start, size_t n);
/* Clear bits [start, start + n). */
void bitmap_clear_range(uint64_t *bm, size_t start, size_t n);
/* Number of set bits in [start, start + n). */
size_t bitmap_count_range(const uint64_t *bm, size_t start, size_t n);
/* Number of set bits in [0, nbits). */
size_t bitmap_count_set(const uint64_t *bm, size_t nbits);
/* First zero bit in [from, end), or end if there is none. */
size_t bitmap_next_zero(const uint64_t *bm, size_t from, size_t end);
/* First set bit in [from, end), or end if there is none. */
size_t bitmap_next_set(const uint64_t *bm, size_t from, size_t end);
/*
 * First zero bit at or after `hint`, wrapping around to search [0, hint)
 * too; returns nbits if every bit is set.  A hint >= nbits means 0.
 */
size_t bitmap_find_first_zero(const uint64_t *bm, size_t nbits, size_t hint);
/*
 * Lowest start s, a multiple of `align` (a power of two), such that bits
 * [s, s + n) are all zero and s + n <= nbits.  Returns nbits if there is no
 * such run or if n == 0 or align is not a power of two.
 */
size_t bitmap_find_zero_run(const uint64_t *bm, size_t nbits, size_t n,
                            size_t align);
