/*
 * mem_basic.c - MEM0001: FrameAllocator + MemoryObject round trip.
 * Allocate a frame (zeroed), map it RW, write through the mapping and
 * read back with MemoryObject.read (and the other way round), unmap,
 * release, and find FrameAllocator.stats back at its baseline; the same
 * for a 4-frame contiguous object.
 */
#include "memt.h"

/* One full cycle on an object of n frames (0 = allocFrame). */
static void cycle(uint32_t fa, uint32_t n)
{
    uint64_t pages = n ? n : 1, size = pages * PG, got, sz, pa, addr = 0;
    uint32_t mo = 0;
    CHECK_EQ(fa_alloc(fa, n, &mo), ERR_OK);
    CHECK_EQ(mo_info(mo, &got, &sz, &pa), ERR_OK);
    CHECK_EQ(got, pages);
    CHECK_EQ(sz, size);
    CHECK(pa != 0 && (pa & (PG - 1)) == 0);
    CHECK_EQ(mo_map(mo, 0, 0, size, RW, &addr), ERR_OK);
    CHECK_EQ(addr, MMAP_BASE);
    volatile uint8_t *p = (volatile uint8_t *)addr;
    for (uint64_t i = 0; i < size; i += 512)
        CHECK_EQ(p[i], 0);                      /* zeroed frames */
    for (uint64_t i = 0; i < pages; i++)
        p[i * PG + 8] = (uint8_t)(0xa0 + i);
    uint8_t buf[16];
    for (uint64_t i = 0; i < pages; i++) {
        CHECK_EQ(mo_read(mo, i * PG + 8, 1, buf), ERR_OK);
        CHECK_EQ(buf[0], 0xa0 + i);
    }
    CHECK_EQ(mo_write(mo, size - 5, "hello", 5), ERR_OK);
    CHECK(!memcmp((const void *)(addr + size - 5), "hello", 5));
    CHECK_EQ(mo_unmap(mo, addr, size), ERR_OK);
    CHECK_EQ(mo_unmap(mo, addr, size), ERR_NOTFOUND);
    /* The contents outlive the mapping. */
    CHECK_EQ(mo_read(mo, size - 5, 5, buf), ERR_OK);
    CHECK(!memcmp(buf, "hello", 5));
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(mo_info(mo, &got, &sz, &pa), ERR_BADCAP);
}

int main(void)
{
    uint32_t fa = t_cap("frames");
    uint64_t base, total;
    /* Warm-up: the page tables of the mmap area stay until exit. */
    cycle(fa, 4);
    /* Kernel heap slabs count as used frames: keep one object of the
     * MemoryObject size class alive so the counts below are exact. */
    uint32_t keep = 0;
    CHECK_EQ(fa_alloc(fa, 0, &keep), ERR_OK);
    CHECK_EQ(fa_stats(fa, &base, &total), ERR_OK);
    CHECK(total >= base && base > 0);
    cycle(fa, 0);
    CHECK_EQ(fa_free(fa), base);
    cycle(fa, 4);
    CHECK_EQ(fa_free(fa), base);
    /* Allocation takes frames; releasing gives them back. */
    uint32_t mo = 0;
    CHECK_EQ(fa_alloc(fa, 16, &mo), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 16);
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(fa_free(fa), base);
    /* A mapping left in place is cleaned up at exit (leak check). */
    uint64_t addr;
    CHECK_EQ(fa_alloc(fa, 2, &mo), ERR_OK);
    CHECK_EQ(mo_map(mo, 0, 0, 2 * PG, R, &addr), ERR_OK);
    CHECK_EQ(*(volatile uint8_t *)addr, 0);
    return t_result();
}
