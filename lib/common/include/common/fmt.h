/*
 * fmt.h - the printf engine behind kernel printk and the user libc.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z j
 * t, flags '-' '0' '#' ' ' '+', width and precision (both may be '*').
 * Deviations from C99, by design: no floating point and no %n; %p prints
 * "0x" and lowercase hex digits (NULL prints "0x0"); %s of NULL prints
 * "(null)" (cut by the precision like any string); an unknown conversion is
 * copied to the output verbatim; width and precision are capped at
 * FMT_MAX_WIDTH.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define FMT_MAX_WIDTH 4096

/* Output sink: receives every produced character, in order. */
typedef void (*fmt_out_fn)(void *ctx, char c);

/* Format into `out`; returns the number of characters produced. */
int fmt_vformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Variadic form of fmt_vformat. */
int fmt_format(fmt_out_fn out, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Format into buf[n]: at most n-1 characters plus a NUL (nothing is written
 * when n == 0).  Returns the length the full output would have (C99), so the
 * output was truncated iff the result is >= n.
 */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Variadic form of fmt_vsnprintf. */
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
