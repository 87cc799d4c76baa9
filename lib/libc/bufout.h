/* SPDX-License-Identifier: MIT */
/*
 * bufout.h - the buffered writer behind stdout (portable: host-tested).
 *
 * Theory of operation: characters collect in a fixed buffer and go to a
 * sink function in one piece when a newline is written, when the buffer is
 * full, or on an explicit flush (stdio flushes at exit).  Formatting uses
 * the shared printf engine (common/fmt.h) one character at a time into the
 * buffer, so printf never allocates.  A sink failure is remembered
 * (`err`) and the buffered bytes are dropped, so a broken console cannot
 * wedge the program.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define CAPOS_BUFOUT_SIZE 512u

/* Receives buffered output; returns 0 or a capOS error. */
typedef int (*capos_sink_fn)(void *ctx, const char *data, size_t len);

struct capos_bufout {
    capos_sink_fn sink;
    void *ctx;
    size_t len;                    /* bytes in buf */
    int err;                       /* first sink error, 0 if none */
    int line_buffered;             /* flush on '\n' */
    char buf[CAPOS_BUFOUT_SIZE];
};

/* Set up an empty, line-buffered writer. */
void capos_bufout_init(struct capos_bufout *b, capos_sink_fn sink, void *ctx);
/* Send the buffered bytes to the sink; returns 0 or the sink's error. */
int capos_bufout_flush(struct capos_bufout *b);
/* Append one character (flushes on '\n' or full). */
void capos_bufout_putc(struct capos_bufout *b, char c);
/* Append s[n]. */
void capos_bufout_write(struct capos_bufout *b, const char *s, size_t n);
/* printf into the writer; returns the number of characters produced. */
int capos_bufout_vprintf(struct capos_bufout *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
