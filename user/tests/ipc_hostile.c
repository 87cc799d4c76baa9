/*
 * ipc_hostile.c - IPC0010: hostile RECV and RETURN.  RECV on a cap that
 * is not an Endpoint (a client facet, a timer) is WRONGTYPE; RECV into a
 * buffer too small for the waiting call fails INVALID_RESULT_BUFFER and
 * the call stays queued (a later RECV gets it); RECV into an unmapped or
 * kernel buffer likewise; a second RECV while one is parked is BUSY;
 * RETURN with an unknown call id is NOTFOUND, with a bad payload buffer
 * INVALID_PARAMS_BUFFER (the call can still be answered), and twice is
 * NOTFOUND.  Nothing is lost: the CALL completes exactly once.
 */
#include <capos/spawn.h>
#include "t.h"

static uint64_t buf[64];
static uint64_t res[16];

static struct ring_cqe recv_into(uint32_t ep, uint64_t addr, uint32_t len)
{
    return raw((struct ring_sqe){.opcode = RING_OP_RECV, .cap_id = ep,
                                 .result_addr = addr, .result_len = len});
}

int main(void)
{
    struct capos_ring *r = capos_rt_ring();
    uint32_t sp = t_cap("spawner"), timer = t_cap("timer"), ep = 0, fc = 0;
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, sp), (struct capos_endpoint *)(&ep), NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&fc), NULL), ERR_OK);
    struct ring_cqe c = recv_into(fc, (uintptr_t)buf, sizeof buf);
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_WRONGTYPE);
    CHECK_EQ(recv_into(timer, (uintptr_t)buf, sizeof buf).aux, ERR_WRONGTYPE);
    /* Queue one call with a 64-byte message. */
    static const uint64_t msg[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct ring_sqe call = raw_call(fc, 3, (uintptr_t)msg, sizeof msg,
                                    (uintptr_t)res, sizeof res);
    call.user_data = 77;
    CHECK_EQ(capos_ring_submit(r, &call), ERR_OK);
    capos_ring_flush(r);
    c = recv_into(ep, (uintptr_t)buf, 32);                  /* too small */
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    c = recv_into(ep, 0x10000000ull, 512);                  /* unmapped */
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    c = recv_into(ep, 0xffff800000000000ull, 512);          /* kernel */
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    uint32_t n = 0;
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 1);                                         /* still there */
    c = recv_into(ep, (uintptr_t)buf, sizeof buf);
    CHECK(c.result > 0);
    CHECK_EQ(c.aux, 3);
    uint32_t id = c.call_id;
    struct ring_sqe ret = {.opcode = RING_OP_RETURN, .cap_id = ep,
                           .call_id = id + 1000};
    CHECK_EQ(raw(ret).aux, ERR_NOTFOUND);
    ret.call_id = id;
    ret.addr = 0x10000000ull;
    ret.len = 8;
    CHECK_EQ(raw(ret).result, CAP_ERR_INVALID_PARAMS_BUFFER);
    ret.addr = (uintptr_t)msg;
    CHECK_EQ(raw(ret).result, 0);                           /* answered */
    CHECK_EQ(raw(ret).aux, ERR_NOTFOUND);                   /* not twice */
    struct ring_cqe cc;
    CHECK_EQ(capos_ring_wait(r, 77, CAP_ENTER_NO_TIMEOUT, &cc), ERR_OK);
    CHECK_EQ(cc.result, 8);
    CHECK_EQ(res[0], 1);
    /* A parked RECV makes a second one BUSY; releasing the endpoint
     * completes the parked one with DISCONNECTED. */
    struct ring_sqe rs = {.opcode = RING_OP_RECV, .cap_id = ep,
                          .result_addr = (uintptr_t)buf, .result_len = sizeof buf,
                          .user_data = 88};
    CHECK_EQ(capos_ring_submit(r, &rs), ERR_OK);
    capos_ring_flush(r);
    CHECK_EQ(recv_into(ep, (uintptr_t)buf, sizeof buf).aux, ERR_BUSY);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(capos_ring_wait(r, 88, CAP_ENTER_NO_TIMEOUT, &cc), ERR_OK);
    CHECK_EQ(cc.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(cc.aux, ERR_DISCONNECTED);
    CHECK_EQ(capos_release(fc), ERR_OK);
    return t_result();
}
