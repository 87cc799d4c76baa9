/* SPDX-License-Identifier: MIT */
/*
 * call.c - synchronous CALL and RELEASE on a ring client, and the mapping
 * of completion results to capOS error codes.
 *
 * Theory of operation: a transport error (negative CQE result) carries the
 * capOS error in cqe.aux when the kernel knows one (INVOKE_FAILED:
 * BADCAP/REVOKED/...; APPLICATION_EXCEPTION[_TRUNCATED]: the exception's
 * code).  Otherwise the transport code itself is mapped (INVALID_REQUEST ->
 * INVAL, buffer errors -> FAULT, UNSUPPORTED_OPCODE -> NOSYS), so callers
 * handle one error space.  The CQE stays available for detail.
 */
#include <capos.capnp.h>
#include <capos/rt.h>
#include <common/string.h>

/* capOS error for a transport code without aux. */
static err_t transport_err(int32_t result)
{
    switch (result) {
    case CAP_ERR_INVALID_REQUEST:
        return ERR_INVAL;
    case CAP_ERR_INVALID_PARAMS_BUFFER:
    case CAP_ERR_INVALID_RESULT_BUFFER:
        return ERR_FAULT;
    case CAP_ERR_UNSUPPORTED_OPCODE:
        return ERR_NOSYS;
    case CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED:
        return ERR_TOOSMALL;
    default:
        return ERR_INVAL;
    }
}

/* The capOS error a completion stands for (ERR_OK if result >= 0). */
err_t capos_cqe_err(const struct ring_cqe *cqe)
{
    if (cqe->result >= 0)
        return ERR_OK;
    if (cqe->aux != 0 && cqe->aux < ERR__COUNT)
        return (err_t)cqe->aux;
    return transport_err(cqe->result);
}

/* One CALL on r, waited for. */
err_t capos_ring_call(struct capos_ring *r, uint32_t cap_id, uint16_t method,
                      const void *params, uint32_t params_len, void *result,
                      uint32_t result_len, struct ring_cqe *out)
{
    struct ring_sqe sqe;
    struct ring_cqe cqe;
    err_t e;

    capnpc_sqe_call(&sqe, cap_id, method, params_len ? params : NULL,
                    params_len, result_len ? result : NULL, result_len);
    if ((e = capos_ring_call_sqe(r, &sqe, &cqe)) != ERR_OK)
        return e;
    if (out)
        *out = cqe;
    return capos_cqe_err(&cqe);
}

/* One RELEASE on r, waited for. */
err_t capos_ring_release(struct capos_ring *r, uint32_t cap_id)
{
    struct ring_sqe sqe;
    struct ring_cqe cqe;
    err_t e;

    memset(&sqe, 0, sizeof(sqe));
    sqe.opcode = RING_OP_RELEASE;
    sqe.cap_id = cap_id;
    if ((e = capos_ring_call_sqe(r, &sqe, &cqe)) != ERR_OK)
        return e;
    return capos_cqe_err(&cqe);
}
