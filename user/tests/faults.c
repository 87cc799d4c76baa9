/*
 * faults.c - FAULT00xx: each variant faults on purpose; the kernel must end
 * only this process, with the exit code -(128 + vector), and keep running
 * (the driver starts the next test).  The variant is chosen by the program
 * name in the CapSet-independent way: one binary per variant, selected at
 * build time with -DFAULT_<kind>.
 */
#include "t.h"

static const char rodata_byte = 1;

int main(void)
{
#if defined(FAULT_NULL)
    return *(volatile int *)0;                               /* #PF read */
#elif defined(FAULT_KERNEL_READ)
    return *(volatile int *)0xffffffff80100000ull;           /* #PF, U/S */
#elif defined(FAULT_WRITE_RO)
    *(volatile char *)&rodata_byte = 2;                      /* #PF write */
#elif defined(FAULT_WRITE_CAPSET)
    *(volatile char *)CAPSET_VADDR = 0;                      /* #PF write */
#elif defined(FAULT_EXEC_DATA)
    static uint8_t code[16] = {0xc3};
    ((void (*)(void))(uintptr_t)code)();                     /* #PF fetch */
#elif defined(FAULT_STACK_OVERFLOW)
    volatile uint8_t *sp = (uint8_t *)(USER_STACK_TOP - USER_STACK_SIZE - 8);
    *sp = 1;                                                 /* guard page */
#elif defined(FAULT_PRIV)
    __asm__ volatile("cli");                                 /* #GP */
#elif defined(FAULT_UD)
    __asm__ volatile("ud2");                                 /* #UD */
#elif defined(FAULT_BP)
    __asm__ volatile("int3");                                /* #BP */
#elif defined(FAULT_DIV)
    __asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\tcltd\n\t"
                     "idivl %%ecx" ::: "eax", "ecx", "edx");   /* #DE */
#elif defined(FAULT_X87)
    uint16_t cw = 0x037f & ~0x0004;     /* unmask zero-divide */
    __asm__ volatile("fldcw %0\n\tfld1\n\tfldz\n\tfdivrp\n\tfwait"
                     : : "m"(cw));                           /* #MF */
#elif defined(FAULT_NONCANON_JUMP)
    ((void (*)(void))0x0000900000000000ull)();               /* #GP */
#endif
    (void)rodata_byte;
    return 99;  /* not reached */
}
