/* SPDX-License-Identifier: MIT */
/*
 * exception.c - decode the CapException payload of a failed call (see
 * capos/exception.h).
 *
 * Theory of operation: the result size of an exception completion is not
 * reported (result is the negative transport code), so the whole result
 * buffer is offered to the reader; the framing says how much is used.
 * cqe.aux is the authoritative code when the payload is cut or malformed.
 */
#include <capos.capnp.h>
#include <capos/exception.h>
#include <capos/msg.h>
#include <common/string.h>

/* Fill ex with what aux alone tells. */
static void from_aux(const struct ring_cqe *cqe, struct capos_exception *ex)
{
    memset(ex, 0, sizeof(*ex));
    ex->type = CAPOS_EXCEPTION_TYPE_FAILED;
    ex->code = (uint16_t)cqe->aux;
}

/* Decode the exception of cqe from result_buf. */
err_t capos_exception_decode(const struct ring_cqe *cqe,
                             const void *result_buf, size_t buf_len,
                             struct capos_exception *ex)
{
    struct capnp_msg msg;
    capos_cap_exception_r r;
    struct capnp_text text;

    if (cqe->result != CAP_ERR_APPLICATION_EXCEPTION &&
        cqe->result != CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED)
        return ERR_INVAL;
    from_aux(cqe, ex);
    if (cqe->result == CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED) {
        ex->truncated = true;
        return ERR_OK;
    }
    if (!result_buf || capos_msg_read(&msg, result_buf, buf_len) != ERR_OK)
        return ERR_BADFORMAT;
    r = capos_cap_exception_read_root(&msg);
    text = capos_cap_exception_get_message(r);
    if (capnp_msg_error(&msg) != CAPNP_OK)
        return ERR_BADFORMAT;
    ex->type = capos_cap_exception_get_type(r);
    ex->code = capos_cap_exception_get_code(r);
    strlcpy(ex->message, text.str ? text.str : "", sizeof(ex->message));
    return ERR_OK;
}
