/*
 * call.c - the CALL opcode: from an SQE to a kernel object's method.
 *
 * Order of checks (each failure is a distinct completion, nothing is
 * changed before all of them pass):
 *   1. the cap id names a live, unrevoked cap       else INVOKE_FAILED + aux
 *   2. the interface the caller states (sqe.iface_lo, 0 = any) is the
 *      cap's                                      else INVOKE_FAILED/WRONGTYPE
 *      and its object type serves it              else INVOKE_FAILED/NOSYS
 *   3. the result buffer is a user range, and writable in full (up to
 *      CALL_RESULT_MAX: each page probed)        else INVALID_RESULT_BUFFER
 *   4. params fit CALL_PARAMS_MAX and are readable  else INVALID_PARAMS_BUFFER
 *   5. params parse as a capnp message              else exception BADFORMAT
 * Then the generated dispatch runs the method.  Results are built in a
 * kernel arena and copied out once, then the result cap (slot reserved
 * before the copy) is placed, then the method's pending effect commits
 * (call_ctx.commit, e.g. a spawned child starts).  If delivery fails the
 * effect is undone (call_ctx.undo; the result object is dropped, moved
 * caps roll back): a completion that is not a success means no effect.
 * The only exception: a method that itself unmaps or write-protects the
 * caller's result buffer (VirtualMemory unmap/decommit/protect,
 * MemoryObject.unmap) has acted when the copy faults
 * (INVALID_RESULT_BUFFER after the probe passed).  An error becomes a serialized
 * CapException (CAP_ERR_APPLICATION_EXCEPTION, or ..._TRUNCATED if even
 * that does not fit), with the capOS error code in cqe.aux.
 * A params length of 0 means "default params" (an empty struct).
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/call.h>
#include <kernel/kmem.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/uaccess.h>
#include <kernel/endpoint.h>
#include <kernel/xfer.h>

#define RESULT_ARENA_MIN 512u
#define CALL_SMALL 256u          /* params and results this small stay on the stack */

/* An empty message: a segment table saying "one segment of one word",
 * then that word, a null root pointer. */
static const uint64_t empty_msg[2] = {1ull << 32, 0};

/* Look up cap `id` of p and take a reference on its object. */
static err_t call_get_target(struct process *p, uint32_t id,
                             struct kobj **obj, uint64_t *iface)
{
    struct cap_entry *e;
    uint64_t f = spin_lock_irqsave(&p->lock);
    err_t r = cap_lookup(&p->caps, id, 0, &e);
    if (!r) {
        *obj = e->obj;
        *iface = e->iface;
        kobj_get(*obj);
    }
    spin_unlock_irqrestore(&p->lock, f);
    return r;
}

/* Map a capOS error to the Cap'n Proto exception type. */
static uint16_t exception_type(err_t r)
{
    switch (r) {
    case ERR_NOSYS:
        return CAPOS_EXCEPTION_TYPE_UNIMPLEMENTED;
    case ERR_DISCONNECTED:
    case ERR_REVOKED:
        return CAPOS_EXCEPTION_TYPE_DISCONNECTED;
    case ERR_NOMEM:
    case ERR_QUOTA:
    case ERR_FULL:
    case ERR_BUSY:
        return CAPOS_EXCEPTION_TYPE_OVERLOADED;
    case ERR_INVAL:
    case ERR_RANGE:
    case ERR_BADFORMAT:
    case ERR_TOOSMALL:
    case ERR_OVERFLOW:
    case ERR_FAULT:
        return CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT;
    default:
        return CAPOS_EXCEPTION_TYPE_FAILED;
    }
}

void call_exception_to(struct process *dst, uint64_t result_addr,
                       uint32_t result_len, struct ring_cqe *cqe, err_t r,
                       const char *msg)
{
    uint64_t words[32];
    uint8_t out[sizeof words + 16];
    struct capnp_builder b;
    size_t n = 0;
    capnp_builder_init(&b, words, 32);
    capos_cap_exception_b ex = capos_cap_exception_init_root(&b);
    capos_cap_exception_set_type(ex, exception_type(r));
    const char *text = msg ? msg : err_name(r);
    capos_cap_exception_set_message(ex, text, (uint32_t)strlen(text));
    capos_cap_exception_set_code(ex, (uint16_t)r);
    cqe->aux = (uint32_t)r;
    cqe->result = CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED;
    if (capnp_builder_serialize(&b, out, sizeof out, &n) != CAPNP_OK ||
        n > result_len)
        return;
    err_t w = dst ? vm_write(&dst->vm, result_addr, out, n)
                  : copy_to_user(result_addr, out, n);
    if (w == ERR_OK)
        cqe->result = CAP_ERR_APPLICATION_EXCEPTION;
}

/* Complete with a CapException for error r (current process). */
static void call_exception(const struct ring_sqe *sqe, struct ring_cqe *cqe,
                           err_t r, const char *msg)
{
    call_exception_to(NULL, sqe->result_addr, sqe->result_len, cqe, r, msg);
}

