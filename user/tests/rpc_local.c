/*
 * rpc_local.c - RPC0001: lib/rpc inside a capOS process.  Two
 * connections joined by in-memory pipes, on the runtime's malloc:
 * bootstrap, a call, a pipelined call queued on a deferred answer, a cap
 * sent back to its host, then one side goes away with a call outstanding
 * (DISCONNECTED); every block of the vat is freed at the end.  This is
 * the library the network gateway will run (docs/network.md).
 */
#include "t.h"

#include <rpc/rpc.h>
#include <stdlib.h>

#define ADDER_IFACE 0x9a5e1d0c33f1b7a1ull

static void *u_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void u_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

struct pipe {
    uint8_t buf[16384];
    size_t len;
};

static int p_write(void *ctx, const void *b, size_t n)
{
    struct pipe *p = ctx;
    if (p->len + n > sizeof p->buf)
        return -1;
    memcpy(p->buf + p->len, b, n);
    p->len += n;
    return 0;
}

static long p_read(void *ctx, void *b, size_t n)
{
    (void)ctx;
    (void)b;
    (void)n;
    return 0;
}

static struct pipe ab, ba;
static uint8_t tmp[16384];

/* Move bytes both ways until both pipes stay empty. */
static void flush(struct rpc_conn *a, struct rpc_conn *b)
{
    for (int i = 0; i < 64 && (ab.len || ba.len); i++) {
        size_t n = ab.len;
        memcpy(tmp, ab.buf, n);
        ab.len = 0;
        if (n && b)
            rpc_conn_feed(b, tmp, n);
        n = ba.len;
        memcpy(tmp, ba.buf, n);
        ba.len = 0;
        if (n && a)
            rpc_conn_feed(a, tmp, n);
    }
}

/* The adder: method 0 adds params.u64[0] + u64[1]; method 1 answers with
 * itself in results pointer 0, later (held in `held`). */
static struct rpc_incoming *held;
static struct rpc_cap *adder;

static void adder_call(void *obj, struct rpc_incoming *in)
{
    (void)obj;
    if (rpc_in_method(in) == 1) {
        held = in;
        return;
    }
    struct capnp_ptr p = rpc_in_params(in);
    struct capnp_struct s = capnp_ptr_read_struct(&p, NULL);
    struct capnp_ptr_builder rb = rpc_in_results(in);
    struct capnp_struct_builder r = capnp_ptr_init_struct(&rb, 1, 0);
    capnp_write_u64(&r, 0, capnp_read_u64(&s, 0, 0) + capnp_read_u64(&s, 1, 0),
                    0);
    rpc_in_return(in);
}

static void answer_held(void)
{
    struct capnp_ptr_builder rb = rpc_in_results(held);
    capnp_ptr_set_cap_index(&rb, rpc_in_result_cap(held, adder));
    rpc_in_return(held);
    held = NULL;
}

static const struct rpc_object_ops adder_ops = {adder_call, NULL};

struct rec {
    int got;
    bool ok;
    enum rpc_exc type;
    uint64_t sum;
    struct rpc_cap *cap;
};

static void done(void *ctx, const struct rpc_response *r)
{
    struct rec *rec = ctx;
    struct capnp_struct s = capnp_ptr_read_struct(&r->content, NULL);
    rec->got++;
    rec->ok = r->ok;
    rec->type = r->type;
    rec->sum = capnp_read_u64(&s, 0, 0);
    if (r->ok && r->ncaps == 1)
        rec->cap = rpc_cap_ref(r->caps[0]);
}

static void add(struct rpc_cap *target, uint64_t x, uint64_t y, struct rec *rec)
{
    struct rpc_call *c = rpc_call_new(target, ADDER_IFACE, 0);
    struct capnp_ptr_builder pb = rpc_call_params(c);
    struct capnp_struct_builder s = capnp_ptr_init_struct(&pb, 2, 0);
    capnp_write_u64(&s, 0, x, 0);
    capnp_write_u64(&s, 1, y, 0);
    rpc_question_release(rpc_call_send(c, done, rec));
}

int main(void)
{
    static const struct rpc_alloc al = {u_alloc, u_free, NULL};
    struct rpc_limits lim = {.max_questions = 16, .max_answers = 16,
                             .max_imports = 16, .max_exports = 16,
                             .out_words = 512};
    struct rpc_vat v;
    struct rec r1 = {0}, r2 = {0}, r3 = {0};
    rpc_vat_init(&v, &al);
    adder = rpc_cap_local(&v, &adder_ops, NULL);
    struct rpc_transport ta = {p_write, p_read, &ab}, tb = {p_write, p_read, &ba};
    struct rpc_conn *a = rpc_conn_new(&v, &ta, &lim, NULL);
    struct rpc_conn *b = rpc_conn_new(&v, &tb, &lim, adder);
    CHECK(a && b && adder);
    if (!a || !b || !adder)
        return t_result();
    struct rpc_cap *boot = rpc_conn_bootstrap(a);

    add(boot, 2, 3, &r1);                       /* pipelined on bootstrap */
    flush(a, b);
    CHECK_EQ(r1.got, 1);
    CHECK_EQ(r1.sum, 5);

    /* a call queued on an answer that is held, then released */
    struct rpc_question *q = rpc_call_send(rpc_call_new(boot, ADDER_IFACE, 1),
                                           done, &r2);
    struct rpc_cap *prom = rpc_question_pipeline(q, NULL, 0); /* content */
    add(prom, 40, 2, &r3);
    flush(a, b);
    CHECK(held != NULL);
    CHECK_EQ(rpc_conn_stats(b).queued, 1);
    CHECK_EQ(r3.got, 0);
    answer_held();
    flush(a, b);
    CHECK_EQ(r3.got, 1);
    CHECK(r3.ok);
    CHECK_EQ(r3.sum, 42);
    CHECK(r2.got == 1 && r2.cap != NULL);

    /* one side goes away with a call outstanding */
    struct rec r4 = {0};
    struct rpc_call *c = rpc_call_new(boot, ADDER_IFACE, 1);
    rpc_question_release(rpc_call_send(c, done, &r4));
    flush(a, b);
    CHECK(held != NULL);
    rpc_conn_free(b);
    b = NULL;
    rpc_conn_abort(a, "test over");              /* the stream is gone */
    CHECK_EQ(r4.got, 1);
    CHECK_EQ(r4.type, RPC_EXC_DISCONNECTED);
    answer_held();                               /* after the end: freed */

    rpc_cap_unref(r2.cap);
    rpc_cap_unref(prom);
    rpc_question_release(q);
    rpc_cap_unref(boot);
    rpc_conn_free(a);
    rpc_cap_unref(adder);
    CHECK_EQ(v.live, 0);
    return t_result();
}
