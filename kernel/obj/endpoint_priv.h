/*
 * endpoint_priv.h - what the three files of the endpoint implementation
 * share (endpoint.c: objects, methods, completions; ep_call.c: CALL and
 * delivery; ep_server.c: RECV, RETURN, a caller's exit).  Not for other
 * kernel code: its interface is kernel/endpoint.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>
#include <abi/ring.h>
#include <kernel/kobj.h>
#include <kernel/spinlock.h>
#include <kernel/xfer.h>

struct process;

#define EP_SMALL_PARAMS 128  /* params up to this size live in the call */
#define EP_SMALL_DELIVERY 256 /* deliveries this small are written at once */

struct ep_recv {
    struct process *server;         /* reference */
    uint64_t user_data, result_addr;
    uint32_t result_len;
    bool events;                    /* SQE_F_RECV_EVENTS */
};

/* A peer event waiting for the server's RECV (ep_event.c). */
struct ep_event {
    struct ep_event *next;
    uint64_t session;               /* SESSION_CLOSED: whose */
    uint32_t seq;                   /* calls queued up to here come first */
    uint16_t kind;                  /* RING_EVENT_* */
    bool queued;
};

struct ep_core {
    struct spinlock lock;
    uint32_t refs;                  /* server object, facets, calls */
    bool closed;
    uint32_t client_epoch;
    struct ep_call *q_head, *q_tail;
    uint32_t queued;
    struct ep_call *received;
    uint32_t next_call_id;
    struct ep_recv recv;            /* parked RECV if recv.server */
    uint32_t seq;                   /* calls queued so far (ep_call.seq) */
    uint32_t facets;                /* live client facets */
    struct ep_event *ev_head, *ev_tail;
    struct ep_event no_clients;     /* queued when facets drops to 0 */
};

struct endpoint {
    struct kobj obj;
    struct ep_core *core;
};

struct ep_client {
    struct kobj obj;
    struct ep_core *core;
    uint64_t session;
    uint32_t epoch;
    struct ep_event *closed_ev;     /* its SESSION_CLOSED, made at mint */
};

struct ep_call {
    struct ep_call *next;           /* queue or received list (core) */
    struct ep_call *pnext;          /* caller's outstanding list */
    struct ep_call *snext;          /* receiver's served list */
    struct process *receiver;       /* while received (see ep_served.c) */
    struct ep_core *core;
    struct process *caller;         /* reference */
    uint64_t user_data, result_addr;
    uint32_t result_len, call_id, epoch, seq;
    uint16_t method;
    bool received, caller_gone;
    uint64_t session;
    uint8_t *params;                /* small_params or kmalloc'd */
    uint32_t params_len;
    struct xfer_set x;
    uint64_t small_params[EP_SMALL_PARAMS / 8];
};


extern uint64_t ep_calls_live;
extern const struct kobj_ops endpoint_ops;

static inline uint32_t ep_pad8(uint32_t n)
{
    return (n + 7) & ~7u;
}

/* Core references: the server object, facets and calls hold one each. */
void ep_core_get(struct ep_core *c);
void ep_core_put(struct ep_core *c);
/* Completions to a caller (endpoint.c). */
void ep_caller_unlink(struct ep_call *call);
void ep_call_free_params(struct ep_call *call);
void ep_call_free(struct ep_call *call);
void ep_handoff(struct process *p);
void ep_call_complete(struct ep_call *call, struct ring_cqe *cqe);
void ep_call_fail_to_caller(struct ep_call *call, err_t r, const char *msg);
/* Delivery and the queue (ep_call.c). */
err_t ep_deliver_write(struct process *p, uint64_t addr, const void *head,
                       uint32_t head_len, const void *msg, uint32_t msg_len,
                       const struct ring_cap_rec *recs, uint32_t ncaps);
uint32_t ep_delivery_size(const struct ep_call *call);
struct ring_cqe ep_recv_error(err_t e, const struct ep_call *call);
err_t ep_deliver(struct ep_call *call, struct process *server, uint64_t addr,
                 uint32_t len, struct ring_cqe *cqe);
void ep_core_receive(struct ep_core *core, struct ep_call *call,
                     struct process *server);
void ep_core_requeue_front(struct ep_core *core, struct ep_call *call);
struct ep_call *ep_core_pop(struct ep_core *core);
void ep_core_match(struct ep_core *core);
/* Received calls (ep_served.c).  Add: mark call received by server and
 * put it on both lists (core lock held).  Remove_all: unlink every call
 * of a received list from its receiver (core lock held).  Take: the call
 * `id` received by server, off both lists, or NULL.  Proc_exit: fail
 * every call p received with DISCONNECTED. */
void ep_served_add(struct ep_core *core, struct ep_call *call,
                   struct process *server);
void ep_served_remove_all(struct ep_call *list);
struct ep_call *ep_served_take(struct ep_core *core, uint32_t id,
                               const struct process *server);
void ep_served_proc_exit(struct process *p);
/* Peer events (ep_event.c). */
err_t ep_facet_open(struct ep_core *core, struct ep_client *fc);
void ep_facet_close(struct ep_client *fc);
struct ep_event *ep_core_pop_event(struct ep_core *core);
void ep_core_requeue_event(struct ep_core *core, struct ep_event *ev);
err_t ep_event_deliver(struct ep_core *core, struct ep_event *ev,
                       struct process *server, uint64_t addr, uint32_t len,
                       struct ring_cqe *cqe);
void ep_core_drop_events(struct ep_core *core);