/* Copy and parse the params; on failure fills cqe and returns false. */
static bool call_params(const struct ring_sqe *sqe, uint64_t **buf,
                        uint64_t *small, struct capnp_msg *msg,
                        struct ring_cqe *cqe)
{
    *buf = NULL;
    if (sqe->len > CALL_PARAMS_MAX) {
        cqe->result = CAP_ERR_INVALID_PARAMS_BUFFER;
        cqe->aux = ERR_RANGE;
        return false;
    }
    const void *src = empty_msg;
    size_t len = sizeof empty_msg;
    if (sqe->len) {
        *buf = sqe->len <= CALL_SMALL ? small : kmalloc((sqe->len + 7) & ~7u);
        if (!*buf) {
            call_exception(sqe, cqe, ERR_NOMEM, "no kernel memory for params");
            return false;
        }
        if (copy_from_user(*buf, sqe->addr, sqe->len)) {
            cqe->result = CAP_ERR_INVALID_PARAMS_BUFFER;
            cqe->aux = ERR_FAULT;
            return false;
        }
        src = *buf;
        len = sqe->len;
    }
    struct capnp_read_opts opts = {
        .traversal_limit = len / 2 + 64, .nesting_limit = 16,
        .cap_count = sqe->xfer_count, .flags = CAPNP_READ_NO_FAR};
    if (capnp_msg_init(msg, src, len, &opts) != CAPNP_OK) {
        call_exception(sqe, cqe, ERR_BADFORMAT, "malformed params message");
        return false;
    }
    return true;
}

/* Serialize results to the user buffer; cqe->result = bytes. */
static err_t call_copy_results(struct call_ctx *c, struct capnp_builder *b,
                               struct ring_cqe *cqe)
{
    const struct ring_sqe *sqe = c->sqe;
    if (capnp_builder_error(b) != CAPNP_OK)
        return call_fail(c, ERR_TOOSMALL, "results exceed the kernel's limit");
    size_t n = capnp_builder_size(b);
    if (n > sqe->result_len)
        return call_fail(c, ERR_TOOSMALL, "result buffer too small");
    uint64_t small[CALL_SMALL / 8];
    uint8_t *out = n <= CALL_SMALL ? (uint8_t *)small : kmalloc(n);
    if (!out)
        return call_fail(c, ERR_NOMEM, "no kernel memory for results");
    err_t r = ERR_OK;
    if (capnp_builder_serialize(b, out, n, &n) != CAPNP_OK)
        r = call_fail(c, ERR_TOOSMALL, "result serialization failed");
    else if (copy_to_user(sqe->result_addr, out, n)) {
        c->result_fault = true;
        r = ERR_FAULT;
    }
    if (out != (uint8_t *)small)
        kfree(out);
    cqe->result = (int32_t)n;
    return r;
}

/* Deliver a successful method's outcome: reserve the result cap's slot,
 * copy the results out, only then place the cap (cqe->cap0).  On an error
 * nothing reaches the caller; c->result_obj is left for the caller of
 * this function to drop. */
static err_t call_deliver(struct process *p, struct call_ctx *c,
                          struct capnp_builder *b, struct ring_cqe *cqe)
{
    cap_id_t id = 0;
    uint64_t f;
    if (c->result_obj) {
        f = spin_lock_irqsave(&p->lock);
        err_t r = cap_insert_reserve(&p->caps, 1, &id);
        spin_unlock_irqrestore(&p->lock, f);
        if (r)
            return call_fail(c, r, "no capability slot for the result");
    }
    err_t r = call_copy_results(c, b, cqe);
    if (!c->result_obj)
        return r;
    struct cap_grant g = {.obj = c->result_obj, .iface = c->result_iface,
                          .epoch = kobj_epoch(c->result_obj),
                          .flags = c->result_flags};
    f = spin_lock_irqsave(&p->lock);
    if (r) {
        cap_insert_abort(&p->caps, id);
    } else {
        cap_insert_commit(&p->caps, id, &g, CAP_HOLD_RESULT);
        c->result_obj = NULL;           /* the table holds the reference */
    }
    spin_unlock_irqrestore(&p->lock, f);
    if (!r) {
        cqe->cap_count = 1;
        cqe->cap0 = (struct ring_cap_rec){.cap_id = id,
                                          .iface_lo = (uint32_t)c->result_iface};
    }
    return r;
}

/* Run the method; returns its error (0) with results delivered. */
static err_t call_invoke(struct process *p, const struct kiface *ki,
                         struct call_ctx *c, struct capnp_msg *params,
                         struct capnp_builder *b, struct ring_cqe *cqe)
{
    err_t r = ki->dispatch(c, c->sqe->method_id, params, b);
    if (!r && capnp_msg_error(params) != CAPNP_OK)
        r = call_fail(c, ERR_BADFORMAT, "malformed params message");
    if (r || c->deferred)
        return r;
    return call_deliver(p, c, b, cqe);
}

