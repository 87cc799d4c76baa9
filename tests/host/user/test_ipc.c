/* SPDX-License-Identifier: MIT */
/*
 * test_ipc.c - the pure parts of lib/capos/ipc_call.c and server.c: the
 * transfer-list SQE, result cap records (cap0 only, records after the
 * message, disagreement), adoption checks, RECV buffer parsing with
 * hostile headers, RETURN SQE contents and the DISCONNECTED aux, and
 * CapException building - against the fake kernel.
 */
#include <capos.capnp.h>
#include <capos/capos.h>
#include <common/test.h>
#include <string.h>

#include "fake_kernel.h"

static struct fake_kernel k;
static struct ring_cqe next;          /* what the fake answers */

static enum fake_verdict answer(struct fake_kernel *kk,
                                const struct ring_sqe *sqe,
                                struct ring_cqe *cqe)
{
    uint64_t ud = cqe->user_data;
    (void)kk; (void)sqe;
    *cqe = next;
    cqe->user_data = ud;
    return FAKE_NOW;
}

static void setup(void)
{
    fake_init(&k, 0);
    k.handler = answer;
    memset(&next, 0, sizeof(next));
    capos_rt_setup(k.page, 3, NULL, 0, fake_enter, &k);
}

/* A carrier message (SpawnGrant with cap index `ci`) at buf; its size. */
static uint32_t carrier(uint64_t *buf, uint32_t ci)
{
    struct capos_msgbuf m;
    capos_spawn_grant_b g = capos_spawn_grant_init_root(capos_msg_begin(&m, buf, 16));
    struct capnp_ptr_builder s = capos_spawn_grant_slot_cap(g);
    capos_spawn_grant_set_interface_id(g, 77);
    capnp_ptr_set_cap_index(&s, ci);
    capos_msg_finish(&m);
    return m.len;
}

TEST(ipc_call_xfer_fills_transfer_fields)
{
    struct ring_xfer x[2] = {{5, XFER_COPY}, {6, XFER_MOVE}};
    setup();
    ASSERT_EQ(capos_call_xfer(9, 3, NULL, 0, x, 2, NULL, 0, NULL), ERR_OK);
    EXPECT_EQ(k.last_sqe.opcode, RING_OP_CALL);
    EXPECT_EQ(k.last_sqe.xfer_count, 2);
    EXPECT_EQ(k.last_sqe.xfer_addr, (uint64_t)(uintptr_t)x);
    EXPECT_EQ(capos_call_xfer(9, 3, NULL, 0, x, RING_MAX_XFER + 1, NULL, 0,
                              NULL), ERR_RANGE);
}

TEST(ipc_result_single_cap_comes_from_cap0)
{
    uint64_t buf[32];
    struct capos_msg_caps m;
    uint32_t id = 0;
    struct ring_cqe c = {.cap_count = 1, .cap0 = {0x1005, 0xbeef}};
    c.result = (int32_t)carrier(buf, 0);
    ASSERT_EQ(capos_msg_caps_open_result(&m, &c, buf, sizeof buf), ERR_OK);
    EXPECT_EQ(capos_msg_caps_take(&m, 1, 0xbeef, &id), ERR_NOTFOUND);
    EXPECT_EQ(capos_msg_caps_take(&m, CAPNP_CAP_NULL, 0xbeef, &id), ERR_NOTFOUND);
    EXPECT_EQ(capos_msg_caps_take(&m, 0, 0x1234beee, &id), ERR_WRONGTYPE);
    ASSERT_EQ(capos_msg_caps_take(&m, 0, 0x77770000beefull, &id), ERR_OK);
    EXPECT_EQ(id, 0x1005);
    EXPECT_EQ(capos_msg_caps_take(&m, 0, 0xbeef, &id), ERR_BUSY);
}

TEST(ipc_result_records_follow_the_message)
{
    uint64_t buf[32];
    struct capos_msg_caps m;
    uint32_t len, id = 0;
    struct ring_cqe c = {.cap_count = 2, .cap0 = {11, 1}};
    len = carrier(buf, 1);
    struct ring_cap_rec rec[2] = {{11, 1}, {12, 2}};
    memcpy((char *)buf + len, rec, sizeof rec);
    c.result = (int32_t)len;
    ASSERT_EQ(capos_msg_caps_open_result(&m, &c, buf, sizeof buf), ERR_OK);
    struct capnp_ptr p = capos_spawn_grant_get_cap(capos_spawn_grant_read_root(&m.msg));
    ASSERT_EQ(capnp_ptr_read_cap(&p), 1);
    ASSERT_EQ(capos_msg_caps_take(&m, 1, 2, &id), ERR_OK);
    EXPECT_EQ(id, 12);
    /* Records that do not fit, or disagree with cap0. */
    EXPECT_EQ(capos_msg_caps_open_result(&m, &c, buf, len + 8), ERR_BADFORMAT);
    c.cap0.cap_id = 99;
    EXPECT_EQ(capos_msg_caps_open_result(&m, &c, buf, sizeof buf), ERR_BADFORMAT);
    c.result = -4;
    EXPECT_EQ(capos_msg_caps_open_result(&m, &c, buf, sizeof buf), ERR_INVAL);
}

