/*
 * layout.h - the virtual address-space split of capOS on x86_64.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_7fff_ffff_ffff  user half (per process)
 *       0x0000_0000_0040_0000  RING_VADDR (abi/ring.h), CapSet page above it
 *   0xffff_8000_0000_0000 .. +512 GiB               direct map of physical RAM
 *   0xffff_fe80_0000_0000 .. +80 MiB                kernel stacks, each above
 *                                                   an unmapped guard page
 *   0xffff_ff00_0000_0000 .. +1 GiB                 MMIO window (LAPIC, ...)
 *   0xffff_ffff_8000_0000 .. +1 GiB                 kernel image (phys + KVMA)
 *
 * The upper half's PML4 entries (256..511) are created once at boot and
 * shared by every address space, so kernel mappings never need syncing.
 * See docs/boot.md.
 */
#pragma once

#define KERNEL_VMA      0xffffffff80000000
#define KERNEL_PHYS     0x100000
#define DIRECT_MAP_BASE 0xffff800000000000
#define DIRECT_MAP_MAX  (512ull << 30)
#define KSTACK_BASE     0xfffffe8000000000
#define MMIO_BASE       0xffffff0000000000
#define USER_TOP        0x0000800000000000
#define PAGE_SIZE       4096
#define PAGE_SHIFT      12

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Kernel virtual address of physical address `pa` (direct map). */
static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

/* Physical address of a direct-map or kernel-image virtual address. */
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)(uintptr_t)va;
    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}
#endif
