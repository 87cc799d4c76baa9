/*
 * sched.c - threads, per-CPU run queues, round-robin preemption, blocking.
 *
 * Locking: sched_lock (one lock now; per-CPU queues keep the structure SMP
 * ready) protects run queues, thread states, the sleeper list and wait
 * conditions.  It is held across arch_switch: the thread that resumes
 * releases it (sched_switch_done for a new thread, the tail of sched_switch
 * otherwise).  A dead thread cannot free its own stack, so the next thread
 * on that CPU reaps it.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <common/string.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/kmem.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

void arch_switch(uint64_t *old_ksp, uint64_t new_ksp);
void sched_switch_done(void);
extern const char thread_entry_user[];

struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct thread *sleepers;          /* blocked with a deadline */
static uint64_t threads_live;

uint64_t thread_live_count(void)
{
    return threads_live;
}

static void runq_push(struct cpu *c, struct thread *t)
{
    t->next = NULL;
    if (c->runq_tail)
        c->runq_tail->next = t;
    else
        c->runq_head = t;
    c->runq_tail = t;
}

static struct thread *runq_pop(struct cpu *c)
{
    struct thread *t = c->runq_head;
    if (t) {
        c->runq_head = t->next;
        if (!c->runq_head)
            c->runq_tail = NULL;
        t->next = NULL;
    }
    return t;
}

/* Allocate a thread with a kernel stack; NULL on ENOMEM. */
static struct thread *thread_alloc(void)
{
    struct thread *t = kzalloc(sizeof *t);
    if (!t)
        return NULL;
    if (kstack_alloc(&t->kstack_top)) {
        kfree(t);
        return NULL;
    }
    t->wait_deadline_ns = UINT64_MAX;
    threads_live++;
    return t;
}

void thread_free(struct thread *t)
{
    kfree(t->fpu);
    kstack_free(t->kstack_top);
    kfree(t);
    threads_live--;
}

struct thread *thread_create_user(struct process *p, uint64_t entry,
                                  uint64_t rsp, uint64_t a0, uint64_t a1,
                                  uint64_t a2)
{
    struct thread *t = thread_alloc();
    if (!t)
        return NULL;
    t->fpu = kzalloc(512);
    if (!t->fpu) {
        thread_free(t);
        return NULL;
    }
    *(uint16_t *)(t->fpu + 0) = 0x037f;     /* FCW: default x87 control */
    *(uint32_t *)(t->fpu + 24) = 0x1f80;    /* MXCSR: default, all masked */
    t->proc = p;
    t->state = THREAD_BLOCKED;
    struct trap_frame *tf = (struct trap_frame *)(uintptr_t)
        (t->kstack_top - sizeof(struct trap_frame));
    memset(tf, 0, sizeof *tf);
    tf->rip = entry;
    tf->cs = SEL_UCODE;
    tf->rflags = RFLAGS_IF;
    tf->rsp = rsp;
    tf->ss = SEL_UDATA;
    tf->rdi = a0;
    tf->rsi = a1;
    tf->rdx = a2;
    t->tf = tf;
    /* Switch frame: six callee-saved registers, then the return address. */
    uint64_t *sp = (uint64_t *)tf;
    *--sp = (uint64_t)(uintptr_t)thread_entry_user;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    t->ksp = (uint64_t)(uintptr_t)sp;
    return t;
}

/* Free a thread that died on this CPU (called after switching away). */
static void sched_reap(struct cpu *c)
{
    if (c->reap) {
        thread_free(c->reap);
        c->reap = NULL;
    }
}

/* Switch to the next runnable thread (or idle). sched_lock held. */
static void sched_switch(void)
{
    struct cpu *c = cpu_this();
    struct thread *prev = c->current, *next = runq_pop(c);
    if (!next)
        next = prev->state == THREAD_RUNNING ? prev : c->idle;
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        return;
    }
    if (prev->state == THREAD_DEAD)
        c->reap = prev;
    next->state = THREAD_RUNNING;
    next->slice = TIME_SLICE_TICKS;
    c->current = next;
    c->switches++;
    if (next->kstack_top) {
        c->arch.tss.rsp[0] = next->kstack_top;
        c->kstack_top = next->kstack_top;
    }
    if (prev->fpu && prev->state != THREAD_DEAD)
        fpu_save(prev->fpu);
    if (next->fpu)
        fpu_restore(next->fpu);
    proc_activate(next->proc);
    arch_switch(&prev->ksp, next->ksp);
    sched_reap(cpu_this());
}

void sched_switch_done(void)
{
    sched_reap(cpu_this());
    spin_unlock(&sched_lock);
}

void sched_wake(struct thread *t)
{
    uint64_t f = spin_lock_irqsave(&sched_lock);
    sched_wake_locked(t);
    spin_unlock_irqrestore(&sched_lock, f);
}

