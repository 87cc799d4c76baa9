/*
 * syscall_init.c - program the SYSCALL MSRs on this CPU.
 */
#include <arch/cpu.h>
#include <arch/trap.h>

void syscall_entry(void);
void syscall_init(void);

void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSRET: CS = 0x10 + 16 | 3 = 0x23, SS = 0x10 + 8 | 3 = 0x1b. */
    wrmsr(MSR_STAR, ((uint64_t)SEL_KDATA << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    /* Clear IF, TF, DF and AC on entry. */
    wrmsr(MSR_SFMASK, RFLAGS_IF | (1u << 8) | (1u << 10) | RFLAGS_AC);
}
