/*
 * screen.h - a one-row model of the terminal the line editor draws on,
 * for the host tests: printable bytes overwrite at the cursor, CR goes
 * to column 0, CSI n C/D move, CSI K erases to the end, BEL rings,
 * CR LF ends the row (it is kept in `done`).  Anything else the editor
 * sends is a test failure (`bad`).
 */
#pragma once

#include <stdint.h>
#include <string.h>

#define SCREEN_COLS 512

struct screen {
    char row[SCREEN_COLS + 1];
    uint32_t col, bells, bad, lines;
    char done[SCREEN_COLS + 1];     /* the last row ended by CR LF */
    uint8_t esc;                    /* 0, 1 after ESC, 2 after ESC [ */
    uint32_t num;
};

static void screen_put(struct screen *s, uint8_t c)
{
    if (s->esc == 1) {
        s->esc = c == '[' ? 2 : 0;
        s->bad += c != '[';
        s->num = 0;
        return;
    }
    if (s->esc == 2) {
        if (c >= '0' && c <= '9') {
            s->num = s->num * 10 + (c - '0');
            return;
        }
        s->esc = 0;
        uint32_t n = s->num ? s->num : 1;
        if (c == 'C' && s->col + n <= SCREEN_COLS)
            s->col += n;
        else if (c == 'D' && n <= s->col)
            s->col -= n;
        else if (c == 'K')
            memset(s->row + s->col, 0, SCREEN_COLS - s->col);
        else
            s->bad++;
        return;
    }
    if (c == 0x1b)
        s->esc = 1;
    else if (c == '\a')
        s->bells++;
    else if (c == '\r')
        s->col = 0;
    else if (c == '\n') {
        memcpy(s->done, s->row, sizeof s->row);
        memset(s->row, 0, sizeof s->row);
        s->lines++;
    } else if (c >= 0x20 && c < 0x7f && s->col < SCREEN_COLS) {
        for (uint32_t i = 0; i < s->col; i++)   /* no holes */
            if (!s->row[i])
                s->row[i] = ' ';
        s->row[s->col++] = (char)c;
    } else {
        s->bad++;
    }
}

static void screen_emit(void *ctx, const char *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        screen_put(ctx, (uint8_t)p[i]);
}
