/*
 * thread.h - kernel threads of control and the scheduler.
 *
 * Every user process runs on one thread (more per process come with the
 * threads issue).  Each CPU has an idle thread and a run queue.  The kernel
 * runs with interrupts disabled (user mode and the idle loop are the only
 * places they are on), so a switch happens only at a well-defined point:
 * sched_yield/sched_block from a syscall, or the tick when returning to
 * user mode.  sched_lock protects the run queues and thread states; it is
 * held across the stack switch and released by the thread that resumes.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/kobj.h>

#define TIME_SLICE_TICKS 2

enum thread_state {
    THREAD_RUNNABLE,
    THREAD_RUNNING,
    THREAD_BLOCKED,
    THREAD_DEAD,
};

struct process;

struct thread {
    uint64_t ksp;                 /* saved kernel stack pointer (switch) */
    uint64_t kstack_pa;           /* unused (kept for the struct layout) */
    uint64_t kstack_top;
    struct trap_frame *tf;        /* user register state (top of kstack) */
    struct process *proc;         /* NULL for idle threads */
    enum thread_state state;
    struct thread *next;          /* run queue or wait list link */
    uint32_t slice;               /* ticks left */
    /* cap_enter wait condition (sched_lock). */
    uint32_t wait_min;
    uint64_t wait_deadline_ns;    /* UINT64_MAX: none */
    bool wait_timed_out;
    uint64_t fs_base;             /* user FS base (TLS) */
    uint8_t *fpu;                 /* 512-byte FXSAVE area (user threads) */
    struct kobj_reaper reaper;    /* destroys queued by this thread */
};

/* Set up the scheduler and this CPU's idle thread; never returns when
 * called as sched_start after the first threads are queued. */
void sched_init(void);
__attribute__((noreturn)) void sched_start(void);

/* Run the idle loop on this CPU (boot context) until done(arg) is true;
 * user threads run meanwhile.  Interrupts are off on return. */
void sched_idle_until(bool (*done)(void *arg), void *arg);

/* A thread that will enter user mode at tf's state; not yet runnable. */
struct thread *thread_create_user(struct process *p, uint64_t entry,
                                  uint64_t rsp, uint64_t a0, uint64_t a1,
                                  uint64_t a2);
void thread_free(struct thread *t);

/* Make t runnable on this CPU's queue. */
void sched_wake(struct thread *t);
/* Run t now if it is runnable (direct handoff); the current thread stays
 * runnable behind it. */
void sched_yield_to(struct thread *t);
/* Give up the CPU; the current thread stays runnable. */
void sched_yield(void);
/* Block the current thread until sched_wake or its deadline. */
void sched_block(void);
/* The current thread is dead: switch away for good. */
__attribute__((noreturn)) void sched_exit_current(void);
/* Current thread on this CPU (NULL for none). */
static inline struct thread *thread_current(void)
{
    return cpu_this()->current;
}
/* Number of threads created and not yet freed (leak checks). */
uint64_t thread_live_count(void);
