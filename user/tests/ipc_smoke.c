/*
 * ipc_smoke.c - IPC0001: one process is both server and client of its own
 * endpoint: newEndpoint, makeClient, CALL the facet (deferred), RECV it
 * (session, method, params, a copied cap), RETURN a reply, and the CALL
 * completes with the reply.  Then the endpoint's release fails a queued
 * call with DISCONNECTED.
 */
#include "t.h"

static uint8_t rbuf[512] __attribute__((aligned(8)));
static uint8_t cres[256] __attribute__((aligned(8)));
static uint8_t res[256] __attribute__((aligned(8)));

/* A kernel method that returns one cap (in cqe.cap0). */
static uint32_t call_for_cap(uint32_t cap, uint16_t method)
{
    struct ring_cqe c = raw(raw_call(cap, method, 0, 0, (uintptr_t)res, sizeof res));
    CHECK(c.result >= 0);
    CHECK_EQ(c.cap_count, 1);
    return c.cap0.cap_id;
}

int main(void)
{
    struct capos_ring *r = capos_rt_ring();
    uint32_t sp = t_cap("spawner"), con = t_cap("console");
    uint32_t ep = call_for_cap(sp, CAPOS_PROCESS_SPAWNER_METHOD_NEW_ENDPOINT);
    uint32_t cl = call_for_cap(ep, CAPOS_ENDPOINT_METHOD_MAKE_CLIENT);
    static const char msg[16] = "hello, server!!";
    struct ring_xfer x = {.cap_id = con, .mode = XFER_COPY};
    struct ring_sqe call = raw_call(cl, 7, (uintptr_t)msg, sizeof msg,
                                    (uintptr_t)cres, sizeof cres);
    call.user_data = 42;
    call.xfer_count = 1;
    call.xfer_addr = (uintptr_t)&x;
    CHECK_EQ(capos_ring_submit(r, &call), ERR_OK);
    capos_ring_flush(r);
    struct ring_sqe recv = {.opcode = RING_OP_RECV, .cap_id = ep,
                            .result_addr = (uintptr_t)rbuf, .result_len = sizeof rbuf};
    struct ring_cqe rc = raw(recv);
    CHECK(rc.result > 0);
    CHECK_EQ(rc.aux, 7);
    struct ring_recv_info info;
    memcpy(&info, rbuf, sizeof info);
    CHECK_EQ(info.msg_len, sizeof msg);
    CHECK_EQ(info.method_id, 7);
    CHECK_EQ(info.cap_count, 1);
    CHECK(info.session != 0);
    CHECK(!memcmp(rbuf + sizeof info, msg, sizeof msg));
    struct ring_cap_rec rec;
    memcpy(&rec, rbuf + sizeof info + 16, sizeof rec);
    CHECK_EQ(rec.iface_lo, (uint32_t)CAPOS_CONSOLE_INTERFACE_ID);
    CHECK(capos_console_puts_line(CAPOS_HANDLE(capos_console, rec.cap_id), "IPC0001: via transferred console") == ERR_OK);
    static const char reply[8] = "thanks!";
    struct ring_sqe ret = {.opcode = RING_OP_RETURN, .cap_id = ep,
                           .call_id = rc.call_id, .addr = (uintptr_t)reply,
                           .len = sizeof reply};
    CHECK_EQ(raw(ret).result, 0);
    struct ring_cqe cc;
    CHECK_EQ(capos_ring_wait(r, 42, CAP_ENTER_NO_TIMEOUT, &cc), ERR_OK);
    CHECK_EQ(cc.result, sizeof reply);
    CHECK(!memcmp(cres, reply, sizeof reply));
    /* A queued call fails DISCONNECTED when the endpoint goes away. */
    call.user_data = 43;
    call.xfer_count = 0;
    call.xfer_addr = 0;
    CHECK_EQ(capos_ring_submit(r, &call), ERR_OK);
    capos_ring_flush(r);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_ring_wait(r, 43, CAP_ENTER_NO_TIMEOUT, &cc), ERR_OK);
    CHECK_EQ(cc.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(cc.aux, ERR_DISCONNECTED);
    CHECK_EQ(capos_release(rec.cap_id), ERR_OK);
    CHECK_EQ(capos_release(cl), ERR_OK);
    return t_result();
}