struct cap_grant *call_take_grant(struct call_ctx *c, uint32_t i)
{
    if (i >= c->xfer->n || (c->xfer->taken & (1u << i)))
        return NULL;
    c->xfer->taken |= 1u << i;
    return &c->xfer->g[i];
}

/* Kernel copies of a call's params and its result arena: on the stack
 * when small, from the heap otherwise. */
struct call_bufs {
    uint64_t *params, *words;
    uint32_t arena;
    uint64_t small_params[CALL_SMALL / 8];
    uint64_t small_words[RESULT_ARENA_MIN / 8];
};

static void call_bufs_free(struct call_bufs *cb)
{
    /* Both pointers are set before any call (call_run); the small arrays
     * are deliberately not zeroed. */
    // cppcheck-suppress ctuuninitvar
    if (cb->params != cb->small_params)
        kfree(cb->params);
    if (cb->words != cb->small_words)
        kfree(cb->words);
}

/* The result arena for sqe (RESULT_ARENA_MIN .. CALL_RESULT_MAX bytes). */
static bool call_arena(const struct ring_sqe *sqe, struct call_bufs *cb)
{
    cb->arena = sqe->result_len < RESULT_ARENA_MIN ? RESULT_ARENA_MIN
                : sqe->result_len > CALL_RESULT_MAX ? CALL_RESULT_MAX
                                                    : sqe->result_len;
    cb->words = cb->arena == RESULT_ARENA_MIN ? cb->small_words
                                              : kmalloc(cb->arena);
    return cb->words != NULL;
}

/* Invoke with transfers prepared; fills cqe on every outcome. */
static err_t call_with_xfer(struct process *p, const struct kiface *ki,
                            struct call_ctx *c, struct capnp_msg *params,
                            struct call_bufs *cb, struct ring_cqe *cqe)
{
    struct capnp_builder b;
    err_t r = ERR_NOMEM;
    if (call_arena(c->sqe, cb)) {
        capnp_builder_init(&b, cb->words, cb->arena / 8);
        r = call_invoke(p, ki, c, params, &b, cqe);
    }
    if (r && c->undo)
        c->undo(c);
    else if (!r && c->commit)
        c->commit(c);
    if (r)
        xfer_abort(p, c->xfer);
    else
        xfer_commit(p, c->xfer);
    if (c->result_obj)
        kobj_put(c->result_obj);        /* not delivered: the object dies */
    if (c->result_fault) {
        cqe->result = CAP_ERR_INVALID_RESULT_BUFFER;
        cqe->aux = ERR_FAULT;
    } else if (r) {
        call_exception(c->sqe, cqe, r, c->error_msg);
    }
    return r;
}

/* Everything after the cap lookup; returns false if deferred. */
static bool call_run(struct process *p, const struct ring_sqe *sqe,
                     struct ring_cqe *cqe, struct kobj *obj,
                     const struct kiface *ki)
{
    struct call_bufs cb;
    struct capnp_msg params;
    struct xfer_set x;
    uint32_t aux = 0;
    uint32_t rlen = sqe->result_len < CALL_RESULT_MAX ? sqe->result_len
                                                      : CALL_RESULT_MAX;
    if (!user_range_ok(sqe->result_addr, sqe->result_len) ||
        probe_user_writable(sqe->result_addr, rlen)) {
        cqe->result = CAP_ERR_INVALID_RESULT_BUFFER;
        cqe->aux = ERR_FAULT;
        return true;
    }
    cb.words = cb.small_words;
    cb.params = NULL;
    bool ok = call_params(sqe, &cb.params, cb.small_params, &params, cqe);
    int bad = ok ? xfer_prepare(p, sqe, &x, &aux) : 0;
    if (!ok || bad) {
        if (bad)
            *cqe = (struct ring_cqe){.result = bad, .aux = aux};
        call_bufs_free(&cb);
        return true;
    }
    struct call_ctx c = {.caller = p, .target = obj, .sqe = sqe, .xfer = &x};
    err_t r = call_with_xfer(p, ki, &c, &params, &cb, cqe);
    call_bufs_free(&cb);
    return !(c.deferred && !r);
}

bool call_dispatch(struct process *p, const struct ring_sqe *sqe,
                   struct ring_cqe *cqe)
{
    struct kobj *obj;
    uint64_t iface;
    err_t r = call_get_target(p, sqe->cap_id, &obj, &iface);
    if (r) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = (uint32_t)r;
        return true;
    }
    const struct kiface *ki;
    bool post = true;
    if (sqe->iface_lo && sqe->iface_lo != (uint32_t)iface) {
        cqe->result = CAP_ERR_INVOKE_FAILED;  /* another interface's method */
        cqe->aux = ERR_WRONGTYPE;
    } else if (obj->ops->type == KOBJ_EPCLIENT) {
        post = endpoint_call(p, sqe, cqe, obj);   /* no kernel interface */
    } else if (!(ki = kiface_find(obj->ops->type, iface))) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = ERR_NOSYS;
    } else {
        post = call_run(p, sqe, cqe, obj, ki);
    }
    kobj_put(obj);
    return post;
}
