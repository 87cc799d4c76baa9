/*
 * ep_event.c - IPC endpoints, part 4: peer events to the server
 * (docs/ipc.md "Lifetime of clients").
 *
 * Every client facet gets its SESSION_CLOSED record when it is minted (so
 * a facet can always be closed: no allocation at destroy time).  When the
 * facet object is destroyed - its last cap released, wherever it was
 * (the holder exited, was killed, released or moved it and the new holder
 * did) - the record joins the core's event FIFO, and if it was the last
 * live facet the core's embedded NO_CLIENTS record follows it.  Each
 * record is delivered once by a RECV (CQE_F_PEER_EVENT, aux = kind,
 * ring_recv_info with the session and msg_len 0), after every call queued
 * before it (ep_call.seq) and before every call queued after it.
 * NO_CLIENTS is dropped at delivery if a facet was minted meanwhile.
 * Once the server is gone (core closed) events are freed, not queued.
 * All list changes happen under core->lock.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/endpoint.h>
#include <kernel/kmem.h>
#include <kernel/proc.h>

#include "endpoint_priv.h"

/* Append ev to the FIFO (lock held). */
static void ev_append(struct ep_core *core, struct ep_event *ev)
{
    ev->next = NULL;
    ev->queued = true;
    ev->seq = core->seq;
    if (core->ev_tail)
        core->ev_tail->next = ev;
    else
        core->ev_head = ev;
    core->ev_tail = ev;
}

err_t ep_facet_open(struct ep_core *core, struct ep_client *fc)
{
    struct ep_event *ev = kzalloc(sizeof *ev);
    if (!ev)
        return ERR_NOMEM;
    ev->kind = RING_EVENT_SESSION_CLOSED;
    ev->session = fc->session;
    fc->closed_ev = ev;
    uint64_t f = spin_lock_irqsave(&core->lock);
    core->facets++;
    spin_unlock_irqrestore(&core->lock, f);
    return ERR_OK;
}

void ep_facet_close(struct ep_client *fc)
{
    struct ep_core *core = fc->core;
    struct ep_event *ev = fc->closed_ev;
    fc->closed_ev = NULL;
    if (!ev)
        return;                 /* never opened (makeClient failed) */
    uint64_t f = spin_lock_irqsave(&core->lock);
    core->facets--;
    if (!core->closed) {
        ev_append(core, ev);
        ev = NULL;
        if (core->facets == 0 && !core->no_clients.queued) {
            core->no_clients.kind = RING_EVENT_NO_CLIENTS;
            ev_append(core, &core->no_clients);
        }
    }
    spin_unlock_irqrestore(&core->lock, f);
    kfree(ev);
    ep_core_match(core);
}

/* Unlink the head event (lock held). */
static struct ep_event *ev_pop(struct ep_core *core)
{
    struct ep_event *ev = core->ev_head;
    core->ev_head = ev->next;
    if (!core->ev_head)
        core->ev_tail = NULL;
    ev->next = NULL;
    ev->queued = false;
    return ev;
}

struct ep_event *ep_core_pop_event(struct ep_core *core)
{
    for (;;) {
        struct ep_event *ev = core->ev_head;
        if (!ev || (core->q_head && (int32_t)(core->q_head->seq - ev->seq) <= 0))
            return NULL;        /* none, or a call queued before it */
        ev_pop(core);
        if (ev->kind == RING_EVENT_NO_CLIENTS && core->facets)
            continue;           /* a facet was minted meanwhile */
        return ev;
    }
}

void ep_core_requeue_event(struct ep_core *core, struct ep_event *ev)
{
    ev->next = core->ev_head;
    ev->queued = true;
    core->ev_head = ev;
    if (!core->ev_tail)
        core->ev_tail = ev;
}

err_t ep_event_deliver(struct ep_core *core, struct ep_event *ev,
                       struct process *server, uint64_t addr, uint32_t len,
                       struct ring_cqe *cqe)
{
    struct ring_recv_info info = {.session = ev->session};
    if (len < sizeof info)
        return ERR_TOOSMALL;
    err_t r = ep_deliver_write(server, addr, &info, sizeof info, &info, 0,
                               (const struct ring_cap_rec *)&info, 0);
    if (r)
        return r;
    *cqe = (struct ring_cqe){.result = (int32_t)sizeof info,
                             .flags = CQE_F_PEER_EVENT, .aux = ev->kind};
    if (ev != &core->no_clients)
        kfree(ev);
    return ERR_OK;
}

void ep_core_drop_events(struct ep_core *core)
{
    uint64_t f = spin_lock_irqsave(&core->lock);
    struct ep_event *ev = core->ev_head;
    core->ev_head = core->ev_tail = NULL;
    core->no_clients.queued = false;
    spin_unlock_irqrestore(&core->lock, f);
    while (ev) {
        struct ep_event *next = ev->next;
        if (ev != &core->no_clients)
            kfree(ev);
        ev = next;
    }
}
