/*
 * ep_served.c - IPC endpoints, part 4: calls a server process has
 * received and not yet answered.  Theory of operation: the top of
 * endpoint.c.
 *
 * A received call is on two lists at once: its core's received list (by
 * `next`, core->lock) and its receiver's served list (by `snext`, the
 * receiver's p->lock), and it carries the receiver.  Both lists change
 * together, with the core lock held and the receiver's lock nested inside
 * it (the only order of the two; the lock checker enforces it).  So:
 *   - a call id names a call only for the process that received it: RETURN
 *     by any other holder of the Endpoint finds nothing (NOTFOUND), however
 *     it guesses the id;
 *   - when the receiver exits, every call it holds completes DISCONNECTED
 *     at once, even while other processes keep the Endpoint alive.
 */
#include <kernel/proc.h>

#include "endpoint_priv.h"

/* Unlink call from its receiver's served list (core lock held). */
static void served_unlink(struct ep_call *call)
{
    struct process *p = call->receiver;
    if (!p)
        return;
    uint64_t f = spin_lock_irqsave(&p->lock);
    for (struct ep_call **pp = &p->served; *pp; pp = &(*pp)->snext)
        if (*pp == call) {
            *pp = call->snext;
            break;
        }
    spin_unlock_irqrestore(&p->lock, f);
    call->receiver = NULL;
    call->snext = NULL;
}

void ep_served_add(struct ep_core *core, struct ep_call *call,
                   struct process *server)
{
    call->received = true;
    call->next = core->received;
    core->received = call;
    call->receiver = server;
    uint64_t f = spin_lock_irqsave(&server->lock);
    call->snext = server->served;
    server->served = call;
    spin_unlock_irqrestore(&server->lock, f);
}

void ep_served_remove_all(struct ep_call *list)
{
    for (; list; list = list->next)
        served_unlink(list);
}

struct ep_call *ep_served_take(struct ep_core *core, uint32_t id,
                               const struct process *server)
{
    struct ep_call *found = NULL;
    uint64_t f = spin_lock_irqsave(&core->lock);
    for (struct ep_call **pp = &core->received; *pp; pp = &(*pp)->next)
        if ((*pp)->call_id == id && (*pp)->receiver == server) {
            found = *pp;
            *pp = found->next;
            served_unlink(found);
            break;
        }
    spin_unlock_irqrestore(&core->lock, f);
    return found;
}

/* Take call off core's received list if it is still there and still
 * served by p (core lock held). */
static bool take_if_served(struct ep_core *core, struct ep_call *call,
                           const struct process *p)
{
    for (struct ep_call **pp = &core->received; *pp; pp = &(*pp)->next)
        if (*pp == call && call->receiver == p) {
            *pp = call->next;
            served_unlink(call);
            return true;
        }
    return false;
}

/* The first call p serves, with a reference on its core; NULL if none. */
static struct ep_call *first_served(struct process *p, struct ep_core **core)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    struct ep_call *call = p->served;
    if (call) {
        *core = call->core;
        ep_core_get(*core);
    }
    spin_unlock_irqrestore(&p->lock, f);
    return call;
}

void ep_served_proc_exit(struct process *p)
{
    struct ep_core *core;
    struct ep_call *call;
    while ((call = first_served(p, &core))) {
        uint64_t f = spin_lock_irqsave(&core->lock);
        bool mine = take_if_served(core, call, p);
        spin_unlock_irqrestore(&core->lock, f);
        if (mine)
            ep_call_fail_to_caller(call, ERR_DISCONNECTED,
                                   "the server that received the call exited");
        ep_core_put(core);
    }
}
