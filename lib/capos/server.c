/* SPDX-License-Identifier: MIT */
/*
 * server.c - the server side of endpoints: RECV, parsing of the receive
 * buffer, RETURN and CapException replies (see capos/ipc.h).
 *
 * Theory of operation: a RECV completion's buffer is
 *     ring_recv_info (24 bytes) | params (msg_len) | pad to 8 |
 *     ring_cap_rec[cap_count]
 * and cqe.result is the total.  Every length in the header is checked
 * against the completion and the buffer before anything is read, so a
 * confused kernel (or a test double) yields ERR_BADFORMAT, not a wild
 * read.  The params message is opened with the cap records as its
 * capability table.
 */
#include <capos.capnp.h>
#include <capos/ipc.h>
#include <capos/msg.h>
#include <capos/rt.h>
#include <common/string.h>

#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)
#define EXC_WORDS 32   /* CapException payload: 256 bytes */

/* A framed one-segment message whose root is a null pointer. */
static const uint64_t empty_msg[2] = {0x0000000100000000ull, 0};

/* Submit a RECV without waiting. */
err_t capos_server_recv_submit(uint32_t ep_cap, void *buf, uint32_t len,
                               uint64_t user_data)
{
    struct ring_sqe sqe;
    err_t e;

    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RECV;
    sqe.cap_id = ep_cap;
    sqe.result_addr = (uint64_t)(uintptr_t)buf;
    sqe.result_len = len;
    sqe.user_data = user_data;
    if ((e = capos_ring_submit(capos_rt_ring(), &sqe)) != ERR_OK)
        return e;
    return capos_ring_flush(capos_rt_ring());
}

/* Check the info header against the completion and the buffer. */
static err_t check_layout(const struct ring_cqe *cqe,
                          const struct ring_recv_info *info, uint32_t len,
                          size_t *rec_off)
{
    size_t total = (size_t)cqe->result, off;

    if (total > len || total < sizeof(*info))
        return ERR_BADFORMAT;
    if (info->msg_len > total - sizeof(*info))
        return ERR_BADFORMAT;
    off = ALIGN8(sizeof(*info) + (size_t)info->msg_len);
    if (info->cap_count > 32 || off > total ||
        (total - off) / sizeof(struct ring_cap_rec) < info->cap_count)
        return ERR_BADFORMAT;
    *rec_off = off;
    return ERR_OK;
}

/* Parse a RECV completion. */
err_t capos_server_parse(const struct ring_cqe *cqe, const void *buf,
                         uint32_t len, struct capos_request *req)
{
    const struct ring_recv_info *info = buf;
    struct capnp_read_opts o;
    size_t rec_off;
    err_t e;

    memset(req, 0, sizeof(*req));
    if (cqe->result < 0)
        return capos_cqe_err(cqe);
    if ((e = check_layout(cqe, info, len, &rec_off)) != ERR_OK)
        return e;
    req->session = info->session;
    if (cqe->flags & CQE_F_PEER_EVENT) {
        req->event = cqe->aux ? cqe->aux : RING_EVENT_NO_CLIENTS;
        return info->msg_len || info->cap_count ? ERR_BADFORMAT : ERR_OK;
    }
    req->call_id = cqe->call_id;
    req->method = info->method_id;
    req->caller_pid = info->caller_pid;
    req->params = (const char *)buf + sizeof(*info);
    req->params_len = info->msg_len;
    req->in.ncaps = info->cap_count;
    req->in.caps = (const struct ring_cap_rec *)(const void *)
                   ((const char *)buf + rec_off);
    if (req->in.ncaps)
        req->in.cap0 = req->in.caps[0];
    memset(&o, 0, sizeof(o));
    o.cap_count = info->cap_count;
    if (req->params_len == 0) /* default params: an empty root struct */
        (void)capnp_msg_init(&req->in.msg, empty_msg, sizeof(empty_msg), &o);
    /* A bad message is the caller's fault: the error stays in the msg. */
    else if (capnp_msg_init(&req->in.msg, req->params, req->params_len, &o) !=
                 CAPNP_OK &&
             capnp_msg_error(&req->in.msg) == CAPNP_OK)
        capnp_msg_fail(&req->in.msg, CAPNP_E_TRUNCATED_HEADER);
    return ERR_OK;
}

