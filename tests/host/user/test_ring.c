/* SPDX-License-Identifier: MIT */
/*
 * test_ring.c - the ring client (lib/capos/ring.c, call.c) against the
 * fake kernel: submission, full SQ, out-of-order completions kept in the
 * pending table, wrap-around of the u32 indices, error mapping.
 */
#include <capos/ring.h>
#include <capos/rt.h>
#include <common/test.h>
#include <string.h>

#include "fake_kernel.h"

#define CAP_DEFER 77u   /* CALLs on this cap complete later */

/* Echo handler: result = method_id, CALLs on CAP_DEFER are deferred. */
static enum fake_verdict echo(struct fake_kernel *k,
                              const struct ring_sqe *sqe,
                              struct ring_cqe *cqe)
{
    (void)k;
    cqe->result = sqe->opcode == RING_OP_CALL ? sqe->method_id : 0;
    return sqe->cap_id == CAP_DEFER ? FAKE_DEFER : FAKE_NOW;
}

static struct fake_kernel k;
static struct capos_ring r;

static void setup(uint32_t start)
{
    fake_init(&k, start);
    k.handler = echo;
    capos_ring_init(&r, k.page, fake_enter, &k);
}

static struct ring_sqe call_sqe(uint32_t cap, uint16_t method, uint64_t ud)
{
    struct ring_sqe s;

    memset(&s, 0, sizeof(s));
    s.opcode = RING_OP_CALL;
    s.cap_id = cap;
    s.method_id = method;
    s.user_data = ud;
    return s;
}

TEST(ring_init_rejects_bad_header)
{
    fake_init(&k, 0);
    fake_hdr(&k)->abi_version = 99;
    EXPECT_EQ(capos_ring_init(&r, k.page, fake_enter, &k), ERR_BADFORMAT);
    fake_init(&k, 0);
    fake_hdr(&k)->cq_mask = 15;
    EXPECT_EQ(capos_ring_init(&r, k.page, fake_enter, &k), ERR_BADFORMAT);
    EXPECT_EQ(capos_ring_init(&r, NULL, fake_enter, &k), ERR_INVAL);
    fake_init(&k, 0);
    EXPECT_EQ(capos_ring_init(&r, k.page, fake_enter, &k), ERR_OK);
}

TEST(ring_submit_publishes_tail_without_entering)
{
    struct ring_sqe s = call_sqe(1, 3, 42);

    setup(0);
    ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    EXPECT_EQ(fake_hdr(&k)->sq_tail, 1);
    EXPECT_EQ(k.enters, 0);
    EXPECT_EQ(k.consumed, 0);
}

TEST(ring_nop_roundtrip)
{
    struct ring_sqe s;
    struct ring_cqe c;

    setup(0);
    memset(&s, 0, sizeof(s));
    s.opcode = RING_OP_NOP;
    ASSERT_EQ(capos_ring_call_sqe(&r, &s, &c), ERR_OK);
    EXPECT_EQ(c.result, 0);
    EXPECT_EQ(c.user_data, s.user_data);
    EXPECT_NE(s.user_data, 0);
    EXPECT_EQ(r.inflight, 0);
    EXPECT_EQ(fake_hdr(&k)->cq_head, 1);
}

TEST(ring_sq_full_enters_kernel_to_drain)
{
    setup(0);
    for (uint32_t i = 0; i < RING_SQ_ENTRIES; i++) {
        struct ring_sqe s = call_sqe(1, (uint16_t)i, 100 + i);
        ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    }
    EXPECT_EQ(k.enters, 0);
    struct ring_sqe s = call_sqe(1, 16, 116);
    ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    EXPECT_EQ(k.enters, 1);
    EXPECT_EQ(k.consumed, RING_SQ_ENTRIES);
    for (uint32_t i = 0; i <= RING_SQ_ENTRIES; i++) {
        struct ring_cqe c;
        ASSERT_EQ(capos_ring_wait(&r, 100 + i, 0, &c), ERR_OK);
        EXPECT_EQ(c.result, (int32_t)i);
    }
}

TEST(ring_sq_full_and_kernel_stuck_is_full_error)
{
    setup(0);
    k.drain_limit = 0;
    for (uint32_t i = 0; i < RING_SQ_ENTRIES; i++) {
        struct ring_sqe s = call_sqe(1, 0, i + 1);
        ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    }
    k.fail_enter = true;
    struct ring_sqe s = call_sqe(1, 0, 99);
    EXPECT_EQ(capos_ring_submit(&r, &s), ERR_FAULT);
    k.fail_enter = false;
    k.stuck = true;
    EXPECT_EQ(capos_ring_submit(&r, &s), ERR_FULL);
    k.stuck = false;
    k.drain_limit = 1;
    /* The kernel drains only one slot: the submit now succeeds. */
    EXPECT_EQ(capos_ring_submit(&r, &s), ERR_OK);
}

