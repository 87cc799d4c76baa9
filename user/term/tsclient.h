/* SPDX-License-Identifier: MIT */
/*
 * tsclient.h - a small client of TerminalSession (schema/capos.capnp),
 * for programs that talk to the person at the terminal: the shell and
 * the demo programs.  Synchronous calls on the process ring.
 */
#pragma once

#include <abi/errors.h>
#include <stdint.h>

#define TSC_LINE_MAX 255u

enum tsc_end { TSC_LINE = 0, TSC_EOF = 1, TSC_INTR = 2 };

/* The "stdio" cap of the CapSet (a TerminalSession, which the CapSet
 * shows as ClientEndpoint), or 0. */
uint32_t tsc_find(const char *name);
/* TerminalSession.write of data[len] (split into 4,096-byte calls). */
err_t tsc_write(uint32_t cap, const void *data, uint32_t len);
/* tsc_write of a NUL-terminated string. */
err_t tsc_puts(uint32_t cap, const char *s);
/* printf to the terminal (at most 1,024 bytes per call). */
err_t tsc_printf(uint32_t cap, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* TerminalSession.readLine(prompt): the line into buf[TSC_LINE_MAX + 1]
 * (NUL-terminated), how it ended into *end.  ERR_BADFORMAT for a bad
 * answer; BUSY when another reader took the terminal over. */
err_t tsc_read_line(uint32_t cap, const char *prompt, char *buf,
                    enum tsc_end *end);
/* TerminalSession.waitInterrupt: the number of Ctrl-C into *count. */
err_t tsc_wait_interrupt(uint32_t cap, uint32_t *count);
