/* SPDX-License-Identifier: MIT */
/*
 * term.h - the terminal service's session logic (session.c), driven by
 * the event loop in main.c.
 */
#pragma once

#include <capos/capos.h>
#include <stdint.h>

#define TERM_TYPEAHEAD 1024u    /* input bytes kept while nobody reads */
#define TERM_WRITE_MAX 4096u    /* bytes of one TerminalSession.write */

/* Serve TerminalSession on endpoint ep, echoing through Serial cap serial. */
void term_init(uint32_t serial, uint32_t ep);
/* Input bytes b[n] from the line; `dropped` is the kernel's counter of
 * bytes lost to its full buffer. */
void term_input(const uint8_t *b, uint32_t n, uint64_t dropped);
/* One received TerminalSession call: answered now or kept (readLine,
 * waitInterrupt) until input completes it. */
void term_request(struct capos_request *req);
/* Write s[n] to the line now (flushes pending echo first). */
void term_write(const char *s, uint32_t n);
