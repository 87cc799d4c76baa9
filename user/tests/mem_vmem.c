/*
 * mem_vmem.c - MEM0004: VirtualMemory.  Anonymous maps are zeroed,
 * charged and freed on unmap (stats back at the baseline); partial
 * unmaps split a region; protect changes access; reserve/commit/decommit
 * back and release pages of a reservation (recommitted pages are zero);
 * the image, stack, ring and CapSet page can neither be unmapped nor
 * re-protected.  Write-after-protect faults are MEM0011.
 */
#include "memt.h"

#define RING_PAGE 0x00007fff00000000ull
#define CAPSET_PAGE (RING_PAGE + PG)
#define KEEPER (MMAP_BASE + 0x10000000ull)

static void anon(uint32_t vm, uint32_t fa, uint64_t base)
{
    uint64_t a = 0, b = 0;
    CHECK_EQ(vm_map(vm, 0, 8 * PG, RW, &a), ERR_OK);
    CHECK_EQ(a, MMAP_BASE);
    CHECK_EQ(fa_free(fa), base - 8);
    volatile uint64_t *p = (volatile uint64_t *)a;
    for (unsigned i = 0; i < 8; i++) {
        CHECK_EQ(p[i * PG / 8], 0);
        p[i * PG / 8] = 100 + i;
    }
    /* Punch a hole in the middle: two regions remain. */
    CHECK_EQ(vm_unmap(vm, a + 3 * PG, 2 * PG), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 6);
    CHECK_EQ(vm_unmap(vm, a + 3 * PG, PG), ERR_NOTFOUND);
    CHECK_EQ(p[2 * PG / 8], 102);
    CHECK_EQ(p[5 * PG / 8], 105);
    /* The hole is reused by a first-fit map of the same size. */
    CHECK_EQ(vm_map(vm, 0, 2 * PG, R, &b), ERR_OK);
    CHECK_EQ(b, a + 3 * PG);
    CHECK_EQ(p[3 * PG / 8], 0);
    /* protect across three regions, then back. */
    CHECK_EQ(vm_protect(vm, a, 8 * PG, R), ERR_OK);
    CHECK_EQ(p[7 * PG / 8], 107);
    CHECK_EQ(vm_protect(vm, a, 8 * PG, RW), ERR_OK);
    p[3 * PG / 8] = 7;
    CHECK_EQ(p[3 * PG / 8], 7);
    /* Trim the head and the tail, then unmap across the rest. */
    CHECK_EQ(vm_unmap(vm, a, PG), ERR_OK);
    CHECK_EQ(vm_unmap(vm, a + 7 * PG, PG), ERR_OK);
    CHECK_EQ(vm_unmap(vm, a + PG, 6 * PG), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
}

static void reservation(uint32_t vm, uint32_t fa, uint64_t base)
{
    uint64_t r = 0;
    CHECK_EQ(vm_reserve(vm, 0, 64 * PG, &r), ERR_OK);
    CHECK_EQ(fa_free(fa), base);                /* no frames */
    CHECK_EQ(vm_commit(vm, r + 4 * PG, 2 * PG, RW), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 2);
    volatile uint64_t *p = (volatile uint64_t *)(r + 4 * PG);
    p[0] = 1;
    p[PG / 8] = 2;
    /* Committing over committed pages keeps them and charges the rest. */
    CHECK_EQ(vm_commit(vm, r + 4 * PG, 4 * PG, RW), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 4);
    CHECK_EQ(p[0], 1);
    CHECK_EQ(p[PG / 8], 2);
    CHECK_EQ(vm_decommit(vm, r, 64 * PG), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
    CHECK_EQ(vm_commit(vm, r + 4 * PG, PG, R), ERR_OK);
    CHECK_EQ(p[0], 0);                          /* fresh zeroed page */
    CHECK_EQ(vm_protect(vm, r + 4 * PG, PG, RW), ERR_OK);
    p[1] = 9;
    /* Unmapping part of a reservation frees its pages; the rest stays. */
    CHECK_EQ(vm_unmap(vm, r, 8 * PG), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
    CHECK_EQ(vm_commit(vm, r + 4 * PG, PG, RW), ERR_NOTFOUND);
    CHECK_EQ(vm_commit(vm, r + 8 * PG, PG, RW), ERR_OK);
    CHECK_EQ(vm_unmap(vm, r + 8 * PG, 56 * PG), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
}

/* Pages no memory cap created cannot be unmapped or re-protected. */
static void fixed_pages(uint32_t vm)
{
    uint64_t img = (uint64_t)(uintptr_t)&fixed_pages & ~(PG - 1);
    uint64_t stack = (uint64_t)(uintptr_t)&img & ~(PG - 1);
    static int data = 5;
    uint64_t dpage = (uint64_t)(uintptr_t)&data & ~(PG - 1);
    CHECK_EQ(vm_unmap(vm, img, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_protect(vm, img, PG, RW), ERR_NOTFOUND);
    CHECK_EQ(vm_protect(vm, dpage, PG, R | X), ERR_NOTFOUND);
    CHECK_EQ(vm_decommit(vm, dpage, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_unmap(vm, stack, PG), ERR_RANGE);
    CHECK_EQ(vm_protect(vm, stack, PG, R), ERR_RANGE);
    CHECK_EQ(vm_unmap(vm, RING_PAGE, PG), ERR_RANGE);
    CHECK_EQ(vm_protect(vm, RING_PAGE, PG, R), ERR_RANGE);
    CHECK_EQ(vm_unmap(vm, CAPSET_PAGE, PG), ERR_RANGE);
    CHECK_EQ(vm_protect(vm, CAPSET_PAGE, PG, RW), ERR_RANGE);
    data++;                                     /* all still usable */
    CHECK_EQ(data, 6);
    CHECK_EQ(capos_capset_count(), 3);
}

int main(void)
{
    uint32_t vm = t_cap("vm"), fa = t_cap("frames");
    uint64_t a = 0;
    /* Warm-up: build the mmap area's page tables once. */
    CHECK_EQ(vm_map(vm, 0, PG, RW, &a), ERR_OK);
    CHECK_EQ(vm_unmap(vm, a, PG), ERR_OK);
    /* Kernel heap slabs count as used frames: keep one region record
     * alive (far from the first-fit addresses) so counts are exact. */
    CHECK_EQ(vm_reserve(vm, KEEPER, PG, &a), ERR_OK);
    uint64_t base = fa_free(fa);
    anon(vm, fa, base);
    reservation(vm, fa, base);
    fixed_pages(vm);
    /* Left mapped on purpose: exit frees it (leak check). */
    CHECK_EQ(vm_map(vm, 0, 4 * PG, RW, &a), ERR_OK);
    *(volatile uint64_t *)a = 1;
    return t_result();
}
