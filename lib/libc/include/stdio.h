/* SPDX-License-Identifier: MIT */
/*
 * stdio.h - capOS libc: formatted output to the Console capability.
 *
 * stdout is line-buffered (flushed on '\n', when its 512-byte buffer is
 * full, by fflush, and at exit); stderr is the same console, flushed after
 * every call.  Both write to the CapSet entry "console" (interface
 * Console); without one, output is discarded and ferror() reports it.
 * There is no input and no file system: FILE exists only for
 * stdout/stderr.  printf conversions are those of common/fmt.h (no
 * floating point, no %n).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct capos_file FILE;

extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int fprintf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int puts(const char *s);
int putchar(int c);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int fflush(FILE *f);
int ferror(FILE *f);
