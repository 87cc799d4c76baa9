/*
 * mem_subrange.c - MEM0003: MemoryObject.subrange.  A child shares its
 * parent's frames (same physical pages, writes visible both ways), keeps
 * them alive after the parent cap is released, and the frames go back
 * to the allocator only when the last child goes.  A mapping keeps its
 * object alive after the cap is released; exit unmaps it (leak check).
 * There is no revoke method on MemoryObject, so revocation of children
 * through the parent's epoch is not reachable from user space.
 */
#include "memt.h"

int main(void)
{
    uint32_t fa = t_cap("frames"), mo = 0, child = 0, grand = 0;
    uint32_t keep = 0;     /* keeps a kernel heap slab: exact counts */
    CHECK_EQ(fa_alloc(fa, 0, &keep), ERR_OK);
    uint64_t base = fa_free(fa), pages, size, pa, cpa, addr = 0;
    uint8_t buf[8];
    CHECK_EQ(fa_alloc(fa, 4, &mo), ERR_OK);
    CHECK_EQ(mo_info(mo, &pages, &size, &pa), ERR_OK);
    CHECK_EQ(mo_write(mo, PG + 16, "parent", 6), ERR_OK);
    CHECK_EQ(mo_subrange(mo, PG, 2 * PG, &child), ERR_OK);
    CHECK_EQ(mo_info(child, &pages, &size, &cpa), ERR_OK);
    CHECK_EQ(pages, 2);
    CHECK_EQ(size, 2 * PG);
    CHECK_EQ(cpa, pa + PG);
    CHECK_EQ(mo_read(child, 16, 6, buf), ERR_OK);
    CHECK(!memcmp(buf, "parent", 6));
    CHECK_EQ(mo_write(child, PG, "child", 5), ERR_OK);
    CHECK_EQ(mo_read(mo, 2 * PG, 5, buf), ERR_OK);
    CHECK(!memcmp(buf, "child", 5));
    CHECK_EQ(mo_subrange(child, PG, PG, &grand), ERR_OK);
    CHECK_EQ(mo_read(grand, 0, 5, buf), ERR_OK);
    CHECK(!memcmp(buf, "child", 5));
    /* Subranges allocate no frames. */
    CHECK_EQ(fa_free(fa), base - 4);
    /* Drop the parent: the frames stay while a child lives. */
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 4);
    CHECK_EQ(mo_read(child, 16, 6, buf), ERR_OK);
    CHECK(!memcmp(buf, "parent", 6));
    CHECK_EQ(capos_release(child), ERR_OK);
    CHECK_EQ(fa_free(fa), base - 4);
    /* Map the grandchild, then drop its cap: the mapping keeps it. */
    CHECK_EQ(mo_map(grand, 0, 0, PG, RW, &addr), ERR_OK);
    CHECK(!memcmp((const void *)addr, "child", 5));
    uint64_t with_tables = fa_free(fa);
    CHECK_EQ(capos_release(grand), ERR_OK);
    CHECK_EQ(fa_free(fa), with_tables);
    *(volatile char *)addr = 'C';
    CHECK_EQ(*(volatile char *)(addr + 1), 'h');
    /* A fresh allocation does not get those frames back yet. */
    CHECK_EQ(fa_alloc(fa, 4, &mo), ERR_OK);
    CHECK_EQ(mo_info(mo, &pages, &size, &cpa), ERR_OK);
    CHECK(cpa + 4 * PG <= pa || cpa >= pa + 4 * PG);
    CHECK_EQ(capos_release(mo), ERR_OK);
    return t_result();
}
