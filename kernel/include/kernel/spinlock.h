/*
 * spinlock.h - ticket spinlocks, safe for SMP from the start.
 *
 * spin_lock/spin_unlock for data never touched from interrupt context;
 * spin_lock_irqsave/spin_unlock_irqrestore otherwise.  A lock records its
 * holder CPU id (+1) so recursion is caught as a panic, not a deadlock.
 */
#pragma once

#include <stdint.h>
#include <arch/cpu.h>

struct spinlock {
    volatile uint32_t next;
    volatile uint32_t owner;
    const char *name;
};

#define SPINLOCK_INIT(n) {.next = 0, .owner = 0, .name = (n)}

/* Acquire `l`, spinning; interrupts are left as they are. */
static inline void spin_lock(struct spinlock *l)
{
    uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

/* Release `l`. */
static inline void spin_unlock(struct spinlock *l)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

/* Disable interrupts, then acquire; returns the flags to restore. */
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
    uint64_t f = irq_save();
    spin_lock(l);
    return f;
}

/* Release, then restore the interrupt state saved by spin_lock_irqsave. */
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
    spin_unlock(l);
    irq_restore(flags);
}
