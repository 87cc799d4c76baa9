/* SPDX-License-Identifier: MIT */
/*
 * vma.h - page ranges of the POSIX layer's mmap arena.
 *
 * Theory of operation: anonymous mmap memory comes from one VirtualMemory
 * reservation (one kernel record however many mappings a program makes);
 * this allocator hands out page ranges of it.  It keeps the free ranges as
 * a sorted array of extents, allocates first fit (lowest address, so freed
 * memory is reused) and merges neighbours on free.  Pure code (no
 * capability calls), tested on the host; the caller commits and
 * decommits the pages.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define POSIX_VMA_EXTENTS 256       /* free extents tracked at most */

struct posix_vma_extent {
    uint64_t start, pages;
};

struct posix_vma {
    uint64_t base, pages;           /* the whole arena */
    uint32_t count;                 /* free extents, sorted by start */
    uint64_t lost_pages;            /* freed while the extent table was full */
    struct posix_vma_extent ext[POSIX_VMA_EXTENTS];
};

/* An arena of `pages` pages at page-aligned base, all free. */
void posix_vma_init(struct posix_vma *v, uint64_t base, uint64_t pages);
/* First fit of `pages` (> 0): true and *addr, or false if no free range
 * is large enough. */
bool posix_vma_alloc(struct posix_vma *v, uint64_t pages, uint64_t *addr);
/* Free [addr, addr + pages*4096) back to the arena.  The range must lie in
 * the arena and be allocated (checked: false changes nothing).  When a
 * free would need more than POSIX_VMA_EXTENTS extents, the range is
 * counted in lost_pages instead (still true: the caller decommits it). */
bool posix_vma_free(struct posix_vma *v, uint64_t addr, uint64_t pages);
/* True if [addr, addr + pages*4096) is inside the arena and wholly
 * allocated. */
bool posix_vma_is_allocated(const struct posix_vma *v, uint64_t addr,
                            uint64_t pages);
