/*
 * test_ring_sqe_check.c - every SQE validation rule of ring_sqe_check with
 * its exact CAP_ERR_* code: opcode range, FINISH, reserved fields, flags,
 * the per-opcode field matrix (written out here independently of the
 * implementation's table), transfer descriptors and buffer shape.
 */
#include "cap_test.h"
#include <kernel/ring_core.h>

#define INV CAP_ERR_INVALID_REQUEST

static const uint8_t ops[] = {RING_OP_NOP, RING_OP_CALL, RING_OP_RECV,
                              RING_OP_RETURN, RING_OP_RELEASE};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

static struct ring_sqe sqe(uint8_t op)
{
    return (struct ring_sqe){.opcode = op, .user_data = 0xfeedull};
}

/* One field group set to a well-formed non-zero value. */
struct mut {
    const char *name;
    void (*set)(struct ring_sqe *s);
    int want[NOPS];     /* NOP, CALL, RECV, RETURN, RELEASE */
};

static void m_cap(struct ring_sqe *s) { s->cap_id = 0x1001; }
static void m_method(struct ring_sqe *s) { s->method_id = 3; }
static void m_callid(struct ring_sqe *s) { s->call_id = 9; }
static void m_params(struct ring_sqe *s) { s->addr = 0x10000; s->len = 64; }
static void m_addr_only(struct ring_sqe *s) { s->addr = 0x10000; }
static void m_result(struct ring_sqe *s)
{
    s->result_addr = 0x20000;
    s->result_len = 128;
}
static void m_rlen_only(struct ring_sqe *s) { s->result_len = 1; }
static void m_xfer(struct ring_sqe *s) { s->xfer_count = 1; s->xfer_addr = 0x3000; }
static void m_retexc(struct ring_sqe *s) { s->flags = SQE_F_RETURN_EXCEPTION; }
static void m_recvev(struct ring_sqe *s) { s->flags = SQE_F_RECV_EVENTS; }
static void m_udata(struct ring_sqe *s) { s->user_data = UINT64_MAX; }

static const struct mut muts[] = {
    {"cap_id", m_cap, {INV, 0, 0, 0, 0}},
    {"method_id", m_method, {INV, 0, INV, INV, INV}},
    {"call_id", m_callid, {INV, 0, INV, 0, INV}}, /* CALL: iface_lo */
    {"params", m_params, {INV, 0, INV, 0, INV}},
    {"addr_only", m_addr_only, {INV, 0, INV, 0, INV}},
    {"result", m_result, {INV, 0, 0, INV, INV}},
    {"result_len_only", m_rlen_only,
     {INV, CAP_ERR_INVALID_RESULT_BUFFER, CAP_ERR_INVALID_RESULT_BUFFER, INV,
      INV}},
    {"xfer", m_xfer, {INV, 0, INV, 0, INV}},
    {"flag_return_exception", m_retexc, {INV, INV, INV, 0, INV}},
    {"flag_recv_events", m_recvev, {INV, INV, 0, INV, INV}},
    {"user_data", m_udata, {0, 0, 0, 0, 0}},
};

TEST(sqe_minimal_entries_are_valid)
{
    for (uint32_t i = 0; i < NOPS; i++) {
        struct ring_sqe s = sqe(ops[i]);
        EXPECT_EQ(ring_sqe_check(&s), 0);
    }
}

TEST(sqe_per_opcode_field_matrix)
{
    for (uint32_t m = 0; m < sizeof(muts) / sizeof(muts[0]); m++) {
        for (uint32_t i = 0; i < NOPS; i++) {
            struct ring_sqe s = sqe(ops[i]);
            muts[m].set(&s);
            int got = ring_sqe_check(&s);
            if (got != muts[m].want[i])
                test_fail_u64(t, __FILE__, __LINE__, muts[m].name,
                              (uint64_t)(int64_t)got,
                              (uint64_t)(int64_t)muts[m].want[i]);
        }
    }
}

TEST(sqe_opcode_range)
{
    struct ring_sqe s;

    for (uint32_t op = RING_OP__COUNT; op < 256; op++) {
        s = sqe((uint8_t)op);
        if (ring_sqe_check(&s) != INV)
            EXPECT_EQ(ring_sqe_check(&s), INV);
    }
    s = sqe(RING_OP_FINISH);
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
    memset(&s, 0xff, sizeof(s));            /* FINISH wins over garbage */
    s.opcode = RING_OP_FINISH;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
    s.opcode = 200;                         /* unknown wins over garbage */
    EXPECT_EQ(ring_sqe_check(&s), INV);
}

