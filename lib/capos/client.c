/* SPDX-License-Identifier: MIT */
/*
 * client.c - one call's life for the generated client stubs: params in
 * the front of the caller's buffer, results behind them, the completion
 * matched by a user_data of its own, exceptions kept in the reply (see
 * capos/client.h).
 */
#include <capos.capnp.h>
#include <capos/client.h>
#include <capos/rt.h>
#include <common/string.h>

void capos_reply_init(struct capos_reply *r, uint64_t *buf, uint32_t words)
{
    memset(r, 0, sizeof(*r));
    r->buf = buf;
    r->words = words;
}

struct capnp_builder *capos_reply_begin(struct capos_reply *r)
{
    r->nxfer = 0;
    r->xfer_overflow = false;
    r->submitted = false;
    r->param_words = 0;
    r->ex.message[0] = 0;
    memset(&r->res, 0, sizeof(r->res));
    /* Leave room for the smallest results behind the params (half of a
     * small buffer). */
    uint32_t keep = r->words / 2 < CAPOS_REPLY_MIN_RESULT_WORDS
                        ? r->words / 2
                        : CAPOS_REPLY_MIN_RESULT_WORDS;
    uint32_t n = r->words - keep >= 2 ? r->words - keep : 2;
    return capos_msg_begin(&r->m, r->buf, n);
}

uint32_t capos_reply_cap(struct capos_reply *r, uint32_t cap, uint32_t mode)
{
    if (r->nxfer >= RING_MAX_XFER) {
        r->xfer_overflow = true;
        return CAPNP_CAP_NULL;
    }
    r->xfer[r->nxfer] = (struct ring_xfer){.cap_id = cap, .mode = mode};
    return r->nxfer++;
}

err_t capos_reply_submit(struct capos_reply *r, uint32_t cap, uint64_t iface,
                         uint16_t method)
{
    struct capos_ring *ring = capos_rt_ring();
    struct ring_sqe sqe;
    err_t e;

    if (r->xfer_overflow)
        return ERR_RANGE;
    if ((e = capos_msg_finish(&r->m)) != ERR_OK)
        return e;
    r->param_words = r->m.len / 8;
    capnpc_sqe_call(&sqe, cap, method, r->buf, r->m.len,
                    r->buf + r->param_words,
                    (r->words - r->param_words) * 8u);
    sqe.iface_lo = (uint32_t)iface;
    if (r->nxfer) {
        sqe.xfer_count = (uint16_t)r->nxfer;
        sqe.xfer_addr = (uint64_t)(uintptr_t)r->xfer;
    }
    sqe.user_data = r->user_data = capos_ring_user_data(ring);
    if ((e = capos_ring_submit(ring, &sqe)) != ERR_OK)
        return e;
    r->submitted = true;
    return ERR_OK;
}

err_t capos_reply_wait(struct capos_reply *r)
{
    err_t e;

    if (!r->submitted)
        return ERR_INVAL;
    e = capos_ring_wait(capos_rt_ring(), r->user_data, CAP_ENTER_NO_TIMEOUT,
                        &r->cqe);
    if (e == ERR_OK)
        r->submitted = false;
    return e;
}

/* Keep the exception of a failed call; returns its code. */
static err_t keep_exception(struct capos_reply *r, err_t e)
{
    size_t len = (r->words - r->param_words) * 8u;

    if (capos_exception_decode(&r->cqe, r->buf + r->param_words, len,
                               &r->ex) == ERR_OK && r->ex.code &&
        r->ex.code < ERR__COUNT)
        return (err_t)r->ex.code;
    r->ex.message[0] = 0;
    return e;
}

err_t capos_reply_open(struct capos_reply *r)
{
    err_t e = capos_cqe_err(&r->cqe);
    size_t len = (r->words - r->param_words) * 8u;

    if (e != ERR_OK)
        return keep_exception(r, e);
    return capos_msg_caps_open_result(&r->res, &r->cqe,
                                      r->buf + r->param_words, len);
}

err_t capos_reply_take(struct capos_reply *r, uint32_t index, uint64_t iface,
                       bool only, uint32_t *cap)
{
    if (only && index == CAPNP_CAP_NULL && r->res.ncaps == 1)
        index = 0;
    /* A ClientEndpoint result is a facet minted for any interface (its
     * record says which): Endpoint.makeClient(interfaceId). */
    if (iface == CAPOS_CLIENT_ENDPOINT_INTERFACE_ID && index < r->res.ncaps)
        iface = r->res.caps[index].iface_lo;
    return capos_msg_caps_take(&r->res, index, iface, cap);
}

err_t capos_reply_end(struct capos_reply *r, err_t e)
{
    if (e == ERR_OK && capnp_msg_error(&r->res.msg) != CAPNP_OK)
        e = ERR_BADFORMAT;
    (void)capos_msg_caps_release_rest(&r->res);
    return e;
}

const char *capos_reply_message(const struct capos_reply *r)
{
    return r->ex.message;
}
