/*
 * gdt.c - per-CPU GDT and TSS, and per-CPU state installation.
 *
 * Descriptor order is fixed by SYSCALL/SYSRET: kernel code 0x08, kernel
 * data 0x10, user data 0x18, user code 0x20 (STAR[63:48] = 0x10), then the
 * 16-byte TSS descriptor at 0x28.  The TSS carries IST stacks for double
 * fault, NMI and machine check so they run on a known-good stack.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/cpu.h>

struct cpu cpus[MAX_CPUS];

struct gdt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static void gdt_set_tss(uint64_t *gdt, struct tss *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss;
    uint64_t limit = sizeof(*tss) - 1;
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
             (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
}

void gdt_init(struct cpu *c)
{
    struct arch_cpu *a = &c->arch;
    a->gdt[0] = 0;
    a->gdt[1] = 0x00af9a000000ffffull;  /* kernel code, L */
    a->gdt[2] = 0x00cf92000000ffffull;  /* kernel data */
    a->gdt[3] = 0x00cff2000000ffffull;  /* user data, DPL 3 */
    a->gdt[4] = 0x00affa000000ffffull;  /* user code, L, DPL 3 */
    for (int i = 0; i < 3; i++)
        a->tss.ist[i] = (uint64_t)(uintptr_t)&a->ist_stacks[i][IST_STACK_SIZE];
    a->tss.iomap_base = sizeof(a->tss);
    gdt_set_tss(a->gdt, &a->tss);

    struct gdt_ptr p = {.limit = sizeof(a->gdt) - 1,
                        .base = (uint64_t)(uintptr_t)a->gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t"
                     "mov %1, %%es\n\t"
                     "mov %1, %%ss\n\t"
                     "pushq %2\n\t"
                     "lea 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "ltr %w3"
                     :
                     : "m"(p), "r"((uint64_t)SEL_KDATA), "i"(SEL_KCODE),
                       "r"((uint64_t)SEL_TSS)
                     : "rax", "memory");
}

void cpu_install(struct cpu *c, uint32_t id)
{
    c->self = c;
    c->id = id;
    __asm__ volatile("mov %0, %%fs; mov %0, %%gs" : : "r"(0) : "memory");
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}
