/*
 * mem_fault_rx.c - MEM0011: VirtualMemory.protect to read+execute
 * takes write access away: a write ends the process with #PF (-142).
 */
#include "memt.h"

int main(void)
{
    uint32_t vm = t_cap("vm");
    uint64_t addr = 0;
    CHECK_EQ(vm_map(vm, 0, 2 * PG, RW, &addr), ERR_OK);
    *(volatile uint64_t *)(addr + PG) = 42;
    CHECK_EQ(vm_protect(vm, addr, 2 * PG, R | X), ERR_OK);
    CHECK_EQ(*(volatile uint64_t *)(addr + PG), 42);   /* still readable */
    if (t_result())
        return 1;
    *(volatile uint64_t *)(addr + PG) = 43;            /* faults */
    return 2;
}
