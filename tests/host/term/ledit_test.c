/*
 * ledit_test.c - the terminal's line discipline (user/term/ledit.c):
 * every key, history, limits and hostile bytes, checked against what a
 * terminal would show (screen.h): after every byte the screen row is the
 * prompt and the line, and the cursor is where the editor thinks.
 */
#include <common/test.h>
#include <string.h>

#include "../../../user/term/ledit.h"
#include "screen.h"

static struct ledit ed;
static struct screen scr;
static const char prompt[] = "> ";

/* The screen agrees with the editor (prompt + line, cursor). */
static int in_step(void)
{
    uint32_t len;
    const char *l = ledit_line(&ed, &len);
    char want[SCREEN_COLS + 1] = {0};
    memcpy(want, prompt, 2);
    memcpy(want + 2, l, len);
    return !strcmp(scr.row, want) && scr.col == 2 + ed.cur && !scr.bad;
}

static void start(void)
{
    memset(&scr, 0, sizeof scr);
    ledit_begin(&ed, prompt, 2);
}

static void fresh(void)
{
    ledit_init(&ed, screen_emit, &scr);
    start();
}

/* Feed s; every byte but the last must leave the editor editing, and the
 * screen in step.  Returns the result of the last byte. */
static enum ledit_result feed(const char *s)
{
    enum ledit_result r = LEDIT_MORE;
    for (size_t i = 0; s[i]; i++) {
        r = ledit_feed(&ed, (uint8_t)s[i]);
        if (r != LEDIT_MORE)
            return r;
        if (!in_step())
            return (enum ledit_result)99;
    }
    return r;
}

static const char *line(void)
{
    return ledit_line(&ed, NULL);
}

TEST(ledit_type_and_enter)
{
    fresh();
    EXPECT_EQ(feed("echo hi"), LEDIT_MORE);
    EXPECT_EQ(feed("\r"), LEDIT_LINE);
    EXPECT_TRUE(!strcmp(line(), "echo hi"));
    EXPECT_TRUE(!strcmp(scr.done, "> echo hi"));
    fresh();
    EXPECT_EQ(feed("\n"), LEDIT_LINE);      /* LF alone is Enter too */
    EXPECT_TRUE(!strcmp(line(), ""));
}

TEST(ledit_crlf_is_one_enter)
{
    fresh();
    EXPECT_EQ(feed("a\r"), LEDIT_LINE);
    start();
    EXPECT_EQ(feed("\nb"), LEDIT_MORE);     /* the LF is swallowed */
    EXPECT_EQ(feed("\r"), LEDIT_LINE);
    EXPECT_TRUE(!strcmp(line(), "b"));
}

TEST(ledit_arrows_insert_in_the_middle)
{
    fresh();
    EXPECT_EQ(feed("acd\x1b[D\x1b[Db"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "abcd"));
    EXPECT_EQ(ed.cur, 2);
    EXPECT_EQ(feed("\x1b[C\x1b[C\x1b[C\x1b[Ce"), LEDIT_MORE); /* Right stops */
    EXPECT_TRUE(!strcmp(line(), "abcde"));
    EXPECT_EQ(feed("\x1bOD\x1bODX"), LEDIT_MORE);             /* SS3 form */
    EXPECT_TRUE(!strcmp(line(), "abcXde"));
    EXPECT_EQ(feed("\x02\x02Y\x06Z"), LEDIT_MORE);            /* Ctrl-B/F */
    EXPECT_TRUE(!strcmp(line(), "abYcZXde"));
}

TEST(ledit_home_end_all_forms)
{
    static const char *home[] = {"\x1b[H", "\x1b[1~", "\x1b[7~", "\x1bOH", "\x01"};
    static const char *end[] = {"\x1b[F", "\x1b[4~", "\x1b[8~", "\x1bOF", "\x05"};
    for (int i = 0; i < 5; i++) {
        fresh();
        EXPECT_EQ(feed("bc"), LEDIT_MORE);
        EXPECT_EQ(feed(home[i]), LEDIT_MORE);
        EXPECT_EQ(ed.cur, 0);
        EXPECT_EQ(feed("a"), LEDIT_MORE);
        EXPECT_EQ(feed(end[i]), LEDIT_MORE);
        EXPECT_EQ(feed("d"), LEDIT_MORE);
        EXPECT_TRUE(!strcmp(line(), "abcd"));
    }
}

