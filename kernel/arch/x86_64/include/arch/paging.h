/*
 * paging.h - x86_64 4-level page tables.
 *
 * pt_* functions edit any page-table tree given its root (physical
 * address); page-table frames come from the physical frame allocator and
 * are charged to nobody here (the process layer counts them).
 */
#pragma once

#include <stdint.h>
#include <abi/errors.h>

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_OWNED (1ull << 9)  /* software: frame belongs to this mapping */
#define PTE_FRESH (1ull << 10) /* software: mapped by an operation in progress */
#define PTE_NX   (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

struct boot_info;

/* Build the kernel page tables (sections with their permissions, direct
 * map of RAM), switch to them and drop the boot identity map. */
void paging_init(const struct boot_info *bi);

/* Physical address of the kernel's PML4. */
uint64_t paging_kernel_root(void);

/* Map one 4 KiB page va -> pa in the tree rooted at `root`.
 * ERR_EXISTS if va is mapped, ERR_NOMEM if a table frame is missing. */
err_t pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);

/* pt_map, adding the number of page-table frames it allocated to *tables. */
err_t pt_map_counted(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
                     uint64_t *tables);

/* Tear down the user half of the tree at `root` (not the root itself):
 * frees every table and every PTE_OWNED frame (counted in *pages).
 * Returns the number of table frames freed. */
uint64_t pt_free_user(uint64_t root, uint64_t *pages);

/* Unmap the 4 KiB page at va; returns its old PTE (0 if none). */
uint64_t pt_unmap(uint64_t root, uint64_t va);

/* Clear the flag bits `clear`, then set `set`, in the present 4 KiB PTE
 * at va (P and the address are never changed) and flush it; returns the
 * old PTE, or 0 (nothing changed) if va is not mapped. */
uint64_t pt_update(uint64_t root, uint64_t va, uint64_t clear, uint64_t set);

/* The first page-aligned va in [va, end) mapped by a present 4 KiB PTE,
 * or `end`; absent tables are skipped whole, so huge sparse ranges are
 * cheap.  va must be page-aligned. */
uint64_t pt_next_mapped(uint64_t root, uint64_t va, uint64_t end);

/* The 4 KiB PTE that maps va, or 0. */
uint64_t pt_lookup(uint64_t root, uint64_t va);

/* Map `size` bytes of device memory at physical `pa` uncached into the
 * MMIO window; returns the virtual address. */
void *paging_map_mmio(uint64_t pa, uint64_t size);

/* Invalidate the TLB entry for va on this CPU. */
void tlb_flush_page(uint64_t va);
