/* SPDX-License-Identifier: MIT */
/*
 * bufout.c - buffered writer with line flushing (see bufout.h).
 */
#include <common/fmt.h>

#include "bufout.h"

/* Empty writer bound to sink. */
void capos_bufout_init(struct capos_bufout *b, capos_sink_fn sink, void *ctx)
{
    b->sink = sink;
    b->ctx = ctx;
    b->len = 0;
    b->err = 0;
    b->line_buffered = 1;
}

/* Hand the buffer to the sink. */
int capos_bufout_flush(struct capos_bufout *b)
{
    int e = 0;

    if (b->len > 0 && b->sink)
        e = b->sink(b->ctx, b->buf, b->len);
    if (e && !b->err)
        b->err = e;
    b->len = 0;
    return e;
}

/* Append c; flush on newline or when full. */
void capos_bufout_putc(struct capos_bufout *b, char c)
{
    b->buf[b->len++] = c;
    if (b->len == sizeof(b->buf) || (c == '\n' && b->line_buffered))
        capos_bufout_flush(b);
}

/* Append s[n]. */
void capos_bufout_write(struct capos_bufout *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        capos_bufout_putc(b, s[i]);
}

/* fmt engine sink. */
static void fmt_sink(void *ctx, char c)
{
    capos_bufout_putc(ctx, c);
}

/* Format into the writer. */
int capos_bufout_vprintf(struct capos_bufout *b, const char *fmt, va_list ap)
{
    return fmt_vformat(fmt_sink, b, fmt, ap);
}