TEST(ring_out_of_order_completions_are_kept)
{
    struct ring_sqe a = call_sqe(CAP_DEFER, 1, 1001);  /* completes late */
    struct ring_sqe b = call_sqe(2, 2, 1002);
    struct ring_sqe c = call_sqe(2, 3, 1003);
    struct ring_cqe out;

    setup(0);
    ASSERT_EQ(capos_ring_submit(&r, &a), ERR_OK);
    ASSERT_EQ(capos_ring_submit(&r, &b), ERR_OK);
    ASSERT_EQ(capos_ring_submit(&r, &c), ERR_OK);
    /* Waiting for the deferred one reaps b and c first. */
    ASSERT_EQ(capos_ring_wait(&r, 1001, CAP_ENTER_NO_TIMEOUT, &out), ERR_OK);
    EXPECT_EQ(out.result, 1);
    EXPECT_EQ(capos_ring_pending(&r), 2);
    /* Claim them in the opposite order. */
    ASSERT_EQ(capos_ring_wait(&r, 1003, 0, &out), ERR_OK);
    EXPECT_EQ(out.result, 3);
    ASSERT_EQ(capos_ring_wait(&r, 1002, 0, &out), ERR_OK);
    EXPECT_EQ(out.result, 2);
    EXPECT_EQ(capos_ring_pending(&r), 0);
    EXPECT_EQ(r.inflight, 0);
}

TEST(ring_deferred_arrive_reversed)
{
    struct ring_cqe out;

    setup(0);
    for (uint64_t i = 0; i < 5; i++) {
        struct ring_sqe s = call_sqe(CAP_DEFER, (uint16_t)i, 500 + i);
        ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    }
    for (uint64_t i = 0; i < 5; i++) {
        ASSERT_EQ(capos_ring_wait(&r, 500 + i, CAP_ENTER_NO_TIMEOUT, &out),
                  ERR_OK);
        EXPECT_EQ(out.user_data, 500 + i);
    }
    EXPECT_EQ(r.inflight, 0);
}

TEST(ring_wait_any_returns_oldest)
{
    struct ring_cqe out;

    setup(0);
    for (uint64_t i = 0; i < 3; i++) {
        struct ring_sqe s = call_sqe(1, (uint16_t)i, 10 + i);
        ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    }
    ASSERT_EQ(capos_ring_flush(&r), ERR_OK);
    for (uint64_t i = 0; i < 3; i++) {
        ASSERT_EQ(capos_ring_wait_any(&r, 0, &out), ERR_OK);
        EXPECT_EQ(out.user_data, 10 + i);
    }
    EXPECT_EQ(capos_ring_wait_any(&r, 0, &out), ERR_TIMEOUT);
}

TEST(ring_wait_timeout_when_nothing_comes)
{
    struct ring_cqe out;

    setup(0);
    EXPECT_EQ(capos_ring_wait(&r, 12345, 0, &out), ERR_TIMEOUT);
    k.fail_enter = true;
    EXPECT_EQ(capos_ring_wait(&r, 12345, 0, &out), ERR_FAULT);
}

TEST(ring_wraps_around_u32_indices)
{
    struct ring_cqe out;

    setup(UINT32_MAX - 20);
    /* 200 calls in batches of 7 cross 2^32 on both queues. */
    for (uint64_t n = 0; n < 200; n += 7) {
        struct ring_sqe s[7];
        uint32_t q;
        for (uint64_t i = 0; i < 7; i++)
            s[i] = call_sqe(i % 2 ? CAP_DEFER : 1, (uint16_t)(n + i), n + i + 1);
        ASSERT_EQ(capos_ring_submit_batch(&r, s, 7, &q), ERR_OK);
        EXPECT_EQ(q, 7);
        for (uint64_t i = 7; i-- > 0;) {
            ASSERT_EQ(capos_ring_wait(&r, n + i + 1, CAP_ENTER_NO_TIMEOUT,
                                      &out), ERR_OK);
            EXPECT_EQ(out.result, (int32_t)(n + i));
        }
    }
    EXPECT_TRUE(fake_hdr(&k)->cq_tail < 1000);  /* wrapped */
    EXPECT_EQ(fake_hdr(&k)->cq_head, fake_hdr(&k)->cq_tail);
    EXPECT_EQ(fake_hdr(&k)->cq_overflow, 0);
    EXPECT_EQ(r.inflight, 0);
}