TEST(ledit_backspace_delete_ctrl_d)
{
    fresh();
    EXPECT_EQ(feed("abcd\x7f"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "abc"));
    EXPECT_EQ(feed("\x1b[D\x1b[D\x08"), LEDIT_MORE);      /* Ctrl-H */
    EXPECT_TRUE(!strcmp(line(), "bc"));
    EXPECT_EQ(feed("\x1b[3~"), LEDIT_MORE);               /* Delete */
    EXPECT_TRUE(!strcmp(line(), "c"));
    EXPECT_EQ(feed("\x04"), LEDIT_MORE);                  /* Ctrl-D deletes */
    EXPECT_TRUE(!strcmp(line(), ""));
    EXPECT_EQ(feed("\x7f\x1b[3~\x04"), LEDIT_EOF);        /* nothing to delete */
}

TEST(ledit_ctrl_d_on_empty_line_is_eof)
{
    fresh();
    EXPECT_EQ(feed("\x04"), LEDIT_EOF);
    start();
    EXPECT_EQ(feed("x\x04"), LEDIT_MORE);      /* cursor at the end: nothing */
    EXPECT_TRUE(!strcmp(line(), "x"));
}

TEST(ledit_ctrl_u_w_k)
{
    fresh();
    EXPECT_EQ(feed("run  hello  world"), LEDIT_MORE);
    EXPECT_EQ(feed("\x17"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "run  hello  "));
    EXPECT_EQ(feed("\x17"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "run  "));
    EXPECT_EQ(feed("x y\x01\x1b[C\x0b"), LEDIT_MORE);      /* Ctrl-K */
    EXPECT_TRUE(!strcmp(line(), "r"));
    EXPECT_EQ(feed("abc\x1b[D\x15"), LEDIT_MORE);          /* Ctrl-U */
    EXPECT_TRUE(!strcmp(line(), "c"));
    EXPECT_EQ(ed.cur, 0);
    EXPECT_EQ(feed("\x17\x15\x0c"), LEDIT_MORE);           /* at 0: no-ops */
    EXPECT_TRUE(!strcmp(line(), "c"));
}

TEST(ledit_ctrl_c_discards_the_line)
{
    fresh();
    EXPECT_EQ(feed("half typed\x03"), LEDIT_INTR);
    EXPECT_TRUE(!strcmp(line(), ""));
    EXPECT_TRUE(!strcmp(scr.done, "> half typed^C"));
    EXPECT_EQ(ledit_history(&ed, 0), NULL);
    start();
    EXPECT_EQ(feed("\x1b[\x03"), LEDIT_INTR);   /* even inside a sequence */
}

TEST(ledit_history_up_down)
{
    fresh();
    EXPECT_EQ(feed("one\r"), LEDIT_LINE);
    start();
    EXPECT_EQ(feed("two\r"), LEDIT_LINE);
    start();
    EXPECT_EQ(feed("two\r"), LEDIT_LINE);       /* not added twice */
    start();
    EXPECT_EQ(feed("\r"), LEDIT_LINE);          /* empty: not added */
    EXPECT_EQ(ed.hist_n, 2);
    start();
    EXPECT_EQ(feed("thr"), LEDIT_MORE);
    EXPECT_EQ(feed("\x1b[A"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "two"));
    EXPECT_EQ(feed("\x1b[A"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "one"));
    EXPECT_EQ(feed("\x1b[A"), LEDIT_MORE);      /* oldest: bell */
    EXPECT_TRUE(!strcmp(line(), "one"));
    EXPECT_EQ(feed("\x1b[B\x1b[B"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "thr"));        /* typed line comes back */
    EXPECT_EQ(feed("\x1b[B"), LEDIT_MORE);      /* newest: bell */
    EXPECT_EQ(feed("\x10\x10!"), LEDIT_MORE);   /* Ctrl-P, edit an entry */
    EXPECT_EQ(feed("\r"), LEDIT_LINE);
    EXPECT_TRUE(!strcmp(line(), "one!"));
    EXPECT_TRUE(!strcmp(ledit_history(&ed, 0), "one!"));
    EXPECT_TRUE(!strcmp(ledit_history(&ed, 2), "one"));   /* kept as it was */
}

