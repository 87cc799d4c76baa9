/* SPDX-License-Identifier: MIT */
/*
 * vma.c - first-fit page-range allocator over the mmap arena (see vma.h).
 */
#include <string.h>

#include "vma.h"

#define VMA_PAGE 4096u

/* Set up an all-free arena. */
void posix_vma_init(struct posix_vma *v, uint64_t base, uint64_t pages)
{
    memset(v, 0, sizeof *v);
    v->base = base;
    v->pages = pages;
    if (pages) {
        v->ext[0].start = base;
        v->ext[0].pages = pages;
        v->count = 1;
    }
}

/* Remove extent i. */
static void vma_remove(struct posix_vma *v, uint32_t i)
{
    memmove(&v->ext[i], &v->ext[i + 1],
            (v->count - i - 1) * sizeof v->ext[0]);
    v->count--;
}

/* First fit. */
bool posix_vma_alloc(struct posix_vma *v, uint64_t pages, uint64_t *addr)
{
    if (pages == 0)
        return false;
    for (uint32_t i = 0; i < v->count; i++) {
        struct posix_vma_extent *e = &v->ext[i];
        if (e->pages < pages)
            continue;
        *addr = e->start;
        e->start += pages * VMA_PAGE;
        e->pages -= pages;
        if (e->pages == 0)
            vma_remove(v, i);
        return true;
    }
    return false;
}

/* End address of [start, pages). */
static uint64_t vma_end(uint64_t start, uint64_t pages)
{
    return start + pages * VMA_PAGE;
}

/* True if the range lies in the arena without wrapping. */
static bool vma_in_arena(const struct posix_vma *v, uint64_t addr,
                         uint64_t pages)
{
    if (pages == 0 || addr % VMA_PAGE || addr < v->base)
        return false;
    uint64_t off = (addr - v->base) / VMA_PAGE;
    return off <= v->pages && pages <= v->pages - off;
}

/* Index of the first free extent ending after addr. */
static uint32_t vma_find(const struct posix_vma *v, uint64_t addr)
{
    uint32_t i = 0;
    while (i < v->count && vma_end(v->ext[i].start, v->ext[i].pages) <= addr)
        i++;
    return i;
}

/* Allocated = in the arena and overlapping no free extent. */
bool posix_vma_is_allocated(const struct posix_vma *v, uint64_t addr,
                            uint64_t pages)
{
    if (!vma_in_arena(v, addr, pages))
        return false;
    uint32_t i = vma_find(v, addr);
    return i == v->count || v->ext[i].start >= vma_end(addr, pages);
}

/* Free with merging (see vma.h). */
bool posix_vma_free(struct posix_vma *v, uint64_t addr, uint64_t pages)
{
    if (!posix_vma_is_allocated(v, addr, pages))
        return false;
    uint64_t end = vma_end(addr, pages);
    uint32_t i = vma_find(v, addr);     /* first extent after the range */
    bool prev = i > 0 && vma_end(v->ext[i - 1].start, v->ext[i - 1].pages) == addr;
    bool next = i < v->count && v->ext[i].start == end;
    if (prev && next) {
        v->ext[i - 1].pages += pages + v->ext[i].pages;
        vma_remove(v, i);
    } else if (prev) {
        v->ext[i - 1].pages += pages;
    } else if (next) {
        v->ext[i].start = addr;
        v->ext[i].pages += pages;
    } else if (v->count == POSIX_VMA_EXTENTS) {
        v->lost_pages += pages;
    } else {
        memmove(&v->ext[i + 1], &v->ext[i], (v->count - i) * sizeof v->ext[0]);
        v->ext[i].start = addr;
        v->ext[i].pages = pages;
        v->count++;
    }
    return true;
}