TEST(ring_inflight_limit_protects_cq)
{
    struct ring_cqe out;
    uint32_t i;

    setup(0);
    for (i = 0; i < CAPOS_RING_MAX_INFLIGHT; i++) {
        struct ring_sqe s = call_sqe(CAP_DEFER, 0, i + 1);
        ASSERT_EQ(capos_ring_submit(&r, &s), ERR_OK);
    }
    struct ring_sqe s = call_sqe(1, 0, 999);
    EXPECT_EQ(capos_ring_submit(&r, &s), ERR_FULL);
    /* Every completion is still delivered; nothing overflowed. */
    for (i = CAPOS_RING_MAX_INFLIGHT; i > 0; i--)
        ASSERT_EQ(capos_ring_wait(&r, i, CAP_ENTER_NO_TIMEOUT, &out), ERR_OK);
    EXPECT_EQ(fake_hdr(&k)->cq_overflow, 0);
    EXPECT_EQ(capos_ring_submit(&r, &s), ERR_OK);
}

TEST(ring_corrupt_cq_tail_is_fault)
{
    struct ring_cqe out;

    setup(0);
    fake_hdr(&k)->cq_tail = 1000;
    EXPECT_EQ(capos_ring_wait(&r, 1, 0, &out), ERR_FAULT);
    EXPECT_EQ(fake_hdr(&k)->cq_head, 0);
}

TEST(ring_user_data_unique_nonzero)
{
    setup(0);
    uint64_t a = capos_ring_user_data(&r), b = capos_ring_user_data(&r);
    EXPECT_NE(a, 0);
    EXPECT_NE(a, b);
    r.next_user_data = 0;
    EXPECT_NE(capos_ring_user_data(&r), 0);
}

/* Error handler: cap 5 -> INVOKE_FAILED/BADCAP, 6 -> raw transport. */
static enum fake_verdict failing(struct fake_kernel *kk,
                                 const struct ring_sqe *sqe,
                                 struct ring_cqe *cqe)
{
    (void)kk;
    if (sqe->cap_id == 5) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = ERR_BADCAP;
    } else if (sqe->cap_id == 6) {
        cqe->result = CAP_ERR_INVALID_RESULT_BUFFER;
    } else if (sqe->cap_id == 7) {
        cqe->result = CAP_ERR_UNSUPPORTED_OPCODE;
    } else {
        cqe->result = 8;
    }
    return FAKE_NOW;
}

TEST(ring_call_maps_errors)
{
    struct ring_cqe out;
    uint64_t res[4];

    setup(0);
    k.handler = failing;
    EXPECT_EQ(capos_ring_call(&r, 5, 0, NULL, 0, res, sizeof(res), &out),
              ERR_BADCAP);
    EXPECT_EQ(out.result, CAP_ERR_INVOKE_FAILED);
    EXPECT_EQ(capos_ring_call(&r, 6, 0, NULL, 0, res, sizeof(res), &out),
              ERR_FAULT);
    EXPECT_EQ(capos_ring_call(&r, 7, 0, NULL, 0, NULL, 0, NULL), ERR_NOSYS);
    EXPECT_EQ(capos_ring_call(&r, 1, 9, res, 8, res, sizeof(res), &out),
              ERR_OK);
    EXPECT_EQ(out.result, 8);
    EXPECT_EQ(k.last_sqe.opcode, RING_OP_CALL);
    EXPECT_EQ(k.last_sqe.method_id, 9);
    EXPECT_EQ(k.last_sqe.len, 8);
    EXPECT_EQ(k.last_sqe.result_len, sizeof(res));
    EXPECT_EQ(k.last_sqe.result_addr, (uint64_t)(uintptr_t)res);
    EXPECT_EQ(k.last_sqe.pipeline_dep, 0);
}

TEST(ring_release_sqe_and_errors)
{
    setup(0);
    k.handler = failing;
    EXPECT_EQ(capos_ring_release(&r, 5), ERR_BADCAP);
    EXPECT_EQ(k.last_sqe.opcode, RING_OP_RELEASE);
    EXPECT_EQ(k.last_sqe.cap_id, 5);
    EXPECT_EQ(k.last_sqe.addr, 0);
    EXPECT_EQ(k.last_sqe.result_len, 0);
    EXPECT_EQ(capos_ring_release(&r, 3), ERR_OK);
}

TEST(ring_cqe_err_mapping)
{
    struct ring_cqe c = {0};

    c.result = CAP_ERR_INVALID_REQUEST;
    EXPECT_EQ(capos_cqe_err(&c), ERR_INVAL);
    c.result = CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED;
    EXPECT_EQ(capos_cqe_err(&c), ERR_TOOSMALL);
    c.aux = ERR_QUOTA;
    EXPECT_EQ(capos_cqe_err(&c), ERR_QUOTA);
    c.aux = 999;   /* unknown code: fall back to the transport mapping */
    EXPECT_EQ(capos_cqe_err(&c), ERR_TOOSMALL);
    c.result = 0;
    EXPECT_EQ(capos_cqe_err(&c), ERR_OK);
}
