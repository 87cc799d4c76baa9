/* SPDX-License-Identifier: MIT */
/*
 * rpc_decoder_fuzz.c - libFuzzer target for lib/rpc's receive path.
 *
 * Each input is a byte stream fed to a connection (in two pieces, split
 * by the first byte, so framing across reads is exercised too) that
 * serves a bootstrap object and has questions of its own outstanding
 * (0: Bootstrap, 1: a call on it, 2: a call pipelined on 1, carrying the
 * local object), so Return, Finish and Release meet hostile input too.  The
 * connection exports one local object that answers every second call at
 * once with its params (caps included) and holds the others until the
 * stream ends, so results, pipelined queues and deferred answers all meet
 * hostile input.  Oracles: the sanitizers, and zero live allocations after
 * the connection is freed (a leak aborts).
 */
#include <rpc/rpc.h>

#include <stdlib.h>
#include <string.h>

static void *f_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void f_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static int f_write(void *ctx, const void *b, size_t n)
{
    (void)b;
    *(size_t *)ctx += n;
    return 0;
}

static long f_read(void *ctx, void *b, size_t n)
{
    (void)ctx;
    (void)b;
    (void)n;
    return 0;
}

#define HELD_MAX 8
static struct rpc_incoming *held[HELD_MAX];
static unsigned nheld, ncalls;

static void obj_call(void *obj, struct rpc_incoming *in)
{
    (void)obj;
    if ((ncalls++ & 1) && nheld < HELD_MAX) {
        held[nheld++] = in;
        return;
    }
    struct capnp_ptr params = rpc_in_params(in);
    struct capnp_ptr_builder res = rpc_in_results(in);
    capnp_ptr_copy(&res, &params);
    for (uint32_t i = 0; i < 4; i++)
        rpc_in_result_cap(in, rpc_in_param_cap(in, i));
    if (rpc_in_method(in) == 1)
        rpc_in_throw(in, RPC_EXC_FAILED, "fuzz");
    else
        rpc_in_return(in);
}

static const struct rpc_object_ops ops = {obj_call, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct rpc_alloc a = {f_alloc, f_free, NULL};
    struct rpc_limits lim = {.max_msg_words = 4096, .max_answers = 16,
                             .max_imports = 16, .max_exports = 16,
                             .max_queued = 8, .out_words = 1024};
    struct rpc_vat v;
    size_t written = 0, cut;
    rpc_vat_init(&v, &a);
    struct rpc_cap *root = rpc_cap_local(&v, &ops, NULL);
    struct rpc_transport t = {f_write, f_read, &written};
    struct rpc_conn *c = rpc_conn_new(&v, &t, &lim, root);
    nheld = ncalls = 0;
    struct rpc_cap *boot = rpc_conn_bootstrap(c);
    struct rpc_call *call = rpc_call_new(boot, 1, 0);
    struct rpc_question *q1 = rpc_call_send(call, NULL, NULL);
    struct rpc_cap *prom = rpc_question_pipeline(q1, (const uint16_t[]){0}, 1);
    call = rpc_call_new(prom, 1, 1);
    struct capnp_ptr_builder pb = rpc_call_params(call);
    capnp_ptr_set_cap_index(&pb, rpc_call_cap(call, root));
    rpc_question_release(rpc_call_send(call, NULL, NULL));
    cut = size ? data[0] % (size + 1) : 0;
    rpc_conn_feed(c, data, cut);
    rpc_conn_feed(c, data + cut, size - cut);
    for (unsigned i = 0; i < nheld; i++)   /* half of them after the end */
        if (i & 1)
            rpc_in_throw(held[i], RPC_EXC_FAILED, "late");
    rpc_cap_unref(prom);
    rpc_question_release(q1);
    rpc_cap_unref(boot);
    rpc_conn_free(c);
    for (unsigned i = 0; i < nheld; i++)
        if (!(i & 1))
            rpc_in_return(held[i]);
    rpc_cap_unref(root);
    if (v.live != 0)
        abort();                              /* leak */
    return 0;
}
