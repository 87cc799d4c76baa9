/* SPDX-License-Identifier: MIT */
/*
 * kcall.c - the one path every typed wrapper takes: frame the params built
 * by the generated builders, capos_call(), open the result for the
 * generated readers.
 */
#include "kcall.h"

/* Frame, call, open the result. */
err_t kcall(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
            void *res, uint32_t res_len, struct capnp_msg *out)
{
    struct ring_cqe cqe;
    err_t e;

    if ((e = capos_msg_finish(m)) != ERR_OK)
        return e;
    e = capos_call(cap, method, m->words, m->len, res, res_len, &cqe);
    if (e != ERR_OK || !out)
        return e;
    if ((uint32_t)cqe.result > res_len)
        return ERR_BADFORMAT;
    return capos_msg_read(out, res, (size_t)cqe.result);
}
