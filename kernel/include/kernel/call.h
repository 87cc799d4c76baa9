/*
 * call.h - how a CALL reaches a kernel object's method.
 *
 * Each kernel object type serves one or more interfaces; each interface is
 * a `struct kiface`: its id (from the generated schema header) and a table
 * of methods indexed by the generated method ordinals, written with
 * designated initialisers.  A method receives the decoded params and a
 * result builder in a struct call_ctx and returns an err_t; an error
 * becomes a CapException in the caller's result buffer.  Methods decode
 * and check everything first and only then act (decode-then-invoke).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/errors.h>
#include <abi/ring.h>
#include <capnp/capnp.h>

#define CALL_PARAMS_MAX  (64u * 1024)   /* bytes of params the kernel copies */
#define CALL_RESULT_MAX  (64u * 1024)   /* bytes of results the kernel builds */

struct kobj;
struct process;
struct cap_entry;

struct call_ctx {
    struct process *caller;
    struct kobj *target;               /* the invoked object (ref held) */
    const struct ring_sqe *sqe;        /* kernel copy */
    bool deferred;                     /* completion posted later */
    bool result_fault;                 /* copying results out faulted */
    const char *error_msg;             /* detail for the CapException */
    /* One result capability (e.g. a returned handle); the method hands
     * over one reference. */
    struct kobj *result_obj;
    uint64_t result_iface;
};

/* Generated dispatch of one interface, bound to the kernel's server. */
typedef int (*kiface_dispatch_fn)(struct call_ctx *c, uint16_t method,
                                  struct capnp_msg *params,
                                  struct capnp_builder *results);

struct kiface {
    uint64_t id;
    const char *name;
    kiface_dispatch_fn dispatch;
};

/* The interface table of an object type, or NULL (defined in dispatch.c). */
const struct kiface *kiface_find(uint32_t kobj_type, uint64_t iface_id);

/* Fail the call with `err` and a short static explanation. */
static inline int call_fail(struct call_ctx *c, int err, const char *msg)
{
    c->error_msg = msg;
    return err;
}

/* Run one CALL for process p (its lock held): fills *cqe unless deferred;
 * returns false if the completion is deferred. */
bool call_dispatch(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe);
