/* SPDX-License-Identifier: MIT */
/*
 * serialc.c - Serial client (see serialc.h).
 */
#include <capos/capos.h>
#include <string.h>

#include "serialc.h"

#define WRITE_CHUNK 4096u

err_t serialc_read_submit(struct serialc_read *rd, uint32_t cap, uint32_t max,
                          uint64_t timeout_ns, uint64_t ud)
{
    struct capos_msgbuf m;
    struct ring_sqe sqe;
    capos_serial_read_params_b p = capos_serial_read_params_init_root(
        capos_msg_begin(&m, rd->params, 8));
    err_t e;

    capos_serial_read_params_set_max_bytes(p, max);
    capos_serial_read_params_set_timeout_ns(p, timeout_ns);
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    capos_serial_read_call(&sqe, cap, m.words, m.len, rd->result,
                           sizeof rd->result);
    sqe.user_data = rd->user_data = ud;
    if ((e = capos_ring_submit(capos_rt_ring(), &sqe)) != ERR_OK)
        return e;
    return capos_ring_flush(capos_rt_ring());
}

err_t serialc_read_parse(struct serialc_read *rd, const struct ring_cqe *cqe,
                         uint8_t *out, uint32_t cap, uint32_t *n,
                         uint64_t *dropped)
{
    struct capnp_msg msg;
    err_t e = capos_cqe_err(cqe);

    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_read(&msg, rd->result, (size_t)cqe->result)) != ERR_OK)
        return e;
    capos_serial_read_results_r r = capos_serial_read_results_read_root(&msg);
    struct capnp_data d = capos_serial_read_results_get_data(r);
    uint64_t dr = capos_serial_read_results_get_dropped(r);
    if (capnp_msg_error(&msg) != CAPNP_OK || d.len > cap)
        return ERR_BADFORMAT;
    memcpy(out, d.ptr, d.len);
    *n = d.len;
    if (dropped)
        *dropped = dr;
    return ERR_OK;
}

err_t serialc_write(uint32_t cap, const void *data, uint32_t len)
{
    static uint64_t w[WRITE_CHUNK / 8 + 8];
    uint64_t rw[8];
    const uint8_t *p = data;

    while (len) {
        uint32_t n = len < WRITE_CHUNK ? len : WRITE_CHUNK;
        struct capos_msgbuf m;
        capos_serial_write_params_b b = capos_serial_write_params_init_root(
            capos_msg_begin(&m, w, sizeof w / 8));
        err_t e;
        capos_serial_write_params_set_data(b, p, n);
        if ((e = capos_msg_finish(&m)) != ERR_OK)
            return e;
        e = capos_call(cap, CAPOS_SERIAL_METHOD_WRITE, m.words, m.len, rw,
                       sizeof rw, NULL);
        if (e != ERR_OK)
            return e;
        p += n;
        len -= n;
    }
    return ERR_OK;
}

err_t serialc_stats(uint32_t cap, uint64_t *received, uint64_t *dropped,
                    uint32_t *buffered)
{
    uint64_t pw[8], rw[16];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    err_t e;

    capos_serial_stats_params_init_root(capos_msg_begin(&m, pw, 8));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    e = capos_call(cap, CAPOS_SERIAL_METHOD_STATS, m.words, m.len, rw,
                   sizeof rw, &cqe);
    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_read(&msg, rw, (size_t)cqe.result)) != ERR_OK)
        return e;
    capos_serial_stats_results_r r = capos_serial_stats_results_read_root(&msg);
    *received = capos_serial_stats_results_get_received(r);
    *dropped = capos_serial_stats_results_get_dropped(r);
    *buffered = capos_serial_stats_results_get_buffered(r);
    return capnp_msg_error(&msg) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}
