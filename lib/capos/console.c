/* SPDX-License-Identifier: MIT */
/*
 * console.c - Console conveniences over the generated stubs: writes of
 * any length (split into CAPOS_CONSOLE_CHUNK calls, well below the
 * kernel's per-call limit) and C strings.
 */
#include <capos/capos.h>
#include <common/string.h>

/* Console.write of data[len], chunked. */
err_t capos_console_write_all(struct capos_console con, const void *data,
                              size_t len)
{
    const char *p = data;

    while (len > 0) {
        size_t n = len > CAPOS_CONSOLE_CHUNK ? CAPOS_CONSOLE_CHUNK : len;
        err_t e = capos_console_write(con, p, n, NULL);
        if (e != ERR_OK)
            return e;
        p += n;
        len -= n;
    }
    return ERR_OK;
}

/* Console.write of a C string. */
err_t capos_console_puts(struct capos_console con, const char *s)
{
    return capos_console_write_all(con, s, strlen(s));
}

/* Console.writeLine of a C string. */
err_t capos_console_puts_line(struct capos_console con, const char *s)
{
    return capos_console_write_line(con, s, strlen(s), NULL);
}
