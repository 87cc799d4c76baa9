/*
 * cpu.h - per-CPU state.
 *
 * Every CPU owns one struct cpu, reached through cpu_this() (the GS base
 * points at it in kernel mode).  Nothing in the kernel keeps a global
 * "current process": it is cpu_this()->current, so a second CPU needs only
 * a second struct cpu.
 */
#pragma once

#include <stdint.h>
#include <arch/percpu.h>

#define MAX_CPUS 16

struct thread;

struct cpu {
    struct cpu *self;          /* gs:0; must stay first */
    uint64_t kstack_top;       /* gs:8; kernel stack for syscall entry */
    uint64_t user_rsp;         /* gs:16; scratch for syscall entry */
    uint32_t id;
    uint32_t apic_id;
    struct thread *current;
    struct thread *idle;
    struct thread *runq_head, *runq_tail;   /* sched_lock */
    struct thread *reap;                    /* dead thread to free */
    uint64_t irq_count;
    uint64_t switches;
    struct arch_cpu arch;
};
_Static_assert(__builtin_offsetof(struct cpu, kstack_top) == 8, "gs:8");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == 16, "gs:16");

extern struct cpu cpus[MAX_CPUS];

/* This CPU's state. */
static inline struct cpu *cpu_this(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

/* Make `c` the running CPU's state (sets GS base). */
void cpu_install(struct cpu *c, uint32_t id);
