/* SPDX-License-Identifier: MIT */
/*
 * console.c - Console capability wrappers: write (split into chunks of
 * CAPOS_CONSOLE_CHUNK bytes, well below the kernel's per-call limit) and
 * writeLine.
 */
#include <capos.capnp.h>
#include <capos/kcaps.h>
#include <common/string.h>

#include "kcall.h"

/* Words for params carrying CAPOS_CONSOLE_CHUNK bytes: table, root
 * pointer, struct pointer section, text/data words (+ NUL). */
#define CONSOLE_PARAM_WORDS (4 + CAPOS_CONSOLE_CHUNK / 8 + 1)

/* One Console.write call of at most CAPOS_CONSOLE_CHUNK bytes. */
static err_t write_chunk(uint32_t cap, const void *data, uint32_t len)
{
    uint64_t pw[CONSOLE_PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    capos_console_write_params_b p =
        capos_console_write_params_init_root(
            capos_msg_begin(&m, pw, CONSOLE_PARAM_WORDS));

    capos_console_write_params_set_data(p, data, len);
    return kcall(cap, CAPOS_CONSOLE_METHOD_WRITE, &m, rw, sizeof(rw), NULL);
}

/* Console.write of data[len], chunked. */
err_t capos_console_write(uint32_t cap, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        uint32_t n = len > CAPOS_CONSOLE_CHUNK ? CAPOS_CONSOLE_CHUNK
                                               : (uint32_t)len;
        err_t e = write_chunk(cap, p, n);
        if (e != ERR_OK)
            return e;
        p += n;
        len -= n;
    }
    return ERR_OK;
}

/* Console.write of a C string. */
err_t capos_console_puts(uint32_t cap, const char *s)
{
    return capos_console_write(cap, s, strlen(s));
}

/* Console.writeLine of a C string of at most CAPOS_CONSOLE_CHUNK bytes. */
err_t capos_console_write_line(uint32_t cap, const char *s)
{
    uint64_t pw[CONSOLE_PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    size_t len = strlen(s);
    capos_console_write_line_params_b p;

    if (len > CAPOS_CONSOLE_CHUNK)
        return ERR_RANGE;
    p = capos_console_write_line_params_init_root(
        capos_msg_begin(&m, pw, CONSOLE_PARAM_WORDS));
    capos_console_write_line_params_set_text(p, s, (uint32_t)len);
    return kcall(cap, CAPOS_CONSOLE_METHOD_WRITE_LINE, &m, rw, sizeof(rw),
                 NULL);
}
