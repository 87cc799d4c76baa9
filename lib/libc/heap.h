/* SPDX-License-Identifier: MIT */
/*
 * heap.h - the allocator core behind malloc/free/calloc/realloc
 * (portable: host-tested in tests/host/user/).
 *
 * Theory of operation: a first-fit allocator over one caller-provided
 * arena.  Every block starts with a 16-byte header {size, prev_size}: size
 * is the whole block (a multiple of 16, bit 0 = in use), prev_size the
 * size of the physically preceding block (0 for the first), so both
 * neighbours are found in O(1).  Free blocks keep next/prev links of a
 * doubly linked free list in their payload.  Allocation takes the first
 * free block that fits and splits off the tail if it can hold a minimum
 * block; free coalesces with free neighbours at once, so no two free
 * blocks are ever adjacent.  Payloads are 16-byte aligned.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPOS_HEAP_ALIGN 16u

struct capos_heap_blk;

struct capos_heap {
    uint8_t *base;                   /* 16-aligned start of the arena */
    size_t size;                     /* arena bytes (multiple of 16) */
    struct capos_heap_blk *free_head;
};

/* Take over arena[size] (aligned down/up to 16 bytes inside it). */
void capos_heap_init(struct capos_heap *h, void *arena, size_t size);
/* n bytes, 16-aligned; NULL if n == 0 or nothing fits. */
void *capos_heap_alloc(struct capos_heap *h, size_t n);
/* Give p (from this heap, or NULL) back. */
void capos_heap_free(struct capos_heap *h, void *p);
/* Resize p to n bytes, in place when possible (C realloc semantics:
 * NULL p = alloc, n == 0 = free and return NULL; on failure p is kept). */
void *capos_heap_realloc(struct capos_heap *h, void *p, size_t n);
/* Usable bytes of allocation p. */
size_t capos_heap_usable(const void *p);
/* Total free payload bytes (for tests and statistics). */
size_t capos_heap_free_bytes(const struct capos_heap *h);
/* Walk the arena and free list; false if any invariant is broken. */
bool capos_heap_check(const struct capos_heap *h);
