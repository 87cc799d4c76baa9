/* SPDX-License-Identifier: MIT */
/*
 * oom_test.c - the in-process scenarios with the N-th allocation failing,
 * for every N until a run needs no failure: each run must end without a
 * crash and with zero live allocations (out-of-memory paths leak nothing).
 */
#include "pair.h"

#include <stdlib.h>

static long countdown;               /* allocations left; < 0: no limit */
static bool failed;

static void *oom_alloc(void *ctx, size_t n)
{
    (void)ctx;
    if (countdown == 0) {
        failed = true;
        return NULL;
    }
    if (countdown > 0)
        countdown--;
    return malloc(n);
}

static void oom_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    (void)n;
    free(p);
}

static const struct rpc_alloc oom = {oom_alloc, oom_free, NULL};
static const uint16_t field0[] = {0};

/* Bootstrap, calls, pipelining on a held answer, caps both ways. */
static struct kv_rec r1, r2, rs, rc;   /* may be answered at pair_free */
static int pings;

static void scenario(struct pair *p)
{
    if (!p->a || !p->b)
        return;
    p->st.defer_sub = true;
    struct rpc_cap *kv = rpc_conn_bootstrap(p->a);
    kv_set(kv, "k", "v", &r1);
    struct rpc_question *q = kv_sub(kv, "p/", &rs);
    struct rpc_cap *sub = rpc_question_pipeline(q, field0, 1);
    kv_get(sub, "x", &r2);
    pair_flush(p);
    kv_finish_pending(&p->st);
    pair_flush(p);
    struct rpc_cap *cb = kv_callback_new(&p->va, &pings);
    kv_callback(kv, cb, 1, &rc);
    kv_echo(kv, cb, &r1);
    pair_flush(p);
    rpc_cap_unref(r1.cap);
    rpc_cap_unref(rs.cap);
    rpc_cap_unref(cb);
    rpc_cap_unref(sub);
    rpc_question_release(q);
    rpc_cap_unref(kv);
    pair_flush(p);
}

TEST(rpc_oom_every_allocation)
{
    long n;
    for (n = 0; n < 2000; n++) {
        struct pair p;
        countdown = n;
        failed = false;
        pair_init_alloc(&p, NULL, &oom);
        scenario(&p);
        kv_finish_pending(&p.st);
        countdown = -1;
        bool clean = pair_free(&p);
        if (!clean)
            test_fail_u64(t, __FILE__, __LINE__, "leak at allocation", n, 0);
        if (!failed)
            break;                   /* the whole scenario fit */
    }
    EXPECT_TRUE(n > 50 && n < 2000);
}
