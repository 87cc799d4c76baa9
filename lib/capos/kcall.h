/* SPDX-License-Identifier: MIT */
/*
 * kcall.h - internal helpers of the typed kernel-cap wrappers (console.c,
 * kcaps.c): send a built params message and open the result message.
 */
#pragma once

#include <capos/msg.h>
#include <capos/rt.h>

/* Result buffer words for methods with small results (and exceptions). */
#define KCALL_SMALL_RESULT_WORDS 32

/* Frame m, call `method` of cap with result buffer res[res_len], and on
 * success open the result in *out (may be NULL).  ERR_* as capos_call,
 * ERR_BADFORMAT for an unreadable result. */
err_t kcall(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
            void *res, uint32_t res_len, struct capnp_msg *out);
