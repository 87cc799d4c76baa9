/*
 * lockcheck.c - the lock checker of the test kernel (CONFIG_KTEST).
 *
 * Theory of operation
 *
 * spin_lock and spin_unlock (kernel/spinlock.h) report every acquisition
 * and release here, with the file and line of the call.  Each CPU keeps
 * the stack of locks it holds (a lock held across a context switch, like
 * sched_lock, stays on the CPU's stack and is released by the next
 * thread, as the code does).  A lock's class is its name: every process
 * lock is one class, every endpoint lock another.
 *
 * Before the acquisition spins, it is checked against the held stack:
 *   - the same lock is already held: recursion (a sure deadlock);
 *   - a lock of the same class is held: two instances nested, which the
 *     kernel never does (no order between two processes' locks exists);
 *   - class B is taken while A is held, but earlier A was taken while B
 *     was held: an order inversion (a deadlock on two CPUs).
 * Each violation panics naming both acquisition sites (for an inversion,
 * also the two sites of the earlier, opposite nesting).  The first site
 * pair of each class nesting A -> B is remembered in a small matrix.
 * lockcheck_assert_unlocked lets other code state "no lock held here"
 * (kobj_reap: a destroy hook never runs under a lock).
 *
 * Locking: the held stacks are per CPU and touched with interrupts off;
 * the class table and matrix are written under graph_lock, a raw ticket
 * lock the checker does not check.  Before lockcheck_init (CPU state not
 * installed yet) CPU 0's stack is used.
 */
#ifdef CONFIG_KTEST
#include <stdbool.h>
#include <common/string.h>
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define LC_DEPTH 16
#define LC_CLASSES 32

struct lc_site {
    const char *file;
    int line;
};

struct lc_held {
    struct spinlock *lock;
    struct lc_site at;
    uint32_t cls;
};

struct lc_stack {
    uint32_t n;
    struct lc_held h[LC_DEPTH];
};

/* First nesting of class `inner` under class `outer`. */
struct lc_edge {
    struct lc_site outer, inner;
    bool seen;
};

static struct lc_stack lc_cpu[MAX_CPUS];     /* own CPU, interrupts off */
static bool lc_ready, lc_off;
static struct spinlock graph_lock = SPINLOCK_INIT("lockcheck");
/* graph_lock: */
static const char *lc_names[LC_CLASSES];
static uint32_t lc_nclasses;
static struct lc_edge lc_edges[LC_CLASSES][LC_CLASSES];

void lockcheck_init(void)
{
    lc_ready = true;
}

void lockcheck_disable(void)
{
    lc_off = true;
}

static struct lc_stack *stack(void)
{
    return &lc_cpu[lc_ready ? cpu_this()->id % MAX_CPUS : 0];
}

/* Stop checking and panic (panic's own printing takes no checked lock). */
#define lc_panic(...)                                                       \
    do {                                                                    \
        lc_off = true;                                                      \
        panic(__VA_ARGS__);                                                 \
    } while (0)

/* Class number of name (graph_lock held). */
static uint32_t class_of(const char *name)
{
    if (!name)
        name = "(unnamed)";
    for (uint32_t i = 0; i < lc_nclasses; i++)
        if (lc_names[i] == name || !strcmp(lc_names[i], name))
            return i;
    if (lc_nclasses == LC_CLASSES)
        lc_panic("lockcheck: more than %d lock classes", LC_CLASSES);
    lc_names[lc_nclasses] = name;
    return lc_nclasses++;
}

/* Check taking a lock of class c at `at` under held entry h, then record
 * the nesting (graph_lock held). */
static void check_order(const struct lc_held *h, uint32_t c,
                        struct lc_site at)
{
    const struct lc_edge *rev = &lc_edges[c][h->cls];
    struct lc_edge *e = &lc_edges[h->cls][c];
    if (h->cls == c)
        lc_panic("lockcheck: two '%s' locks nested: acquiring one at %s:%d "
                 "while holding another since %s:%d", lc_names[c], at.file,
                 at.line, h->at.file, h->at.line);
    if (rev->seen)
        lc_panic("lockcheck: lock order inversion: acquiring '%s' at %s:%d "
                 "while holding '%s' (taken at %s:%d); earlier '%s' was taken "
                 "at %s:%d while holding '%s' (taken at %s:%d)",
                 lc_names[c], at.file, at.line, lc_names[h->cls], h->at.file,
                 h->at.line, lc_names[h->cls], rev->inner.file,
                 rev->inner.line, lc_names[c], rev->outer.file,
                 rev->outer.line);
    if (!e->seen)
        *e = (struct lc_edge){.outer = h->at, .inner = at, .seen = true};
}

void lockcheck_acquire(struct spinlock *l, const char *file, int line)
{
    if (lc_off)
        return;
    uint64_t f = irq_save();
    struct lc_stack *s = stack();
    struct lc_site at = {file, line};
    for (uint32_t i = 0; i < s->n; i++)
        if (s->h[i].lock == l)
            lc_panic("lockcheck: recursion on '%s': acquiring it at %s:%d, "
                     "already held since %s:%d", l->name, file, line,
                     s->h[i].at.file, s->h[i].at.line);
    if (s->n == LC_DEPTH)
        lc_panic("lockcheck: more than %d locks held at %s:%d", LC_DEPTH,
                 file, line);
    spin_lock_raw(&graph_lock);
    uint32_t c = class_of(l->name);
    for (uint32_t i = 0; i < s->n; i++)
        check_order(&s->h[i], c, at);
    spin_unlock_raw(&graph_lock);
    s->h[s->n++] = (struct lc_held){.lock = l, .at = at, .cls = c};
    irq_restore(f);
}

void lockcheck_release(struct spinlock *l, const char *file, int line)
{
    if (lc_off)
        return;
    uint64_t f = irq_save();
    struct lc_stack *s = stack();
    uint32_t i = s->n;
    while (i > 0 && s->h[i - 1].lock != l)
        i--;
    if (i == 0)
        lc_panic("lockcheck: releasing '%s' at %s:%d, which this CPU does "
                 "not hold", l->name, file, line);
    for (; i < s->n; i++)
        s->h[i - 1] = s->h[i];
    s->n--;
    irq_restore(f);
}

void lockcheck_assert_unlocked(const char *what)
{
    if (lc_off)
        return;
    struct lc_stack *s = stack();
    if (s->n)
        lc_panic("lockcheck: %s with '%s' held (taken at %s:%d)", what,
                 s->h[s->n - 1].lock->name, s->h[s->n - 1].at.file,
                 s->h[s->n - 1].at.line);
}
#else
typedef int lockcheck_unused;   /* ISO C: no empty translation unit */
#endif
