/*
 * string.c - memcpy, memset and friends for kernel and user space.
 *
 * Theory of operation: plain portable C.  The bulk routines move 64-bit
 * words when both pointers share the same alignment modulo 8 (byte head,
 * unrolled word body, byte tail) and fall back to bytes otherwise; words are
 * only ever read or written wholly inside the caller's ranges, so the code is
 * clean under ASan.  Word accesses go through a may_alias type so the
 * compiler's strict-aliasing rules are respected.
 *
 * These functions ARE memcpy/memset for the kernel, so the compiler must not
 * turn their loops back into calls to themselves: -fno-builtin covers clang,
 * and STR_NO_LIBCALL (gcc's no-tree-loop-distribute-patterns, as glibc's
 * inhibit_loop_to_libcall) covers gcc.  Host builds rename everything to
 * common_<name>; see <common/string.h>.
 */
#include <common/string.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__)
#define STR_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define STR_NO_LIBCALL
#endif

typedef uint64_t __attribute__((may_alias)) str_word_t;

#define STR_WSIZE sizeof(str_word_t)
#define STR_WMASK (STR_WSIZE - 1)

/* True if a and b have the same offset inside a word. */
static inline int str_co_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a ^ (uintptr_t)b) & STR_WMASK) == 0;
}

/* Forward copy of n bytes; shared by memcpy and the non-overlapping memmove. */
STR_NO_LIBCALL static void str_copy_fwd(unsigned char *d, const unsigned char *s,
                                        size_t n)
{
    if (n >= STR_WSIZE && str_co_aligned(d, s)) {
        while ((uintptr_t)d & STR_WMASK) {
            *d++ = *s++;
            n--;
        }
        str_word_t *dw = (str_word_t *)d;
        const str_word_t *sw = (const str_word_t *)s;
        for (; n >= 4 * STR_WSIZE; n -= 4 * STR_WSIZE, dw += 4, sw += 4) {
            dw[0] = sw[0];
            dw[1] = sw[1];
            dw[2] = sw[2];
            dw[3] = sw[3];
        }
        for (; n >= STR_WSIZE; n -= STR_WSIZE)
            *dw++ = *sw++;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    }
    while (n--)
        *d++ = *s++;
}

/* Backward copy of n bytes (d > s, overlapping): ends first. */
STR_NO_LIBCALL static void str_copy_bwd(unsigned char *d, const unsigned char *s,
                                        size_t n)
{
    d += n;
    s += n;
    if (n >= 2 * STR_WSIZE && str_co_aligned(d, s)) {
        while ((uintptr_t)d & STR_WMASK) {
            *--d = *--s;
            n--;
        }
        str_word_t *dw = (str_word_t *)d;
        const str_word_t *sw = (const str_word_t *)s;
        for (; n >= STR_WSIZE; n -= STR_WSIZE)
            *--dw = *--sw;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    }
    while (n--)
        *--d = *--s;
}

void *COMMON_STR(memcpy)(void *dst, const void *src, size_t n)
{
    str_copy_fwd(dst, src, n);
    return dst;
}

void *COMMON_STR(memmove)(void *dst, const void *src, size_t n)
{
    uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d - s >= n)
        str_copy_fwd(dst, src, n);
    else
        str_copy_bwd(dst, src, n);
    return dst;
}

STR_NO_LIBCALL void *COMMON_STR(memset)(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char b = (unsigned char)c;

    if (n >= 2 * STR_WSIZE) {
        uint64_t pat = b * UINT64_C(0x0101010101010101);
        while ((uintptr_t)d & STR_WMASK) {
            *d++ = b;
            n--;
        }
        str_word_t *dw = (str_word_t *)d;
        for (; n >= 4 * STR_WSIZE; n -= 4 * STR_WSIZE, dw += 4) {
            dw[0] = pat;
            dw[1] = pat;
            dw[2] = pat;
            dw[3] = pat;
        }
        for (; n >= STR_WSIZE; n -= STR_WSIZE)
            *dw++ = pat;
        d = (unsigned char *)dw;
    }
    while (n--)
        *d++ = b;
    return dst;
}

STR_NO_LIBCALL int COMMON_STR(memcmp)(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    if (n >= STR_WSIZE && str_co_aligned(p, q)) {
        while ((uintptr_t)p & STR_WMASK && n && *p == *q) {
            p++;
            q++;
            n--;
        }
        /* Skip equal words; the byte loop below finds the difference. */
        while (!((uintptr_t)p & STR_WMASK) && n >= STR_WSIZE &&
               *(const str_word_t *)p == *(const str_word_t *)q) {
            p += STR_WSIZE;
            q += STR_WSIZE;
            n -= STR_WSIZE;
        }
    }
    for (; n; n--, p++, q++) {
        if (*p != *q)
            return *p < *q ? -1 : 1;
    }
    return 0;
}

size_t COMMON_STR(strlen)(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t COMMON_STR(strnlen)(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int COMMON_STR(strcmp)(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    while (*p && *p == *q) {
        p++;
        q++;
    }
    return (*p > *q) - (*p < *q);
}

int COMMON_STR(strncmp)(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for (; n; n--, p++, q++) {
        if (*p != *q)
            return *p < *q ? -1 : 1;
        if (!*p)
            break;
    }
    return 0;
}

char *COMMON_STR(strchr)(const char *s, int c)
{
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t COMMON_STR(strlcpy)(char *dst, const char *src, size_t size)
{
    size_t len = COMMON_STR(strlen)(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        COMMON_STR(memcpy)(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