/* A RECV buffer: info, carrier params, records. */
static uint32_t recv_buf(uint64_t *buf, uint16_t ncaps)
{
    struct ring_recv_info *info = (void *)buf;
    uint32_t len = carrier(buf + 3, 0);
    struct ring_cap_rec rec = {0x2001, 0x42};
    memset(info, 0, sizeof *info);
    info->session = 0xabcdef;
    info->msg_len = len;
    info->method_id = 4;
    info->cap_count = ncaps;
    info->caller_pid = 9;
    for (uint16_t i = 0; i < ncaps; i++)
        memcpy((char *)buf + 24 + len + 8 * i, &rec, sizeof rec);
    return 24 + len + 8u * ncaps;
}

TEST(ipc_server_parse_good_and_hostile)
{
    uint64_t buf[64];
    struct capos_request req;
    uint32_t id = 0;
    struct ring_cqe c = {.call_id = 17};
    c.result = (int32_t)recv_buf(buf, 1);
    ASSERT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_OK);
    EXPECT_EQ(req.session, 0xabcdef);
    EXPECT_EQ(req.method, 4);
    EXPECT_EQ(req.call_id, 17);
    EXPECT_EQ(req.in.ncaps, 1);
    EXPECT_EQ(capos_spawn_grant_get_interface_id(
                  capos_spawn_grant_read_root(&req.in.msg)), 77);
    EXPECT_EQ(capos_msg_caps_take(&req.in, 0, 0x42, &id), ERR_OK);
    EXPECT_EQ(id, 0x2001);
    /* cap_count beyond the completion, msg_len beyond it, short result. */
    ((struct ring_recv_info *)(void *)buf)->cap_count = 2;
    EXPECT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_BADFORMAT);
    ((struct ring_recv_info *)(void *)buf)->cap_count = 1;
    ((struct ring_recv_info *)(void *)buf)->msg_len = 4000;
    EXPECT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_BADFORMAT);
    c.result = 8;
    EXPECT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_BADFORMAT);
    c.result = (int32_t)sizeof buf + 8;
    EXPECT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_BADFORMAT);
    c = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = ERR_BUSY};
    EXPECT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_BUSY);
}

TEST(ipc_server_parse_empty_params_read_as_defaults)
{
    uint64_t buf[8] = {0};
    struct capos_request req;
    struct ring_recv_info *info = (void *)buf;
    struct ring_cqe c = {.result = 24};
    info->session = 1;
    ASSERT_EQ(capos_server_parse(&c, buf, sizeof buf, &req), ERR_OK);
    EXPECT_EQ(capos_spawn_grant_get_interface_id(
                  capos_spawn_grant_read_root(&req.in.msg)), 0);
    EXPECT_EQ(capnp_msg_error(&req.in.msg), CAPNP_OK);
}

TEST(ipc_server_return_sqe_and_disconnected)
{
    uint64_t w[4] = {0};
    struct ring_xfer x = {3, XFER_MOVE};
    setup();
    ASSERT_EQ(capos_server_return(8, 21, w, 32, &x, 1), ERR_OK);
    EXPECT_EQ(k.last_sqe.opcode, RING_OP_RETURN);
    EXPECT_EQ(k.last_sqe.cap_id, 8);
    EXPECT_EQ(k.last_sqe.call_id, 21);
    EXPECT_EQ(k.last_sqe.len, 32);
    EXPECT_EQ(k.last_sqe.flags, 0);
    EXPECT_EQ(k.last_sqe.xfer_count, 1);
    next.aux = ERR_DISCONNECTED;
    EXPECT_EQ(capos_server_return(8, 21, w, 32, NULL, 0), ERR_DISCONNECTED);
    next = (struct ring_cqe){.result = CAP_ERR_INVOKE_FAILED, .aux = ERR_NOTFOUND};
    EXPECT_EQ(capos_server_return_error(8, 22, ERR_PERM, "no"), ERR_NOTFOUND);
    EXPECT_EQ(k.last_sqe.flags, SQE_F_RETURN_EXCEPTION);
}

TEST(ipc_exception_build_round_trips)
{
    uint64_t w[32];
    uint32_t len = 0;
    struct capos_exception ex;
    struct ring_cqe c = {.result = CAP_ERR_APPLICATION_EXCEPTION, .aux = ERR_FULL};
    ASSERT_EQ(capos_exception_build(w, 32, ERR_FULL, "queue full", &len), ERR_OK);
    ASSERT_EQ(capos_exception_decode(&c, w, len, &ex), ERR_OK);
    EXPECT_EQ(ex.type, CAPOS_EXCEPTION_TYPE_OVERLOADED);
    EXPECT_EQ(ex.code, ERR_FULL);
    EXPECT_TRUE(strcmp(ex.message, "queue full") == 0);
    EXPECT_EQ(capos_exception_type_of(ERR_REVOKED), CAPOS_EXCEPTION_TYPE_DISCONNECTED);
    EXPECT_EQ(capos_exception_type_of(ERR_NOSYS), CAPOS_EXCEPTION_TYPE_UNIMPLEMENTED);
    EXPECT_EQ(capos_exception_type_of(ERR_BADFORMAT), CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT);
    EXPECT_EQ(capos_exception_type_of(ERR_NOTFOUND), CAPOS_EXCEPTION_TYPE_FAILED);
    EXPECT_EQ(capos_exception_build(w, 3, ERR_FULL, "a long message that cannot fit", &len),
              ERR_TOOSMALL);
}
