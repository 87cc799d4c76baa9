/*
 * mem_errors.c - MEM0002: every documented error of FrameAllocator,
 * MemoryObject and VirtualMemory, with its exact code (docs/memory.md).
 * Each failed call must change nothing, checked with
 * FrameAllocator.stats where frames are involved.
 */
#include "memt.h"

#define HUGE_OFF 0xfffffffffffff000ull
#define RING_PAGE 0x00007fff00000000ull
#define QUOTA_FRAMES 16384u          /* proc_default_quota.frames */

static void frame_allocator(uint32_t fa)
{
    uint32_t mo = 0;
    CHECK_EQ(fa_alloc(fa, 0 + 513, &mo), ERR_RANGE);
    /* allocContiguous(0): build it by hand (fa_alloc(0) is allocFrame). */
    struct mt_call mc;
    capos_frame_allocator_alloc_contiguous_params_set_count(
        capos_frame_allocator_alloc_contiguous_params_init_root(mt_begin(&mc)), 0);
    CHECK_EQ(mt_do(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS),
             ERR_INVAL);
    CHECK_EQ(mc.cqe.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(mc.cqe.cap_count, 0);
}

/* Fill the frame quota with 512-frame objects until the ledger refuses.
 * The quota also holds the process's image, page tables and kernel
 * records (under 1,024 frames here), so 30 or 31 fit; then no more;
 * everything comes back. */
static void quota(uint32_t fa)
{
    uint32_t ids[QUOTA_FRAMES / 512], n = 0, mo = 0;
    uint64_t base = fa_free(fa);
    while (n < QUOTA_FRAMES / 512 && fa_alloc(fa, 512, &ids[n]) == ERR_OK)
        n++;
    CHECK(n >= (QUOTA_FRAMES - 1024) / 512 && n < QUOTA_FRAMES / 512);
    CHECK_EQ(fa_alloc(fa, 512, &mo), ERR_QUOTA);
    /* The objects' kernel records may take one more slab page of the
     * kernel heap (not charged to the ledger); nothing else is used. */
    uint64_t used = base - fa_free(fa);
    CHECK(used >= n * 512ull && used <= n * 512ull + 1);
    while (n)
        CHECK_EQ(capos_release(ids[--n]), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
    CHECK_EQ(fa_alloc(fa, 0, &mo), ERR_OK);
    CHECK_EQ(capos_release(mo), ERR_OK);
}

static void mo_rw(uint32_t mo)
{
    uint8_t buf[1024];
    CHECK_EQ(mo_read(mo, PG, 1, buf), ERR_RANGE);
    CHECK_EQ(mo_read(mo, PG - 1, 2, buf), ERR_RANGE);
    CHECK_EQ(mo_read(mo, 0xffffffffffffffffull, 2, buf), ERR_OVERFLOW);
    CHECK_EQ(mo_read(mo, 0, 1024, buf), ERR_TOOSMALL);   /* result buffer */
    CHECK_EQ(mo_read(mo, 0, 0, buf), ERR_OK);
    CHECK_EQ(mo_write(mo, PG - 1, "ab", 2), ERR_RANGE);
    CHECK_EQ(mo_write(mo, 0xffffffffffffffffull, "ab", 2), ERR_OVERFLOW);
    CHECK_EQ(mo_write(mo, PG - 2, "ab", 2), ERR_OK);
}

static void mo_map_errors(uint32_t mo, uint32_t other)
{
    uint64_t a = 0, img = (uint64_t)(uintptr_t)&mo_map_errors & ~(PG - 1);
    CHECK_EQ(mo_map(mo, 0, 0, PG, 0, &a), ERR_INVAL);          /* no access */
    CHECK_EQ(mo_map(mo, 0, 0, PG, 8 | R, &a), ERR_INVAL);      /* unknown bit */
    CHECK_EQ(mo_map(mo, 0, 0, PG, W | X, &a), ERR_INVAL);      /* W^X */
    CHECK_EQ(mo_map(mo, 0, 0, PG, R | W | X, &a), ERR_INVAL);
    CHECK_EQ(mo_map(mo, 0, 0, PG, R | X, &a), ERR_PERM);      /* never exec */
    CHECK_EQ(mo_map(mo, 0, 1, PG, R, &a), ERR_INVAL);          /* offset */
    CHECK_EQ(mo_map(mo, 0, 0, 100, R, &a), ERR_INVAL);         /* size */
    CHECK_EQ(mo_map(mo, 0, 0, 0, R, &a), ERR_INVAL);           /* empty */
    CHECK_EQ(mo_map(mo, MMAP_BASE + 1, 0, PG, R, &a), ERR_INVAL);
    CHECK_EQ(mo_map(mo, 0, HUGE_OFF, 2 * PG, R, &a), ERR_OVERFLOW);
    CHECK_EQ(mo_map(mo, 0, PG, PG, R, &a), ERR_RANGE);         /* past end */
    CHECK_EQ(mo_map(mo, 0, 0, 2 * PG, R, &a), ERR_RANGE);
    CHECK_EQ(mo_map(mo, RING_PAGE, 0, PG, R, &a), ERR_RANGE);  /* ring */
    CHECK_EQ(mo_map(mo, 0x1000, 0, PG, R, &a), ERR_RANGE);     /* page 1 */
    CHECK_EQ(mo_map(mo, HUGE_OFF, 0, PG, R, &a), ERR_OVERFLOW);
    CHECK_EQ(mo_map(mo, 0x0000800000000000ull, 0, PG, R, &a), ERR_RANGE);
    CHECK_EQ(mo_map(mo, img, 0, PG, R, &a), ERR_EXISTS);       /* image */
    uint64_t fixed = MMAP_BASE + 0x100000;
    CHECK_EQ(mo_map(mo, fixed, 0, PG, RW, &a), ERR_OK);
    CHECK_EQ(a, fixed);
    CHECK_EQ(mo_map(mo, fixed, 0, PG, R, &a), ERR_EXISTS);
    CHECK_EQ(mo_map(other, fixed, 0, PG, R, &a), ERR_EXISTS);
    /* unmap: alignment, wrong address, wrong size, other object. */
    CHECK_EQ(mo_unmap(mo, fixed + 1, PG), ERR_INVAL);
    CHECK_EQ(mo_unmap(mo, fixed, 0), ERR_INVAL);
    CHECK_EQ(mo_unmap(mo, fixed + PG, PG), ERR_NOTFOUND);
    CHECK_EQ(mo_unmap(mo, fixed, 2 * PG), ERR_NOTFOUND);
    CHECK_EQ(mo_unmap(other, fixed, PG), ERR_NOTFOUND);
    CHECK_EQ(mo_unmap(mo, img, PG), ERR_NOTFOUND);
    CHECK_EQ(mo_unmap(mo, fixed, PG), ERR_OK);
}

static void mo_subrange_errors(uint32_t mo4)
{
    uint32_t c = 0, chain[8];
    CHECK_EQ(mo_subrange(mo4, 1, PG, &c), ERR_INVAL);
    CHECK_EQ(mo_subrange(mo4, 0, 10, &c), ERR_INVAL);
    CHECK_EQ(mo_subrange(mo4, 0, 0, &c), ERR_INVAL);
    CHECK_EQ(mo_subrange(mo4, PG, 4 * PG, &c), ERR_RANGE);
    CHECK_EQ(mo_subrange(mo4, HUGE_OFF, 2 * PG, &c), ERR_OVERFLOW);
    /* Nesting stops at depth 7. */
    chain[0] = mo4;
    for (unsigned i = 1; i < 8; i++)
        CHECK_EQ(mo_subrange(chain[i - 1], 0, PG, &chain[i]), ERR_OK);
    CHECK_EQ(mo_subrange(chain[7], 0, PG, &c), ERR_QUOTA);
    for (unsigned i = 1; i < 8; i++)
        CHECK_EQ(capos_release(chain[i]), ERR_OK);
}

/* VirtualMemory placement errors (map and reserve). */
static void vm_place_errors(uint32_t vm)
{
    uint64_t a = 0, img = (uint64_t)(uintptr_t)&vm_place_errors & ~(PG - 1);
    CHECK_EQ(vm_map(vm, 0, PG, 0, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, 0, PG, 16 | R, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, 0, PG, W | X, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, 0, 0, R, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, 0, 123, R, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, MMAP_BASE + 8, PG, R, &a), ERR_INVAL);
    CHECK_EQ(vm_map(vm, RING_PAGE, PG, RW, &a), ERR_RANGE);
    CHECK_EQ(vm_map(vm, HUGE_OFF, 2 * PG, RW, &a), ERR_OVERFLOW);
    CHECK_EQ(vm_map(vm, 0, 0x100000000000ull + PG, RW, &a), ERR_RANGE);
    CHECK_EQ(vm_map(vm, img, PG, RW, &a), ERR_EXISTS);
    CHECK_EQ(vm_map(vm, 0, (QUOTA_FRAMES + 1) * PG, RW, &a), ERR_QUOTA);
    CHECK_EQ(vm_reserve(vm, 0, 0, &a), ERR_INVAL);
    CHECK_EQ(vm_reserve(vm, 7, PG, &a), ERR_INVAL);
    CHECK_EQ(vm_reserve(vm, RING_PAGE, PG, &a), ERR_RANGE);
    CHECK_EQ(vm_reserve(vm, img, PG, &a), ERR_EXISTS);
    uint64_t r = 0, m = 0;
    CHECK_EQ(vm_reserve(vm, 0, 8 * PG, &r), ERR_OK);
    CHECK_EQ(vm_map(vm, r + PG, PG, RW, &a), ERR_EXISTS);
    CHECK_EQ(vm_reserve(vm, r + 7 * PG, 2 * PG, &a), ERR_EXISTS);
    CHECK_EQ(vm_map(vm, 0, PG, RW, &m), ERR_OK);
    CHECK_EQ(m, r + 8 * PG);                /* first fit, after r */
    CHECK_EQ(vm_reserve(vm, m, PG, &a), ERR_EXISTS);
    CHECK_EQ(vm_unmap(vm, r, 8 * PG), ERR_OK);
    CHECK_EQ(vm_unmap(vm, m, PG), ERR_OK);
}

/* VirtualMemory range errors (unmap, protect, commit, decommit). */
static void vm_range_errors(uint32_t vm, uint32_t mo)
{
    uint64_t img = (uint64_t)(uintptr_t)&vm_range_errors & ~(PG - 1);
    uint64_t stack = (uint64_t)(uintptr_t)&img & ~(PG - 1), a = 0, r = 0;
    CHECK_EQ(vm_unmap(vm, MMAP_BASE + 1, PG), ERR_INVAL);
    CHECK_EQ(vm_unmap(vm, MMAP_BASE, 0), ERR_INVAL);
    CHECK_EQ(vm_unmap(vm, HUGE_OFF, 2 * PG), ERR_OVERFLOW);
    CHECK_EQ(vm_unmap(vm, MMAP_BASE, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_unmap(vm, img, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_unmap(vm, stack, PG), ERR_RANGE);
    CHECK_EQ(vm_unmap(vm, RING_PAGE, PG), ERR_RANGE);
    CHECK_EQ(vm_protect(vm, img, PG, R | X), ERR_NOTFOUND);
    CHECK_EQ(vm_protect(vm, stack, PG, R), ERR_RANGE);
    CHECK_EQ(vm_protect(vm, RING_PAGE, PG, R), ERR_RANGE);
    CHECK_EQ(vm_map(vm, 0, 2 * PG, RW, &a), ERR_OK);
    CHECK_EQ(vm_protect(vm, a, 2 * PG, W | X), ERR_INVAL);
    CHECK_EQ(vm_protect(vm, a, 2 * PG, 9), ERR_INVAL);
    CHECK_EQ(vm_protect(vm, a, 3 * PG, R), ERR_NOTFOUND);   /* runs past */
    CHECK_EQ(vm_unmap(vm, a, 3 * PG), ERR_NOTFOUND);
    /* A MemoryObject mapping is not VirtualMemory's to unmap. */
    uint64_t ma = 0;
    CHECK_EQ(mo_map(mo, 0, 0, PG, R, &ma), ERR_OK);
    CHECK_EQ(vm_unmap(vm, ma, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_protect(vm, ma, PG, RW), ERR_OK);           /* but protectable */
    CHECK_EQ(vm_protect(vm, ma, PG, R | X), ERR_PERM);      /* never exec */
    CHECK_EQ(mo_unmap(mo, ma, PG), ERR_OK);
    /* commit / decommit need a reservation. */
    CHECK_EQ(vm_commit(vm, a, PG, RW), ERR_NOTFOUND);
    CHECK_EQ(vm_decommit(vm, a, PG), ERR_NOTFOUND);
    CHECK_EQ(vm_commit(vm, img, PG, R), ERR_NOTFOUND);
    CHECK_EQ(vm_commit(vm, RING_PAGE, PG, R), ERR_RANGE);
    CHECK_EQ(vm_reserve(vm, 0, (QUOTA_FRAMES + 16) * PG, &r), ERR_OK);
    CHECK_EQ(vm_commit(vm, r, PG, W | X), ERR_INVAL);
    CHECK_EQ(vm_commit(vm, r + 1, PG, RW), ERR_INVAL);
    CHECK_EQ(vm_commit(vm, r, (QUOTA_FRAMES + 1) * PG, RW), ERR_QUOTA);
    CHECK_EQ(vm_protect(vm, r, PG, R), ERR_NOTFOUND);       /* uncommitted */
    CHECK_EQ(vm_unmap(vm, r, (QUOTA_FRAMES + 16) * PG), ERR_OK);
    CHECK_EQ(vm_unmap(vm, a, 2 * PG), ERR_OK);
}

int main(void)
{
    uint32_t fa = t_cap("frames"), vm = t_cap("vm"), mo = 0, other = 0, mo4 = 0;
    uint64_t keep = 0;
    /* Kernel heap slabs count as used frames: a live region record keeps
     * the slab MemoryObjects also use, so quota()'s counts are exact. */
    CHECK_EQ(vm_reserve(vm, MMAP_BASE + 0x10000000ull, PG, &keep), ERR_OK);
    uint64_t base = fa_free(fa);
    frame_allocator(fa);
    quota(fa);
    CHECK_EQ(fa_alloc(fa, 0, &mo), ERR_OK);
    CHECK_EQ(fa_alloc(fa, 0, &other), ERR_OK);
    CHECK_EQ(fa_alloc(fa, 4, &mo4), ERR_OK);
    mo_rw(mo);
    mo_map_errors(mo, other);
    mo_subrange_errors(mo4);
    vm_place_errors(vm);
    vm_range_errors(vm, mo);
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(capos_release(other), ERR_OK);
    CHECK_EQ(capos_release(mo4), ERR_OK);
    /* Only page tables may have been added since the start. */
    uint64_t now = fa_free(fa);
    CHECK(now <= base && base - now < 16);
    return t_result();
}
