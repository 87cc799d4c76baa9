/*
 * mem_churn.c - CHURN0002: 10,000 memory-object cycles (allocate, map,
 * touch, maybe subrange, unmap, release, in a deterministic random order
 * with failure points mixed in: bad protections, out-of-range maps,
 * double unmaps, anonymous VirtualMemory map/protect/unmap).  Afterwards
 * the free-frame counter is exactly at its baseline (taken after one
 * warm-up cycle has created the mapping area's page tables); the driver's leak
 * check covers frames, heap, processes, threads and waits again.
 */
#include "memt.h"
#include "t.h"

static uint32_t rng = 777;

static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

/* One cycle on a fresh MemoryObject of 1..4 pages. */
static void mo_cycle(uint32_t fa)
{
    uint32_t mo, child, pages = 1 + next() % 4;
    uint64_t a = 0;
    if (fa_alloc(fa, pages, &mo) != ERR_OK) {
        t_failures++;
        return;
    }
    switch (next() % 4) {
    case 0:                                         /* failure points */
        CHECK_EQ(mo_map(mo, 0, 0, pages * PG, W | X, &a), ERR_INVAL);
        CHECK_EQ(mo_map(mo, 0, PG * pages, PG, R, &a), ERR_RANGE);
        break;
    case 1:
        CHECK_EQ(mo_subrange(mo, 0, PG, &child), ERR_OK);
        CHECK_EQ(capos_release(mo), ERR_OK);        /* child keeps frames */
        mo = child;
        pages = 1;
        /* fall through */
    default:
        CHECK_EQ(mo_map(mo, 0, 0, pages * PG, RW, &a), ERR_OK);
        ((volatile uint8_t *)(uintptr_t)a)[pages * PG - 1] = 1;
        CHECK_EQ(mo_unmap(mo, a, pages * PG), ERR_OK);
        CHECK_EQ(mo_unmap(mo, a, pages * PG), ERR_NOTFOUND);
    }
    CHECK_EQ(capos_release(mo), ERR_OK);
}

/* One anonymous VirtualMemory cycle. */
static void vm_cycle(uint32_t vm)
{
    uint64_t a = 0, n = 1 + next() % 3;
    CHECK_EQ(vm_map(vm, 0, n * PG, RW, &a), ERR_OK);
    ((volatile uint8_t *)(uintptr_t)a)[0] = 2;
    CHECK_EQ(vm_protect(vm, a, n * PG, R), ERR_OK);
    CHECK_EQ(vm_unmap(vm, a, n * PG), ERR_OK);
}

int main(void)
{
    uint32_t fa = t_cap("frames"), vm = t_cap("vm");
    uint32_t keep;
    CHECK_EQ(fa_alloc(fa, 1, &keep), ERR_OK);       /* keeps a slab page */
    /* Warm up: the first mapping creates the mmap area's page tables,
     * which stay until exit (the driver checks those). */
    uint64_t a = 0;
    CHECK_EQ(mo_map(keep, 0, 0, PG, RW, &a), ERR_OK);
    CHECK_EQ(mo_unmap(keep, a, PG), ERR_OK);
    vm_cycle(vm);
    uint64_t base = fa_free(fa);
    for (int i = 0; i < 10000 && !t_failures; i++) {
        if (next() % 4 == 0)
            vm_cycle(vm);
        else
            mo_cycle(fa);
    }
    CHECK_EQ(fa_free(fa), base);
    CHECK_EQ(capos_release(keep), ERR_OK);
    return t_result();
}