/* RECV and wait for one call. */
err_t capos_server_recv(uint32_t ep_cap, void *buf, uint32_t len,
                        struct capos_request *req)
{
    struct capos_ring *r = capos_rt_ring();
    uint64_t ud = capos_ring_user_data(r);
    struct ring_cqe cqe;
    err_t e;

    if ((e = capos_server_recv_submit(ep_cap, buf, len, ud)) != ERR_OK)
        return e;
    if ((e = capos_ring_wait(r, ud, CAP_ENTER_NO_TIMEOUT, &cqe)) != ERR_OK)
        return e;
    return capos_server_parse(&cqe, buf, len, req);
}

/* RETURN with an explicit payload kind. */
err_t capos_server_return_raw(uint32_t ep_cap, uint32_t call_id,
                              const void *reply, uint32_t len,
                              const struct ring_xfer *xfer, uint32_t nxfer,
                              enum capos_return_kind kind)
{
    struct ring_sqe sqe;
    struct ring_cqe cqe;
    err_t e;

    if (nxfer > RING_MAX_XFER)
        return ERR_RANGE;
    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RETURN;
    sqe.cap_id = ep_cap;
    sqe.call_id = call_id;
    sqe.addr = len ? (uint64_t)(uintptr_t)reply : 0;
    sqe.len = len;
    sqe.flags = kind == CAPOS_RETURN_EXCEPTION ? SQE_F_RETURN_EXCEPTION : 0;
    if (nxfer) {
        sqe.xfer_count = (uint16_t)nxfer;
        sqe.xfer_addr = (uint64_t)(uintptr_t)xfer;
    }
    if ((e = capos_ring_call_sqe(capos_rt_ring(), &sqe, &cqe)) != ERR_OK)
        return e;
    if (cqe.result >= 0 && cqe.aux == ERR_DISCONNECTED)
        return ERR_DISCONNECTED;
    return capos_cqe_err(&cqe);
}

/* RETURN of a results struct. */
err_t capos_server_return(uint32_t ep_cap, uint32_t call_id,
                          const void *reply, uint32_t len,
                          const struct ring_xfer *xfer, uint32_t nxfer)
{
    return capos_server_return_raw(ep_cap, call_id, reply, len, xfer, nxfer,
                                   CAPOS_RETURN_RESULTS);
}

/* ExceptionType for an error code. */
uint32_t capos_exception_type_of(err_t code)
{
    switch (code) {
    case ERR_NOMEM: case ERR_QUOTA: case ERR_FULL: case ERR_BUSY:
        return CAPOS_EXCEPTION_TYPE_OVERLOADED;
    case ERR_REVOKED: case ERR_DISCONNECTED:
        return CAPOS_EXCEPTION_TYPE_DISCONNECTED;
    case ERR_NOSYS:
        return CAPOS_EXCEPTION_TYPE_UNIMPLEMENTED;
    case ERR_INVAL: case ERR_RANGE: case ERR_FAULT: case ERR_BADFORMAT:
    case ERR_OVERFLOW: case ERR_WRONGTYPE: case ERR_BADCAP: case ERR_TOOSMALL:
        return CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT;
    default:
        return CAPOS_EXCEPTION_TYPE_FAILED;
    }
}

/* Build a framed CapException. */
err_t capos_exception_build(uint64_t *words, uint32_t n, err_t code,
                            const char *message, uint32_t *len)
{
    struct capos_msgbuf m;
    capos_cap_exception_b x =
        capos_cap_exception_init_root(capos_msg_begin(&m, words, n));
    err_t e;

    capos_cap_exception_set_type(x, capos_exception_type_of(code));
    capos_cap_exception_set_code(x, (uint16_t)code);
    if (message)
        capos_cap_exception_set_message(x, message,
                                        (uint32_t)strlen(message));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    *len = m.len;
    return ERR_OK;
}

/* RETURN a CapException. */
err_t capos_server_return_error(uint32_t ep_cap, uint32_t call_id,
                                err_t code, const char *message)
{
    uint64_t w[EXC_WORDS];
    uint32_t len;
    err_t e;

    if ((e = capos_exception_build(w, EXC_WORDS, code, message, &len)) !=
        ERR_OK)
        return e;
    return capos_server_return_raw(ep_cap, call_id, w, len, NULL, 0,
                                   CAPOS_RETURN_EXCEPTION);
}
