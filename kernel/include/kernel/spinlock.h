/*
 * spinlock.h - ticket spinlocks, safe for SMP from the start.
 *
 * spin_lock/spin_unlock for data never touched from interrupt context;
 * spin_lock_irqsave/spin_unlock_irqrestore otherwise.
 *
 * The test kernel (CONFIG_KTEST) checks every acquisition
 * (kernel/core/lockcheck.c): taking a lock this CPU already holds, nesting
 * two locks of one class (two process locks), or taking two classes in
 * the opposite order of an earlier nesting panics and names both
 * acquisition sites, so a deadlock is a test failure, not a hang.  The
 * production kernel's locks are the bare ticket lock below.
 */
#pragma once

#include <stdint.h>
#include <arch/cpu.h>

struct spinlock {
    volatile uint32_t next;
    volatile uint32_t owner;
    const char *name;               /* the lock's class (lock checker) */
};

#define SPINLOCK_INIT(n) {.next = 0, .owner = 0, .name = (n)}

/* Acquire `l`, spinning; interrupts are left as they are. */
static inline void spin_lock_raw(struct spinlock *l)
{
    uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

/* Release `l`. */
static inline void spin_unlock_raw(struct spinlock *l)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

#ifdef CONFIG_KTEST
/* The lock checker (test kernel only): see kernel/core/lockcheck.c. */
void lockcheck_init(void);
void lockcheck_acquire(struct spinlock *l, const char *file, int line);
void lockcheck_release(struct spinlock *l, const char *file, int line);
void lockcheck_assert_unlocked(const char *what);
void lockcheck_disable(void);

#define spin_lock(l)                                                        \
    do {                                                                    \
        struct spinlock *l_ = (l);                                          \
        lockcheck_acquire(l_, __FILE__, __LINE__);                          \
        spin_lock_raw(l_);                                                  \
    } while (0)
#define spin_unlock(l)                                                      \
    do {                                                                    \
        struct spinlock *l_ = (l);                                          \
        lockcheck_release(l_, __FILE__, __LINE__);                          \
        spin_unlock_raw(l_);                                                \
    } while (0)
#define spin_lock_irqsave(l)                                                \
    ({                                                                      \
        uint64_t f_ = irq_save();                                           \
        spin_lock(l);                                                       \
        f_;                                                                 \
    })
#define spin_unlock_irqrestore(l, flags)                                    \
    do {                                                                    \
        uint64_t g_ = (flags);                                              \
        spin_unlock(l);                                                     \
        irq_restore(g_);                                                    \
    } while (0)
#else
static inline void lockcheck_init(void) {}
static inline void lockcheck_assert_unlocked(const char *what)
{
    (void)what;
}
static inline void lockcheck_disable(void) {}

/* Acquire `l`, spinning; interrupts are left as they are. */
static inline void spin_lock(struct spinlock *l)
{
    spin_lock_raw(l);
}

/* Release `l`. */
static inline void spin_unlock(struct spinlock *l)
{
    spin_unlock_raw(l);
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
#endif
