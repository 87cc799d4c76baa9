/* SPDX-License-Identifier: MIT */
/*
 * ledit.c - the terminal's line discipline (see ledit.h).
 *
 * The screen is kept in step with the line by small updates: after a
 * change at position p the cursor goes back to p, the rest of the line
 * is written again, CSI K erases what is left of the old text, and the
 * cursor moves back to its place.
 */
#include <string.h>

#include "ledit.h"

enum esc_state { ESC_NONE, ESC_START, ESC_PARAMS, ESC_SKIP };

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f

static void emit(struct ledit *e, const char *s, uint32_t n)
{
    if (n)
        e->emit(e->ctx, s, n);
}

static void emit_str(struct ledit *e, const char *s)
{
    emit(e, s, (uint32_t)strlen(s));
}

/* CSI n <dir> (n > 0): move the cursor n columns. */
static void move(struct ledit *e, uint32_t n, char dir)
{
    char buf[16];
    uint32_t i = sizeof buf;
    if (!n)
        return;
    buf[--i] = dir;
    do {
        buf[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    buf[--i] = '[';
    buf[--i] = KEY_ESC;
    emit(e, buf + i, (uint32_t)(sizeof buf - i));
}

/* The screen shows the line up to position p correctly and the cursor
 * is at `at`: rewrite from p and put the cursor at e->cur. */
static void refresh_from(struct ledit *e, uint32_t at, uint32_t p)
{
    if (at > p)
        move(e, at - p, 'D');
    else if (p > at)
        move(e, p - at, 'C');
    emit(e, e->line + p, e->len - p);
    emit_str(e, "\x1b[K");
    move(e, e->len - e->cur, 'D');
}

/* Replace the whole line by s (history), cursor at its end. */
static void replace_line(struct ledit *e, const char *s)
{
    uint32_t at = e->cur;
    e->len = (uint32_t)strlen(s);
    memcpy(e->line, s, e->len + 1);
    e->cur = e->len;
    refresh_from(e, at, 0);
}

static void bell(struct ledit *e)
{
    e->refused++;
    emit(e, "\a", 1);
}

static void insert(struct ledit *e, char c)
{
    if (e->len == LEDIT_LINE_MAX) {
        bell(e);
        return;
    }
    memmove(e->line + e->cur + 1, e->line + e->cur, e->len - e->cur + 1);
    e->line[e->cur] = c;
    e->len++;
    if (++e->cur == e->len) {
        emit(e, &c, 1);             /* typing at the end: just echo */
        return;
    }
    refresh_from(e, e->cur - 1, e->cur - 1);
}

/* Remove line[from, to) and put the cursor at `from`. */
static void erase(struct ledit *e, uint32_t from, uint32_t to)
{
    uint32_t at = e->cur;
    if (from >= to)
        return;
    memmove(e->line + from, e->line + to, e->len - to + 1);
    e->len -= to - from;
    e->cur = from;
    refresh_from(e, at, from);
}

static void set_cursor(struct ledit *e, uint32_t c)
{
    if (c < e->cur)
        move(e, e->cur - c, 'D');
    else
        move(e, c - e->cur, 'C');
    e->cur = c;
}

/* The start of the word before the cursor (spaces, then non-spaces). */
static uint32_t word_start(const struct ledit *e)
{
    uint32_t i = e->cur;
    while (i > 0 && e->line[i - 1] == ' ')
        i--;
    while (i > 0 && e->line[i - 1] != ' ')
        i--;
    return i;
}

/* History entry `back` steps back from the newest. */
const char *ledit_history(const struct ledit *e, uint32_t back)
{
    if (back >= e->hist_n)
        return NULL;
    return e->hist[(e->hist_first + e->hist_n - 1 - back) % LEDIT_HIST];
}

/* Up (older, dir = 1) or Down (newer, dir = -1) in the history. */
static void browse(struct ledit *e, int dir)
{
    if (dir > 0 && e->browse == e->hist_n) {
        emit(e, "\a", 1);
        return;
    }
    if (dir < 0 && e->browse == 0) {
        emit(e, "\a", 1);
        return;
    }
    if (e->browse == 0)
        memcpy(e->saved, e->line, e->len + 1);
    e->browse = (uint32_t)((int)e->browse + dir);
    replace_line(e, e->browse ? ledit_history(e, e->browse - 1) : e->saved);
}

static void history_add(struct ledit *e)
{
    const char *newest = ledit_history(e, 0);
    if (!e->len || (newest && !strcmp(newest, e->line)))
        return;
    if (e->hist_n == LEDIT_HIST) {
        e->hist_first = (e->hist_first + 1) % LEDIT_HIST;
        e->hist_n--;
    }
    memcpy(e->hist[(e->hist_first + e->hist_n) % LEDIT_HIST], e->line,
           e->len + 1);
    e->hist_n++;
}

/* A finished escape sequence: intro, parameters esc_buf[esc_len], final. */
static void esc_key(struct ledit *e, uint8_t final)
{
    char p = e->esc_len == 1 ? e->esc_buf[0] : 0;
    if (e->esc_len > 1 || (e->esc_len == 1 && final != '~')) {
        e->ignored++;
        return;
    }
    switch (final) {
    case 'A': browse(e, 1); return;
    case 'B': browse(e, -1); return;
    case 'C': set_cursor(e, e->cur < e->len ? e->cur + 1 : e->cur); return;
    case 'D': set_cursor(e, e->cur ? e->cur - 1 : 0); return;
    case 'H': set_cursor(e, 0); return;
    case 'F': set_cursor(e, e->len); return;
    case '~':
        if (p == '1' || p == '7')
            set_cursor(e, 0);
        else if (p == '4' || p == '8')
            set_cursor(e, e->len);
        else if (p == '3')
            erase(e, e->cur, e->cur < e->len ? e->cur + 1 : e->cur);
        else
            e->ignored++;
        return;
    default:
        e->ignored++;
    }
}

/* One byte of an escape sequence (e->esc != ESC_NONE). */
static void esc_feed(struct ledit *e, uint8_t b)
{
    if (e->esc == ESC_START) {
        if (b == '[' || b == 'O') {
            e->esc = ESC_PARAMS;
            e->esc_intro = b;
            e->esc_len = 0;
        } else {
            e->esc = ESC_NONE;      /* ESC x (Alt-x): ignored */
            e->ignored++;
        }
        return;
    }
    if (b >= 0x40 && b <= 0x7e) {   /* final byte */
        if (e->esc == ESC_PARAMS && (e->esc_intro == '[' || e->esc_len == 0))
            esc_key(e, b);
        else
            e->ignored++;
        e->esc = ESC_NONE;
        return;
    }
    if (b < 0x20 || b > 0x3f) {     /* not a parameter byte: abandon */
        e->esc = ESC_NONE;
        e->ignored++;
        return;
    }
    if (e->esc == ESC_PARAMS && e->esc_len < LEDIT_ESC_MAX)
        e->esc_buf[e->esc_len++] = (char)b;
    else
        e->esc = ESC_SKIP;
}

/* Enter: echo the newline, remember the line. */
static enum ledit_result enter(struct ledit *e)
{
    set_cursor(e, e->len);
    emit(e, "\r\n", 2);
    history_add(e);
    e->browse = 0;
    return LEDIT_LINE;
}

/* A control byte (< 0x20 or DEL) outside an escape sequence. */
static enum ledit_result control(struct ledit *e, uint8_t b)
{
    switch (b) {
    case '\r':
    case '\n':
        return enter(e);
    case CTRL('C'):
        emit_str(e, "^C\r\n");
        e->len = e->cur = 0;
        e->line[0] = 0;
        e->browse = 0;
        return LEDIT_INTR;
    case CTRL('D'):
        if (!e->len) {
            emit(e, "\r\n", 2);
            return LEDIT_EOF;
        }
        erase(e, e->cur, e->cur < e->len ? e->cur + 1 : e->cur);
        return LEDIT_MORE;
    case KEY_DEL:
    case CTRL('H'):
        if (e->cur)
            erase(e, e->cur - 1, e->cur);
        return LEDIT_MORE;
    case CTRL('A'): set_cursor(e, 0); return LEDIT_MORE;
    case CTRL('E'): set_cursor(e, e->len); return LEDIT_MORE;
    case CTRL('B'): set_cursor(e, e->cur ? e->cur - 1 : 0); return LEDIT_MORE;
    case CTRL('F'):
        set_cursor(e, e->cur < e->len ? e->cur + 1 : e->cur);
        return LEDIT_MORE;
    case CTRL('U'): erase(e, 0, e->cur); return LEDIT_MORE;
    case CTRL('K'): erase(e, e->cur, e->len); return LEDIT_MORE;
    case CTRL('W'): erase(e, word_start(e), e->cur); return LEDIT_MORE;
    case CTRL('L'): refresh_from(e, e->cur, 0); return LEDIT_MORE;
    case CTRL('P'): browse(e, 1); return LEDIT_MORE;
    case CTRL('N'): browse(e, -1); return LEDIT_MORE;
    case KEY_ESC: e->esc = ESC_START; return LEDIT_MORE;
    default:
        e->ignored++;
        return LEDIT_MORE;
    }
}

enum ledit_result ledit_feed(struct ledit *e, uint8_t b)
{
    uint8_t after_cr = e->last_cr;
    e->last_cr = b == '\r';
    if (e->esc != ESC_NONE) {
        if (b == CTRL('C') || b == '\r') {   /* never lost in a sequence */
            e->esc = ESC_NONE;
            return control(e, b);
        }
        esc_feed(e, b);
        return LEDIT_MORE;
    }
    if (b == '\n' && after_cr)
        return LEDIT_MORE;                  /* the LF of CR LF */
    if (b >= 0x20 && b < 0x7f) {
        insert(e, (char)b);
        return LEDIT_MORE;
    }
    if (b < 0x20 || b == KEY_DEL)
        return control(e, b);
    e->ignored++;                           /* >= 0x80 */
    return LEDIT_MORE;
}

void ledit_init(struct ledit *e, ledit_emit_fn fn, void *ctx)
{
    memset(e, 0, sizeof *e);
    e->emit = fn;
    e->ctx = ctx;
}

void ledit_begin(struct ledit *e, const char *prompt, uint32_t n)
{
    e->len = e->cur = 0;
    e->line[0] = 0;
    e->esc = ESC_NONE;
    e->browse = 0;
    emit(e, prompt, n < LEDIT_PROMPT_MAX ? n : LEDIT_PROMPT_MAX);
}

const char *ledit_line(const struct ledit *e, uint32_t *len)
{
    if (len)
        *len = e->len;
    return e->line;
}
