/*
 * pmm.h - the kernel's physical memory manager: the frame allocator core
 * (kernel/frame.h) behind one irq-safe lock, built from the boot memory map.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>

struct boot_info;

/* Build the allocator from bi's memory map; reserves low memory (< 1 MiB),
 * the kernel image, boot modules, the loader's info and the bitmap. */
void pmm_init(const struct boot_info *bi);

/* Allocate one frame (contents undefined); ERR_NOMEM when none is free. */
err_t pmm_alloc(uint64_t *pa) __attribute__((warn_unused_result));
/* Allocate one zeroed frame. */
err_t pmm_alloc_zeroed(uint64_t *pa) __attribute__((warn_unused_result));
/* Allocate n contiguous frames aligned to `align` frames. */
err_t pmm_alloc_contig(uint64_t n, uint64_t align, uint64_t *pa)
    __attribute__((warn_unused_result));
/* Free a frame; a bad or double free is a kernel bug and panics. */
void pmm_free(uint64_t pa);
void pmm_free_contig(uint64_t pa, uint64_t n);
/* True if any frame of [pa, pa + len) is RAM or reserved memory the
 * allocator knows (so it must never be handed out as device memory). */
bool pmm_range_known(uint64_t pa, uint64_t len);

/* Exact counters, for the banner and leak checks. */
uint64_t pmm_free_frames(void);
uint64_t pmm_total_frames(void);
/* Kernel-virtual address through which early boot code reaches `pa`
 * (valid before paging_init only for pa < 1 GiB). */
void *pmm_early_virt(uint64_t pa);
