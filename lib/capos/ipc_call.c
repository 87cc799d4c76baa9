/* SPDX-License-Identifier: MIT */
/*
 * ipc_call.c - CALL with a capability transfer list, and adoption of the
 * capabilities a result delivers (see capos/ipc.h).
 *
 * Theory of operation: the result buffer of a call that returns caps is
 * "message | pad to 8 | ring_cap_rec[cap_count]".  The message's framed
 * size comes from its own segment table (always a multiple of 8), so the
 * records are found without trusting cqe.result to mean either "message
 * only" or "message + records".  A single result cap is always in
 * cqe.cap0, so a kernel method that returns one cap works even if it does
 * not copy the record into the buffer.
 */
#include <capos.capnp.h>
#include <capos/ipc.h>
#include <capos/rt.h>
#include <common/string.h>

#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)

/* One CALL with transfers on r, waited for. */
err_t capos_ring_call_xfer(struct capos_ring *r, uint32_t cap_id,
                           uint16_t method, const void *params,
                           uint32_t params_len, const struct ring_xfer *xfer,
                           uint32_t nxfer, void *result, uint32_t result_len,
                           struct ring_cqe *out)
{
    struct ring_sqe sqe;
    struct ring_cqe cqe;
    err_t e;

    if (nxfer > RING_MAX_XFER)
        return ERR_RANGE;
    capnpc_sqe_call(&sqe, cap_id, method, params_len ? params : NULL,
                    params_len, result_len ? result : NULL, result_len);
    if (nxfer > 0) {
        sqe.xfer_count = (uint16_t)nxfer;
        sqe.xfer_addr = (uint64_t)(uintptr_t)xfer;
    }
    if ((e = capos_ring_call_sqe(r, &sqe, &cqe)) != ERR_OK)
        return e;
    if (out)
        *out = cqe;
    return capos_cqe_err(&cqe);
}

/* capos_ring_call_xfer on the process ring. */
err_t capos_call_xfer(uint32_t cap_id, uint16_t method, const void *params,
                      uint32_t params_len, const struct ring_xfer *xfer,
                      uint32_t nxfer, void *result, uint32_t result_len,
                      struct ring_cqe *out)
{
    return capos_ring_call_xfer(capos_rt_ring(), cap_id, method, params,
                                params_len, xfer, nxfer, result, result_len,
                                out);
}

/* Open buf[len] as a message with a cap table of ncaps entries. */
static err_t open_msg(struct capos_msg_caps *m, const void *buf, size_t len,
                      uint32_t ncaps)
{
    struct capnp_read_opts o;

    memset(&o, 0, sizeof(o));
    o.cap_count = ncaps;
    return capnp_msg_init(&m->msg, buf, len, &o) == CAPNP_OK ? ERR_OK
                                                              : ERR_BADFORMAT;
}

/* Point m->caps at the records after the message (or at cap0 alone). */
static err_t find_records(struct capos_msg_caps *m, const void *buf,
                          size_t len)
{
    size_t off = ALIGN8(m->msg.bytes);
    const struct ring_cap_rec *rec;

    if (m->ncaps == 0)
        return ERR_OK;
    if (m->ncaps == 1) {
        m->caps = &m->cap0;
        return ERR_OK;
    }
    if (off > len || (len - off) / sizeof(*rec) < m->ncaps)
        return ERR_BADFORMAT;
    rec = (const struct ring_cap_rec *)(const void *)((const char *)buf + off);
    if (rec[0].cap_id != m->cap0.cap_id || rec[0].iface_lo != m->cap0.iface_lo)
        return ERR_BADFORMAT;
    m->caps = rec;
    return ERR_OK;
}

/* Open a CALL result with its delivered caps. */
err_t capos_msg_caps_open_result(struct capos_msg_caps *m,
                                 const struct ring_cqe *cqe, const void *buf,
                                 size_t len)
{
    err_t e;

    memset(m, 0, sizeof(*m));
    if (cqe->result < 0)
        return ERR_INVAL;
    m->ncaps = cqe->cap_count;
    m->cap0 = cqe->cap0;
    if (m->ncaps > 32)
        return ERR_BADFORMAT;
    if ((size_t)cqe->result > len)
        return ERR_BADFORMAT;
    if ((e = open_msg(m, buf, len, m->ncaps)) != ERR_OK)
        return e;
    return find_records(m, buf, len);
}

/* Adopt record index after an interface check. */
err_t capos_msg_caps_take(struct capos_msg_caps *m, uint32_t index,
                          uint64_t iface, uint32_t *cap_id)
{
    if (index == CAPNP_CAP_NULL || index >= m->ncaps)
        return ERR_NOTFOUND;
    if (m->taken & (1u << index))
        return ERR_BUSY;
    if (m->caps[index].iface_lo != (uint32_t)iface)
        return ERR_WRONGTYPE;
    m->taken |= 1u << index;
    *cap_id = m->caps[index].cap_id;
    return ERR_OK;
}

/* Release what was not adopted. */
err_t capos_msg_caps_release_rest(struct capos_msg_caps *m)
{
    err_t first = ERR_OK;

    for (uint32_t i = 0; i < m->ncaps; i++) {
        err_t e;
        if (m->taken & (1u << i))
            continue;
        m->taken |= 1u << i;
        if ((e = capos_release(m->caps[i].cap_id)) != ERR_OK &&
            first == ERR_OK)
            first = e;
    }
    return first;
}
