/*
 * cpu.h - thin wrappers around x86_64 instructions (xv6's x86.h style).
 *
 * The only place outside arch/ .S files where inline assembly lives.  Every
 * wrapper is a static inline with the instruction's name.
 */
#pragma once

#include <stdint.h>

#define MSR_EFER          0xC0000080u
#define MSR_STAR          0xC0000081u
#define MSR_LSTAR         0xC0000082u
#define MSR_SFMASK        0xC0000084u
#define MSR_FS_BASE       0xC0000100u
#define MSR_GS_BASE       0xC0000101u
#define MSR_KERNEL_GS_BASE 0xC0000102u
#define MSR_APIC_BASE     0x0000001Bu

#define EFER_SCE  (1ull << 0)
#define EFER_LME  (1ull << 8)
#define EFER_NXE  (1ull << 11)

#define CR0_WP    (1ull << 16)
#define CR4_PGE   (1ull << 7)
#define CR4_UMIP  (1ull << 11)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_SMEP  (1ull << 20)
#define CR4_SMAP  (1ull << 21)

#define RFLAGS_IF (1ull << 9)
#define RFLAGS_AC (1ull << 18)

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* rdtsc ordered after all earlier instructions (for measurements). */
static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
                         uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid"
                     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                     : "a"(leaf), "c"(sub));
}

#define DEFINE_CR(n)                                                         \
    static inline uint64_t read_cr##n(void)                                  \
    {                                                                        \
        uint64_t v;                                                          \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                    \
        return v;                                                            \
    }                                                                        \
    static inline void write_cr##n(uint64_t v)                               \
    {                                                                        \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");           \
    }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
/* Enable interrupts and halt atomically (no lost wakeup). */
static inline void cpu_idle_wait(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

/* Save the interrupt flag and disable interrupts; returns the old flags. */
static inline uint64_t irq_save(void)
{
    uint64_t f = read_rflags();
    irq_disable();
    return f;
}

static inline void irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        irq_enable();
}

/* SMAP: open/close the window for kernel access to user pages. */
static inline void user_access_begin(void) { __asm__ volatile("stac" ::: "memory"); }
static inline void user_access_end(void) { __asm__ volatile("clac" ::: "memory"); }

static inline uint64_t read_gs_base(void) { return rdmsr(MSR_GS_BASE); }

/* Set the user FS base (TLS pointer) for the thread about to run. */
static inline void arch_set_fs_base(uint64_t base)
{
    wrmsr(MSR_FS_BASE, base);
}

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)

/* Save / restore the x87+SSE state of a user thread (512 bytes, 16-aligned). */
static inline void fpu_save(void *area)
{
    __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fpu_restore(const void *area)
{
    __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
