/*
 * sched.h - scheduler internals shared with the process layer (the
 * public thread API is in kernel/thread.h).
 */
#pragma once

#include <stdint.h>
#include <kernel/spinlock.h>

struct thread;
extern struct spinlock sched_lock;

/* With sched_lock held: block the current thread / make t runnable. */
void sched_block_locked(void);
void sched_wake_locked(struct thread *t);
void sleepers_remove(struct thread *t);
/* Timer.sleep completions due at `now` (kernel/obj/timer.c). */
void timer_waits_tick(uint64_t now);
