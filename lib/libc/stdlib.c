/* SPDX-License-Identifier: MIT */
/*
 * stdlib.c - malloc/free/calloc/realloc over a static 1 MiB arena (heap.c
 * is the allocator), exit, abort and a few integer helpers (target only).
 *
 * The arena is in .bss, so it costs no file size and is zeroed by the
 * loader; it is taken over on the first allocation.  When VirtualMemory
 * caps are in place the heap can grow by mapping more arenas.
 */
#include <assert.h>
#include <capos/rt.h>
#include <capos/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

static uint8_t malloc_arena[CAPOS_MALLOC_ARENA_SIZE]
    __attribute__((aligned(CAPOS_HEAP_ALIGN)));
static struct capos_heap malloc_heap;
static int malloc_ready;

/* The process heap, set up on first use. */
static struct capos_heap *heap(void)
{
    if (!malloc_ready) {
        capos_heap_init(&malloc_heap, malloc_arena, sizeof(malloc_arena));
        malloc_ready = 1;
    }
    return &malloc_heap;
}

/* n bytes, 16-aligned, or NULL. */
void *malloc(size_t n)
{
    return capos_heap_alloc(heap(), n);
}

/* Free p (NULL is fine). */
void free(void *p)
{
    capos_heap_free(heap(), p);
}

/* Zeroed nmemb*size bytes; NULL on overflow or exhaustion. */
void *calloc(size_t nmemb, size_t size)
{
    void *p;

    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    if ((p = malloc(nmemb * size)))
        memset(p, 0, nmemb * size);
    return p;
}

/* Resize p (C semantics). */
void *realloc(void *p, size_t n)
{
    return capos_heap_realloc(heap(), p, n);
}

/* Run exit hooks (flush stdout) and exit. */
_Noreturn void exit(int code)
{
    capos_rt_exit(code);
}

/* Report and exit with 134 (no exit hooks beyond the stdout flush). */
_Noreturn void abort(void)
{
    fflush(stdout);
    fputs("abort\n", stderr);
    capos_exit(134);
}

/* Failed assert(): report and exit with 134. */
_Noreturn void __capos_assert_fail(const char *expr, const char *file,
                                   int line, const char *func)
{
    fflush(stdout);
    fprintf(stderr, "assertion failed: %s (%s:%d, %s)\n", expr, file, line,
            func);
    capos_exit(134);
}

/* |x|. */
int abs(int x)
{
    return x < 0 ? -x : x;
}

/* |x|. */
long labs(long x)
{
    return x < 0 ? -x : x;
}

/* Decimal prefix of s (leading spaces and sign allowed), no overflow check. */
int atoi(const char *s)
{
    int neg = 0, v = 0;

    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}