void sched_wake_locked(struct thread *t)
{
    if (t->state != THREAD_BLOCKED)
        return;
    sleepers_remove(t);
    t->state = THREAD_RUNNABLE;
    runq_push(cpu_this(), t);
}

void sched_yield(void)
{
    uint64_t f = spin_lock_irqsave(&sched_lock);
    struct thread *t = cpu_this()->current;
    if (t != cpu_this()->idle) {
        t->state = THREAD_RUNNABLE;
        runq_push(cpu_this(), t);
    }
    sched_switch();
    spin_unlock_irqrestore(&sched_lock, f);
}

void sched_yield_to(struct thread *t)
{
    uint64_t f = spin_lock_irqsave(&sched_lock);
    struct cpu *c = cpu_this();
    struct thread *cur = c->current;
    bool queued = false;
    for (struct thread **pp = &c->runq_head, *prev = NULL; *pp;
         prev = *pp, pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            if (c->runq_tail == t)
                c->runq_tail = prev;
            queued = true;
            break;
        }
    if (queued && cur != t) {
        t->next = c->runq_head;             /* t runs next */
        c->runq_head = t;
        if (!c->runq_tail)
            c->runq_tail = t;
        if (cur != c->idle) {
            cur->state = THREAD_RUNNABLE;
            runq_push(c, cur);
        }
        sched_switch();
    } else if (queued) {
        runq_push(c, t);
    }
    spin_unlock_irqrestore(&sched_lock, f);
}

void sched_block_locked(void)
{
    struct thread *t = cpu_this()->current;
    t->state = THREAD_BLOCKED;
    t->wait_timed_out = false;
    if (t->wait_deadline_ns != UINT64_MAX) {
        t->next = sleepers;
        sleepers = t;
    }
    sched_switch();
}

void sched_block(void)
{
    uint64_t f = spin_lock_irqsave(&sched_lock);
    sched_block_locked();
    spin_unlock_irqrestore(&sched_lock, f);
}

void sleepers_remove(struct thread *t)
{
    for (struct thread **pp = &sleepers; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            t->next = NULL;
            return;
        }
}

void sched_exit_current(void)
{
    irq_disable();
    spin_lock(&sched_lock);
    cpu_this()->current->state = THREAD_DEAD;
    sched_switch();
    panic("sched: dead thread resumed");
}

/* Timer tick: wake expired sleepers, account the slice, maybe preempt. */
static void sched_tick(struct trap_frame *tf)
{
    uint64_t now = clock_ns();
    spin_lock(&sched_lock);
    for (struct thread **pp = &sleepers; *pp;) {
        struct thread *t = *pp;
        if (t->wait_deadline_ns <= now) {
            *pp = t->next;
            t->next = NULL;
            t->wait_timed_out = true;
            t->state = THREAD_RUNNABLE;
            runq_push(cpu_this(), t);
        } else {
            pp = &t->next;
        }
    }
    spin_unlock(&sched_lock);
    timer_waits_tick(now);              /* may make threads runnable */
    spin_lock(&sched_lock);
    struct thread *cur = cpu_this()->current;
    bool preempt = false;
    if (tf->cs & 3) {
        if (cur->slice)
            cur->slice--;
        preempt = cur->slice == 0 && cpu_this()->runq_head;
    }
    spin_unlock(&sched_lock);
    if (preempt)
        sched_yield();
    if (tf->cs & 3)
        proc_exit_if_killed();          /* ProcessHandle.kill */
}

extern void (*clock_tick_hook)(struct trap_frame *tf);

/* The running thread's reaper (kobj.c queues destroys on it). */
static struct kobj_reaper *thread_reaper(void)
{
    struct thread *t = cpu_this()->current;
    return t ? &t->reaper : NULL;
}

void sched_init(void)
{
    struct cpu *c = cpu_this();
    struct thread *idle = kzalloc(sizeof *idle);
    if (!idle)
        panic("sched: no memory for the idle thread");
    idle->state = THREAD_RUNNING;
    c->idle = idle;
    c->current = idle;
    clock_tick_hook = sched_tick;
    kobj_set_reaper(thread_reaper);
}

void sched_idle_until(bool (*done)(void *arg), void *arg)
{
    struct cpu *c = cpu_this();
    for (;;) {
        irq_disable();
        spin_lock(&sched_lock);
        if (c->runq_head) {
            c->idle->state = THREAD_RUNNABLE;
            sched_switch();
        }
        spin_unlock(&sched_lock);
        if (done && done(arg))
            return;
        cpu_idle_wait();
    }
}

void sched_start(void)
{
    sched_idle_until(NULL, NULL);
    panic("sched: idle loop ended");
}
