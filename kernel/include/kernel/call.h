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
struct cap_grant;
struct xfer_set;

struct call_ctx {
    struct process *caller;
    struct kobj *target;               /* the invoked object (ref held) */
    const struct ring_sqe *sqe;        /* kernel copy */
    bool deferred;                     /* completion posted later */
    bool result_fault;                 /* copying results out faulted */
    const char *error_msg;             /* detail for the CapException */
    /* One result capability (e.g. a returned handle); the method hands
     * over one reference.  The pipeline places it in the caller's table
     * only once the results are copied out (its slot is reserved first);
     * if anything fails it drops the reference instead, so the object
     * dies with everything it holds. */
    struct kobj *result_obj;
    uint64_t result_iface;
    uint8_t result_flags;              /* CAP_F_TRANSFERABLE or 0 */
    /* An effect a successful method leaves pending until the completion
     * is final: `commit` runs once the results and the result cap are
     * delivered, `undo` instead when that fails.  Set both (or neither),
     * only when returning ERR_OK; `effect` is theirs. */
    void (*commit)(struct call_ctx *c);
    void (*undo)(struct call_ctx *c);
    void *effect;
    /* The call's capability transfer list (sqe.xfer_addr), prepared from
     * the caller's table before the method runs: capability pointers in
     * the params index it.  A method that keeps a grant takes it with
     * call_take_grant; when the method succeeds, moves of the caller's
     * slots commit (all of them: the kernel accepted the call) and grants
     * not taken are dropped; when it fails, everything rolls back. */
    struct xfer_set *xfer;             /* never NULL; xfer->n may be 0 */
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

/* Complete *cqe with a CapException for error r (message msg or the
 * error's name), written into the result buffer of sqe in dst's address
 * space (the current process if dst is NULL). */
void call_exception_to(struct process *dst, uint64_t result_addr,
                       uint32_t result_len, struct ring_cqe *cqe, err_t r,
                       const char *msg);

/* Grant i of c's transfer list, now owned by the caller of this function
 * (its reference included); NULL if i is out of range or already taken. */
struct cap_grant *call_take_grant(struct call_ctx *c, uint32_t i);

/* Run one CALL for process p (its lock held): fills *cqe unless deferred;
 * returns false if the completion is deferred. */
bool call_dispatch(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe);
