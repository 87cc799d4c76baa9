/* SPDX-License-Identifier: MIT */
/*
 * tsclient.c - TerminalSession client (see tsclient.h).
 */
#include <capos/capos.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tsclient.h"

#define CHUNK 4096u

uint32_t tsc_find(const char *name)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        if (!strcmp(e->name, name) &&
            (e->interface_id == CAPOS_TERMINAL_SESSION_INTERFACE_ID ||
             e->interface_id == CAPOS_CLIENT_ENDPOINT_INTERFACE_ID))
            return e->cap_id;
    }
    return 0;
}

err_t tsc_write(uint32_t cap, const void *data, uint32_t len)
{
    static uint64_t w[CHUNK / 8 + 8];
    uint64_t rw[16];
    const uint8_t *p = data;
    while (len) {
        uint32_t n = len < CHUNK ? len : CHUNK;
        struct capos_msgbuf m;
        err_t e;
        capos_terminal_session_write_params_set_data(
            capos_terminal_session_write_params_init_root(
                capos_msg_begin(&m, w, sizeof w / 8)),
            p, n);
        if ((e = capos_msg_finish(&m)) != ERR_OK)
            return e;
        e = capos_call(cap, CAPOS_TERMINAL_SESSION_METHOD_WRITE, m.words,
                       m.len, rw, sizeof rw, NULL);
        if (e != ERR_OK)
            return e;
        p += n;
        len -= n;
    }
    return ERR_OK;
}

err_t tsc_puts(uint32_t cap, const char *s)
{
    return tsc_write(cap, s, (uint32_t)strlen(s));
}

err_t tsc_printf(uint32_t cap, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ERR_INVAL;
    return tsc_write(cap, buf, (uint32_t)n < sizeof buf ? (uint32_t)n
                                                        : sizeof buf - 1);
}

err_t tsc_read_line(uint32_t cap, const char *prompt, char *buf,
                    enum tsc_end *end)
{
    uint64_t w[24], rw[64];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    err_t e;
    capos_terminal_session_read_line_params_set_prompt(
        capos_terminal_session_read_line_params_init_root(
            capos_msg_begin(&m, w, 24)),
        prompt, (uint32_t)strlen(prompt));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    e = capos_call(cap, CAPOS_TERMINAL_SESSION_METHOD_READ_LINE, m.words,
                   m.len, rw, sizeof rw, &cqe);
    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_read(&msg, rw, (size_t)cqe.result)) != ERR_OK)
        return e;
    capos_terminal_session_read_line_results_r r =
        capos_terminal_session_read_line_results_read_root(&msg);
    struct capnp_text t = capos_terminal_session_read_line_results_get_line(r);
    uint32_t k = capos_terminal_session_read_line_results_get_end(r);
    if (capnp_msg_error(&msg) != CAPNP_OK || t.len > TSC_LINE_MAX || k > 2)
        return ERR_BADFORMAT;
    memcpy(buf, t.str, t.len);
    buf[t.len] = 0;
    *end = (enum tsc_end)k;
    return ERR_OK;
}

err_t tsc_wait_interrupt(uint32_t cap, uint32_t *count)
{
    uint64_t w[4], rw[16];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    err_t e;
    capos_terminal_session_wait_interrupt_params_init_root(
        capos_msg_begin(&m, w, 4));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    e = capos_call(cap, CAPOS_TERMINAL_SESSION_METHOD_WAIT_INTERRUPT, m.words,
                   m.len, rw, sizeof rw, &cqe);
    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_read(&msg, rw, (size_t)cqe.result)) != ERR_OK)
        return e;
    *count = capos_terminal_session_wait_interrupt_results_get_count(
        capos_terminal_session_wait_interrupt_results_read_root(&msg));
    return capnp_msg_error(&msg) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}