TEST(ledit_history_keeps_the_last_entries)
{
    char buf[16];
    fresh();
    for (uint32_t i = 0; i < LEDIT_HIST + 5; i++) {
        start();
        buf[0] = (char)('A' + i % 26);
        buf[1] = (char)('a' + i / 26);
        buf[2] = '\r';
        buf[3] = 0;
        EXPECT_EQ(feed(buf), LEDIT_LINE);
    }
    EXPECT_EQ(ed.hist_n, LEDIT_HIST);
    EXPECT_EQ(ledit_history(&ed, LEDIT_HIST), NULL);
    const char *oldest = ledit_history(&ed, LEDIT_HIST - 1);
    EXPECT_EQ(oldest[0], 'F');                 /* entries 0..4 fell out */
}

TEST(ledit_long_line_is_refused_with_a_bell)
{
    fresh();
    for (uint32_t i = 0; i < LEDIT_LINE_MAX + 40; i++)
        ledit_feed(&ed, 'x');
    EXPECT_EQ(ed.len, LEDIT_LINE_MAX);
    EXPECT_EQ(ed.refused, 40);
    EXPECT_EQ(scr.bells, 40);
    EXPECT_TRUE(in_step());
    EXPECT_EQ(feed("\x1b[D\x1b[Dy"), LEDIT_MORE);  /* full: refused too */
    EXPECT_EQ(ed.len, LEDIT_LINE_MAX);
    EXPECT_EQ(feed("\x7fy"), LEDIT_MORE);          /* room again */
    EXPECT_EQ(ed.line[LEDIT_LINE_MAX - 3], 'y');
    EXPECT_EQ(feed("\r"), LEDIT_LINE);
    EXPECT_EQ(strlen(line()), LEDIT_LINE_MAX);
}

TEST(ledit_garbage_is_ignored)
{
    fresh();
    EXPECT_EQ(feed("a\x80\xff\xc3\xa9\x01\x05"), LEDIT_MORE);
    EXPECT_TRUE(!strcmp(line(), "a"));
    EXPECT_EQ(ed.ignored, 4);
    EXPECT_EQ(ledit_feed(&ed, 0), LEDIT_MORE);     /* NUL itself */
    EXPECT_EQ(ledit_feed(&ed, 0x07), LEDIT_MORE);  /* BEL from the line */
    EXPECT_EQ(ed.ignored, 6);
    EXPECT_EQ(feed("\x1b" "x" "b"), LEDIT_MORE);   /* Alt-x dropped */
    EXPECT_EQ(feed("\x1b[99;99;99;99~c"), LEDIT_MORE);  /* long: skipped */
    EXPECT_EQ(feed("\x1b[5~\x1b[Zd"), LEDIT_MORE); /* PgUp, Shift-Tab */
    EXPECT_EQ(feed("\x1bO1Ae"), LEDIT_MORE);       /* SS3 with params */
    EXPECT_EQ(feed("\x1b[1\x01" "f"), LEDIT_MORE); /* cut by a control */
    EXPECT_TRUE(!strcmp(line(), "abcdef"));
    EXPECT_EQ(ed.ignored, 12);
    EXPECT_TRUE(in_step());
}

TEST(ledit_random_bytes_keep_the_screen_in_step)
{
    uint32_t x = 12345;
    fresh();
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        uint8_t b = (uint8_t)(x >> 16);
        if (b == '\r' || b == '\n' || b == 3 || b == 4) {
            b = 'k';
        }
        if ((x >> 8) % 7 == 0)
            b = (uint8_t)"\x1b[ABCDHF~3O1"[(x >> 4) % 12];
        enum ledit_result r = ledit_feed(&ed, b);
        ASSERT_EQ(r, LEDIT_MORE);
        ASSERT_TRUE(ed.len <= LEDIT_LINE_MAX && ed.cur <= ed.len);
        ASSERT_EQ(strlen(ed.line), ed.len);
        if (ed.esc == 0)
            ASSERT_TRUE(in_step());
        if (i % 5000 == 4999) {
            ASSERT_EQ(ledit_feed(&ed, '\r'), LEDIT_LINE);
            start();
        }
    }
}

TEST(ledit_prompt_is_cut)
{
    char p[200];
    memset(p, 'p', sizeof p);
    fresh();
    memset(&scr, 0, sizeof scr);
    ledit_begin(&ed, p, sizeof p);
    EXPECT_EQ(scr.col, LEDIT_PROMPT_MAX);
}
