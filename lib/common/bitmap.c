/*
 * bitmap.c - range operations and searches over uint64_t bitmaps.
 *
 * Theory of operation: every range operation is split into a masked first
 * word, whole middle words and a masked last word (bitmap_for_range), so a
 * range costs O(words) no matter where it starts.  Searches invert or mask
 * one word at a time and use count-trailing-zeros to find the bit.  The run
 * search tries aligned candidate starts and, when a candidate contains a set
 * bit, jumps to the next aligned start after that bit, so each set bit is
 * looked at O(1) times per call.
 */
#include <common/bitmap.h>

/* Index of the lowest set bit of w (w != 0). */
static inline unsigned bitmap_ctz(uint64_t w)
{
    return (unsigned)__builtin_ctzll(w);
}

unsigned bitmap_popcount64(uint64_t w)
{
    w = w - ((w >> 1) & UINT64_C(0x5555555555555555));
    w = (w & UINT64_C(0x3333333333333333)) +
        ((w >> 2) & UINT64_C(0x3333333333333333));
    w = (w + (w >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((w * UINT64_C(0x0101010101010101)) >> 56);
}

uint64_t bitmap_word_mask(unsigned lo, unsigned hi)
{
    uint64_t upto_hi = hi >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << hi) - 1;

    return upto_hi & ~((UINT64_C(1) << lo) - 1);
}

enum bitmap_op { BITMAP_OP_SET, BITMAP_OP_CLEAR };

/* Apply op to bits [start, start + n), one masked word at a time. */
static void bitmap_apply(uint64_t *bm, size_t start, size_t n,
                         enum bitmap_op op)
{
    size_t end = start + n;

    while (start < end) {
        size_t w = start / 64;
        unsigned lo = start % 64;
        unsigned hi = end - w * 64 >= 64 ? 64 : (unsigned)(end - w * 64);
        uint64_t m = bitmap_word_mask(lo, hi);
        if (op == BITMAP_OP_SET)
            bm[w] |= m;
        else
            bm[w] &= ~m;
        start = w * 64 + hi;
    }
}

void bitmap_set_range(uint64_t *bm, size_t start, size_t n)
{
    bitmap_apply(bm, start, n, BITMAP_OP_SET);
}

void bitmap_clear_range(uint64_t *bm, size_t start, size_t n)
{
    bitmap_apply(bm, start, n, BITMAP_OP_CLEAR);
}

size_t bitmap_count_range(const uint64_t *bm, size_t start, size_t n)
{
    size_t end = start + n, count = 0;

    while (start < end) {
        size_t w = start / 64;
        unsigned lo = start % 64;
        unsigned hi = end - w * 64 >= 64 ? 64 : (unsigned)(end - w * 64);
        count += bitmap_popcount64(bm[w] & bitmap_word_mask(lo, hi));
        start = w * 64 + hi;
    }
    return count;
}

size_t bitmap_count_set(const uint64_t *bm, size_t nbits)
{
    return bitmap_count_range(bm, 0, nbits);
}

/* First bit in [from, end) whose value, XORed with `invert`, is 1. */
static size_t bitmap_scan(const uint64_t *bm, size_t from, size_t end,
                          uint64_t invert)
{
    while (from < end) {
        size_t w = from / 64;
        unsigned lo = from % 64;
        unsigned hi = end - w * 64 >= 64 ? 64 : (unsigned)(end - w * 64);
        uint64_t bits = (bm[w] ^ invert) & bitmap_word_mask(lo, hi);
        if (bits)
            return w * 64 + bitmap_ctz(bits);
        from = w * 64 + hi;
    }
    return end;
}

size_t bitmap_next_zero(const uint64_t *bm, size_t from, size_t end)
{
    return bitmap_scan(bm, from, end, ~UINT64_C(0));
}

size_t bitmap_next_set(const uint64_t *bm, size_t from, size_t end)
{
    return bitmap_scan(bm, from, end, 0);
}

size_t bitmap_find_first_zero(const uint64_t *bm, size_t nbits, size_t hint)
{
    size_t bit;

    if (hint >= nbits)
        hint = 0;
    bit = bitmap_next_zero(bm, hint, nbits);
    if (bit < nbits || hint == 0)
        return bit;
    bit = bitmap_next_zero(bm, 0, hint);
    return bit < hint ? bit : nbits;
}

/* x rounded up to a multiple of align (a power of two), or SIZE_MAX. */
static size_t bitmap_align_up(size_t x, size_t align)
{
    size_t r = (x + align - 1) & ~(align - 1);

    return r < x ? SIZE_MAX : r;
}

size_t bitmap_find_zero_run(const uint64_t *bm, size_t nbits, size_t n,
                            size_t align)
{
    size_t s = 0;

    if (n == 0 || align == 0 || (align & (align - 1)))
        return nbits;
    while (s < nbits && nbits - s >= n) {
        size_t z = bitmap_next_zero(bm, s, nbits);
        if (z >= nbits)
            break;
        s = bitmap_align_up(z, align);
        if (s >= nbits || nbits - s < n)
            break;
        size_t one = bitmap_next_set(bm, s, s + n);
        if (one == s + n)
            return s;
        s = bitmap_align_up(one + 1, align);
    }
    return nbits;
}
