/* SPDX-License-Identifier: MIT */
/*
 * exception.h - decoding a CapException from a failed call.
 *
 * Theory of operation: when a method fails, the kernel (or a server)
 * answers with CQE result CAP_ERR_APPLICATION_EXCEPTION and writes a
 * serialized capos.capnp CapException {type, message, code} into the
 * caller's result buffer; cqe.aux carries the code as well.  If the
 * exception does not fit, the result is ..._TRUNCATED and only aux is
 * known.  capos_exception_decode() turns either into a plain struct with
 * the message copied into a fixed buffer.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPOS_EXCEPTION_MSG_MAX 128

struct capos_exception {
    uint32_t type;         /* capos_exception_type_t (failed, ...) */
    uint16_t code;         /* ERR_* value */
    bool truncated;        /* the payload did not fit the result buffer */
    char message[CAPOS_EXCEPTION_MSG_MAX]; /* NUL-terminated, may be cut */
};

/* Decode the exception of `cqe` from result_buf[buf_len] (the buffer given
 * to the call).  ERR_INVAL if cqe is not an exception completion;
 * ERR_BADFORMAT if the payload is malformed (ex still gets code = aux);
 * ERR_OK otherwise, including the truncated case (ex->truncated set,
 * type failed, code = aux, empty message). */
err_t capos_exception_decode(const struct ring_cqe *cqe,
                             const void *result_buf, size_t buf_len,
                             struct capos_exception *ex);
