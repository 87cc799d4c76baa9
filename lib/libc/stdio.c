/* SPDX-License-Identifier: MIT */
/*
 * stdio.c - stdout/stderr over the Console capability (target only; the
 * buffering logic is bufout.c, host-tested).
 *
 * Theory of operation: both streams are buffered writers whose sink is
 * Console.write on the CapSet entry "console", looked up on first output.
 * The first use of a stream registers an exit hook with the runtime, so
 * buffered output is flushed when main returns or exit() is called.
 * stderr is flushed at the end of every call, so it is never behind.
 */
#include <capos/capos.h>
#include <common/fmt.h>
#include <stdio.h>
#include <string.h>

#include "bufout.h"

struct capos_file {
    struct capos_bufout out;
    int unbuffered;            /* flush after every call (stderr) */
};

static int console_sink(void *ctx, const char *data, size_t len);

static struct capos_file file_stdout = {
    .out = {.sink = console_sink, .line_buffered = 1}};
static struct capos_file file_stderr = {
    .out = {.sink = console_sink, .line_buffered = 1}, .unbuffered = 1};
FILE *const stdout = &file_stdout;
FILE *const stderr = &file_stderr;

static int stdio_hooked;        /* exit hook registered */

/* Console.write through the "console" CapSet entry. */
static int console_sink(void *ctx, const char *data, size_t len)
{
    static uint32_t cap;
    static int state;           /* 0 unknown, 1 found, -1 missing */

    (void)ctx;
    if (state == 0)
        state = capos_capset_find("console", CAPOS_CONSOLE_INTERFACE_ID,
                                  &cap) == ERR_OK ? 1 : -1;
    if (state < 0)
        return ERR_NOTFOUND;
    return capos_console_write_all(CAPOS_HANDLE(capos_console, cap), data, len);
}

/* Exit hook: flush both streams. */
static void stdio_flush_all(void)
{
    capos_bufout_flush(&file_stdout.out);
    capos_bufout_flush(&file_stderr.out);
}

/* Called before every output: register the exit flush once. */
static void stdio_use(void)
{
    if (!stdio_hooked) {
        stdio_hooked = 1;
        capos_rt_atexit(stdio_flush_all);
    }
}

/* End of a call on f: flush an unbuffered stream. */
static int stdio_done(FILE *f, int ret)
{
    if (f->unbuffered)
        capos_bufout_flush(&f->out);
    return ret;
}

/* printf to f. */
int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    stdio_use();
    return stdio_done(f, capos_bufout_vprintf(&f->out, fmt, ap));
}

/* printf to f. */
int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

/* printf to stdout. */
int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

/* printf to stdout. */
int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* Format into buf[n] (C99 return value). */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    return fmt_vsnprintf(buf, n, fmt, ap);
}

/* Format into buf[n] (C99 return value). */
int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = fmt_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

/* Write s to f (no newline). */
int fputs(const char *s, FILE *f)
{
    stdio_use();
    capos_bufout_write(&f->out, s, strlen(s));
    return stdio_done(f, 0);
}

/* Write one character to f. */
int fputc(int c, FILE *f)
{
    stdio_use();
    capos_bufout_putc(&f->out, (char)c);
    return stdio_done(f, (unsigned char)c);
}

/* Write s and a newline to stdout. */
int puts(const char *s)
{
    fputs(s, stdout);
    return fputc('\n', stdout) == EOF ? EOF : 0;
}

/* Write c to stdout. */
int putchar(int c)
{
    return fputc(c, stdout);
}

/* Flush f (NULL = all streams); EOF if the console failed. */
int fflush(FILE *f)
{
    if (!f) {
        stdio_flush_all();
        return file_stdout.out.err || file_stderr.out.err ? EOF : 0;
    }
    return capos_bufout_flush(&f->out) ? EOF : 0;
}

/* Non-zero once a write to f has failed. */
int ferror(FILE *f)
{
    return f->out.err != 0;
}