TEST(sqe_reserved_fields_and_flags)
{
    for (uint32_t i = 0; i < NOPS; i++) {
        struct ring_sqe s = sqe(ops[i]);
        s.rsvd0 = 1;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s = sqe(ops[i]);
        s.rsvd1 = 0x8000;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s = sqe(ops[i]);
        s.pipeline_dep = 1;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s = sqe(ops[i]);
        s.pipeline_field = 1;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        for (uint32_t bit = 1; bit < 16; bit++) {   /* unknown flag bits */
            if (ops[i] == RING_OP_RECV && (1u << bit) == SQE_F_RECV_EVENTS)
                continue;
            s = sqe(ops[i]);
            s.flags = (uint16_t)(1u << bit);
            EXPECT_EQ(ring_sqe_check(&s), INV);
        }
    }
    struct ring_sqe r = sqe(RING_OP_RETURN);
    r.flags = SQE_F_RETURN_EXCEPTION | 0x10;
    EXPECT_EQ(ring_sqe_check(&r), INV);
}

TEST(sqe_transfer_descriptors)
{
    const uint8_t xops[] = {RING_OP_CALL, RING_OP_RETURN};

    for (uint32_t i = 0; i < 2; i++) {
        struct ring_sqe s = sqe(xops[i]);
        s.xfer_count = RING_MAX_XFER;
        s.xfer_addr = 0x3000;
        EXPECT_EQ(ring_sqe_check(&s), 0);
        s.xfer_count = RING_MAX_XFER + 1;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s.xfer_count = UINT16_MAX;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s.xfer_count = 1;                   /* count without address */
        s.xfer_addr = 0;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s.xfer_count = 0;                   /* address without count */
        s.xfer_addr = 0x3000;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s.xfer_count = 2;                   /* wraps past 2^64 */
        s.xfer_addr = UINT64_MAX - 8;
        EXPECT_EQ(ring_sqe_check(&s), INV);
        s.xfer_addr = UINT64_MAX - 16;      /* ends exactly at 2^64 - 1 */
        EXPECT_EQ(ring_sqe_check(&s), 0);
    }
}

TEST(sqe_buffer_shape)
{
    struct ring_sqe s = sqe(RING_OP_CALL);

    s.len = 1;                              /* length without address */
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
    s.addr = UINT64_MAX;                    /* wraps */
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
    s.addr = UINT64_MAX - 1;                /* last byte below 2^64 */
    EXPECT_EQ(ring_sqe_check(&s), 0);
    s.len = UINT32_MAX;
    s.addr = UINT64_MAX - UINT32_MAX + 1;   /* end == 2^64: wraps to 0 */
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
    s = sqe(RING_OP_CALL);
    s.result_len = 8;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_RESULT_BUFFER);
    s.result_addr = UINT64_MAX - 4;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_RESULT_BUFFER);
    s.result_addr = 0x1000;
    EXPECT_EQ(ring_sqe_check(&s), 0);
    s.len = 4;                              /* params checked before result */
    s.result_addr = 0;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
    s = sqe(RING_OP_RETURN);                /* RETURN's payload = params */
    s.len = 4;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
    s = sqe(RING_OP_RECV);
    s.result_len = 4;
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_RESULT_BUFFER);
}

/* Rule order: structural errors (INVALID_REQUEST) before buffer errors. */
TEST(sqe_rule_order)
{
    struct ring_sqe s = sqe(RING_OP_CALL);

    s.len = 1;                              /* bad params buffer ... */
    s.xfer_count = 9;                       /* ... and bad xfer count */
    EXPECT_EQ(ring_sqe_check(&s), INV);
    s.xfer_count = 0;
    s.pipeline_dep = 1;                     /* forbidden field */
    EXPECT_EQ(ring_sqe_check(&s), INV);
    s.pipeline_dep = 0;
    s.iface_lo = 0x1234;                    /* CALL may state an interface */
    EXPECT_EQ(ring_sqe_check(&s), CAP_ERR_INVALID_PARAMS_BUFFER);
}
