/*
 * procwait.h - deferred completions: Timer.sleep, ProcessHandle.wait and
 * Notification.wait (Serial.read keeps its own reader slot,
 * kernel/obj/serialport.c, and is ticked and cancelled from here).
 *
 * A deferred CALL reserves one completion slot of the caller's ring and one
 * unit of its wait quota when it is accepted, so the completion can always
 * be posted later without dropping anything; both are returned when it
 * completes or when the waiting process exits.
 */
#pragma once

#include <stdint.h>
#include <abi/errors.h>

struct process;
struct call_ctx;
struct notification;
struct wait;

/* Defer c's completion until clock_ns() >= deadline. QUOTA, FULL. */
err_t procwait_sleep(struct call_ctx *c, uint64_t deadline);
/* Defer c's completion until `target` exits (result: its exit code). */
err_t procwait_exit(struct call_ctx *c, struct process *target);
/* Defer c's completion until n is signalled (result: the bits taken) or
 * until clock_ns() >= deadline (UINT64_MAX: never), then TIMEOUT.  The
 * caller holds n->lock and has seen nothing pending.  QUOTA, NOMEM. */
err_t procwait_notification(struct call_ctx *c, struct notification *n,
                           uint64_t deadline);
/* Unlink the oldest wait on n (n->lock held), or NULL if none waits. */
struct wait *procwait_take_notification(struct notification *n);
/* Complete w, taken by procwait_take_notification, with `bits` (non-zero);
 * no lock held. */
void procwait_finish_notification(struct wait *w, uint64_t bits);
/* Complete due sleeps and notification timeouts (timer tick). */
void timer_waits_tick(uint64_t now);
/* Drop every wait p is waiting in (p is exiting). */
void procwait_cancel_all(struct process *p);
/* Complete every wait on p's exit (p has exited). */
void procwait_notify_exit(struct process *p);
/* Outstanding waits in the whole system (leak checks). */
uint64_t procwait_live(void);
