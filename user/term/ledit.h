/* SPDX-License-Identifier: MIT */
/*
 * ledit.h - the terminal's line discipline: one line edited in place,
 * with history, fed one input byte at a time.  Pure C (no capOS calls),
 * so it is unit-tested on the host (tests/host/term/).
 *
 * Theory of operation.  ledit_begin() shows the prompt and empties the
 * line; each ledit_feed() of a byte edits the line and echoes through
 * the emit callback (VT100/ANSI sequences: CSI n D/C to move, CSI K to
 * erase), and says when the line is finished: LEDIT_LINE (Enter),
 * LEDIT_EOF (Ctrl-D on an empty line) or LEDIT_INTR (Ctrl-C; the line is
 * discarded).  Input is bytes from a person or from anything at all:
 *
 *   - printable ASCII (0x20..0x7e) is inserted at the cursor; the line
 *     holds at most LEDIT_LINE_MAX bytes and a byte beyond that is
 *     refused with a bell (BEL) and counted in `refused`;
 *   - the keys below act; every other control byte, every byte >= 0x80
 *     and every unknown or malformed escape sequence is ignored and
 *     counted in `ignored` (so garbage never reaches the line);
 *   - an escape sequence is ESC [ or ESC O, at most LEDIT_ESC_MAX
 *     parameter bytes and a final byte; a longer one is skipped to its
 *     final byte.
 *
 * Keys: Left/Right (ESC[D ESC[C, Ctrl-B/F), Home/End (ESC[H ESC[F,
 * ESC[1~ ESC[4~ ESC[7~ ESC[8~, ESCOH ESCOF, Ctrl-A/E), Backspace (DEL,
 * Ctrl-H), Delete (ESC[3~), Ctrl-D (delete under the cursor, or end of
 * input on an empty line), Ctrl-U (erase to the start), Ctrl-K (erase to
 * the end), Ctrl-W (erase the word before the cursor), Ctrl-L (redraw),
 * Up/Down (ESC[A ESC[B, ESCOA ESCOB, Ctrl-P/N: history), Enter (CR or
 * LF; the LF of a CR LF pair is one Enter), Ctrl-C.
 *
 * History keeps the last LEDIT_HIST non-empty lines (a line equal to the
 * newest is not added again).  Browsing it keeps the line being typed
 * and brings it back after the newest entry.  The cursor arithmetic
 * assumes the prompt and line fit on one terminal row (see
 * docs/terminal.md).
 */
#pragma once

#include <stdint.h>

#define LEDIT_LINE_MAX 255u
#define LEDIT_HIST 32u
#define LEDIT_ESC_MAX 8u
#define LEDIT_PROMPT_MAX 80u

enum ledit_result {
    LEDIT_MORE = 0,     /* still editing */
    LEDIT_LINE,         /* Enter: the line is ready */
    LEDIT_EOF,          /* Ctrl-D on an empty line */
    LEDIT_INTR,         /* Ctrl-C */
};

typedef void (*ledit_emit_fn)(void *ctx, const char *s, uint32_t n);

struct ledit {
    ledit_emit_fn emit;
    void *ctx;
    char line[LEDIT_LINE_MAX + 1];     /* NUL-terminated */
    uint32_t len, cur;                 /* bytes, cursor (0..len) */
    /* escape sequence being read */
    uint8_t esc;                       /* enum esc_state in ledit.c */
    uint8_t esc_intro;                 /* '[' or 'O' */
    uint32_t esc_len;
    char esc_buf[LEDIT_ESC_MAX];
    uint8_t last_cr;                   /* the previous byte was CR */
    /* history: hist[(hist_first + i) % LEDIT_HIST], i < hist_n, oldest
     * first; browse = how far back (0: the line being typed) */
    char hist[LEDIT_HIST][LEDIT_LINE_MAX + 1];
    uint32_t hist_first, hist_n, browse;
    char saved[LEDIT_LINE_MAX + 1];    /* the line typed before browsing */
    /* counters since ledit_init */
    uint64_t ignored, refused;
};

/* Set up e with its echo sink (history empty). */
void ledit_init(struct ledit *e, ledit_emit_fn emit, void *ctx);
/* Start a new line: show prompt[n] (cut to LEDIT_PROMPT_MAX bytes) and
 * empty the line; history is kept. */
void ledit_begin(struct ledit *e, const char *prompt, uint32_t n);
/* Feed one input byte. */
enum ledit_result ledit_feed(struct ledit *e, uint8_t b);
/* The line (NUL-terminated) and its length: the finished line after
 * LEDIT_LINE, or the line so far. */
const char *ledit_line(const struct ledit *e, uint32_t *len);
/* History entry `back` steps back from the newest (0 = newest), or NULL. */
const char *ledit_history(const struct ledit *e, uint32_t back);
