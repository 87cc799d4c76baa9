/*
 * mem_fault_unmapped.c - MEM0010: a page unmapped with
 * MemoryObject.unmap is gone: touching it ends the process with #PF
 * (exit code -142).
 */
#include "memt.h"

int main(void)
{
    uint32_t fa = t_cap("frames"), mo = 0;
    uint64_t addr = 0;
    CHECK_EQ(fa_alloc(fa, 0, &mo), ERR_OK);
    CHECK_EQ(mo_map(mo, 0, 0, PG, RW, &addr), ERR_OK);
    *(volatile uint64_t *)addr = 42;
    CHECK_EQ(mo_unmap(mo, addr, PG), ERR_OK);
    if (t_result())
        return 1;
    return (int)*(volatile uint64_t *)addr;    /* faults */
}
