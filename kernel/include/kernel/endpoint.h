/*
 * endpoint.h - IPC endpoints: a server side (Endpoint: RECV, RETURN and
 * the methods makeClient/pending/revokeClients) and client facets
 * (ClientEndpoint: CALL only).  See kernel/obj/endpoint.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/ring.h>
#include <kernel/call.h>

#define EP_QUEUE_MAX 16     /* calls queued and not yet received */

struct kobj;
struct process;

extern const struct kiface endpoint_iface;

/* A fresh endpoint (server side), one reference for the caller. */
struct kobj *endpoint_create(void);
/* CALL on a client facet: queue the call; false = completion deferred. */
bool endpoint_call(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe, struct kobj *facet);
/* The RECV and RETURN opcodes (cqe filled unless deferred: false). */
bool endpoint_recv_op(struct process *p, const struct ring_sqe *sqe,
                      struct ring_cqe *cqe);
bool endpoint_return_op(struct process *p, const struct ring_sqe *sqe,
                        struct ring_cqe *cqe);
/* p is exiting: cancel every call it has outstanding. */
void endpoint_proc_exit(struct process *p);
/* Live IPC calls in the system (leak checks). */
uint64_t endpoint_calls_live(void);
