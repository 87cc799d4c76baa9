/*
 * notification.h - Notification objects: a word of 64 signal bits.
 *
 * The capability side (signal, wait, poll) is in kernel/obj/notification.c;
 * this header is the kernel side, so that an interrupt or an endpoint can
 * later signal a bit without going through a CALL.
 *
 * Locking: n->lock guards `pending` and is taken before waits_lock
 * (kernel/proc/procwait.c) and before a process lock; nothing is taken
 * while a waiter's completion is posted.  Order: notification, process,
 * waits, heap.
 */
#pragma once

#include <stdint.h>
#include <kernel/kobj.h>
#include <kernel/spinlock.h>

struct notification {
    struct kobj obj;            /* first */
    struct spinlock lock;
    /* guarded by lock: */
    uint64_t pending;           /* bits signalled and not yet taken */
};

/* The NotificationFactory singleton. */
struct kobj *notification_factory_obj(void);

/* A fresh notification with one reference, or NULL (no memory). */
struct notification *notification_create(void);

/*
 * OR `bits` (non-zero) into n; wake its oldest waiter, if any, with every
 * pending bit.  Callable with interrupts off from any context that holds
 * no process lock and no waits_lock.
 */
void notification_signal(struct notification *n, uint64_t bits);
