/*
 * parse_test.c - the shell's command parser (user/shell/parse.c): every
 * command, the `run ... with { }` grammar, limits, and hostile input
 * (every error names a column; nothing is half-filled on error; random
 * bytes never crash it and always give either a command or a printable
 * message).
 */
#include <common/test.h>
#include <stdio.h>
#include <string.h>

#include "../../../user/shell/parse.h"

static struct sh_cmd cmd;
static char err[SH_ERR_MAX + 1];

static int parse(const char *s)
{
    return sh_parse(s, strlen(s), &cmd, err);
}

/* parse fails and the message is exactly `want`. */
static int fails_with(const char *s, const char *want)
{
    if (parse(s) != -1)
        return 0;
    if (strcmp(err, want)) {
        printf("    got \"%s\"\n", err);
        return 0;
    }
    return cmd.kind == SH_EMPTY && cmd.ngrants == 0 && cmd.prog[0] == 0;
}

TEST(parse_simple_commands)
{
    EXPECT_EQ(parse(""), 0);
    EXPECT_EQ(cmd.kind, SH_EMPTY);
    EXPECT_EQ(parse("   \t "), 0);
    EXPECT_EQ(cmd.kind, SH_EMPTY);
    EXPECT_EQ(parse("help"), 0);
    EXPECT_EQ(cmd.kind, SH_HELP);
    EXPECT_EQ(parse("  caps  "), 0);
    EXPECT_EQ(cmd.kind, SH_CAPS);
    EXPECT_EQ(parse("jobs"), 0);
    EXPECT_EQ(cmd.kind, SH_JOBS);
    EXPECT_EQ(parse("exit"), 0);
    EXPECT_EQ(cmd.kind, SH_EXIT);
    EXPECT_EQ(cmd.num, 0);
    EXPECT_EQ(parse("exit -3"), 0);
    EXPECT_EQ(cmd.num, -3);
    EXPECT_EQ(parse("wait 12"), 0);
    EXPECT_EQ(cmd.kind, SH_WAIT);
    EXPECT_EQ(cmd.num, 12);
}

TEST(parse_echo_words_and_strings)
{
    EXPECT_EQ(parse("echo hello   \"big world\" a=b \"q\\\"\\\\\""), 0);
    EXPECT_EQ(cmd.kind, SH_ECHO);
    EXPECT_TRUE(!strcmp(cmd.text, "hello big world a=b q\"\\"));
    EXPECT_EQ(parse("echo"), 0);
    EXPECT_TRUE(!strcmp(cmd.text, ""));
    EXPECT_EQ(parse("echo \"\""), 0);
    EXPECT_EQ(parse("echo \"a\\tb\\n\""), 0);
    EXPECT_TRUE(!strcmp(cmd.text, "a\tb\n"));
}

TEST(parse_run_with_grants)
{
    EXPECT_EQ(parse("run \"hello\" with { console: @console, io: @stdio }"), 0);
    EXPECT_EQ(cmd.kind, SH_RUN);
    EXPECT_TRUE(!strcmp(cmd.prog, "hello"));
    EXPECT_EQ(cmd.nargs, 0);
    EXPECT_EQ(cmd.ngrants, 2);
    EXPECT_TRUE(!strcmp(cmd.grants[0].name, "console"));
    EXPECT_TRUE(!strcmp(cmd.grants[0].cap, "console"));
    EXPECT_TRUE(!strcmp(cmd.grants[1].name, "io"));
    EXPECT_TRUE(!strcmp(cmd.grants[1].cap, "stdio"));
    EXPECT_EQ(parse("run hello"), 0);           /* no grants at all */
    EXPECT_EQ(cmd.ngrants, 0);
    EXPECT_EQ(parse("run hello with {}"), 0);
    EXPECT_EQ(cmd.ngrants, 0);
    EXPECT_EQ(parse("spawn hello a \"b c\" with {x:@y,}"), 0);  /* trailing , */
    EXPECT_EQ(cmd.kind, SH_SPAWN);
    EXPECT_EQ(cmd.nargs, 2);
    EXPECT_TRUE(!strcmp(cmd.args[1], "b c"));
    EXPECT_EQ(cmd.ngrants, 1);
    EXPECT_EQ(parse("run hello \"with\""), 0);  /* quoted: an argument */
    EXPECT_EQ(cmd.nargs, 1);
}

TEST(parse_errors_say_where_and_what)
{
    EXPECT_TRUE(fails_with("frobnicate", "column 1: unknown command \"frobnicate\" (try \"help\")"));
    EXPECT_TRUE(fails_with("help me", "column 6: expected end of line, found \"me\""));
    EXPECT_TRUE(fails_with("run", "column 4: expected the name of a program, found end of line"));
    EXPECT_TRUE(fails_with("run \"\"", "column 5: empty program name"));
    EXPECT_TRUE(fails_with("run x with", "column 11: expected '{' after \"with\", found end of line"));
    EXPECT_TRUE(fails_with("run x with {", "column 13: expected a grant name, found end of line"));
    EXPECT_TRUE(fails_with("run x with { a }", "column 16: expected ':' after the grant name, found '}'"));
    EXPECT_TRUE(fails_with("run x with { a: b }", "column 17: expected @capability after ':', found \"b\""));
    EXPECT_TRUE(fails_with("run x with { a: @b c: @d }", "column 20: expected ',' or '}', found \"c\""));
    EXPECT_TRUE(fails_with("run x with { a: @b, a: @c }", "column 21: this grant name is given twice"));
    EXPECT_TRUE(fails_with("run x with { a: @ }", "column 17: '@' must be followed by a capability name"));
    EXPECT_TRUE(fails_with("run x with { 9a: @b }", "column 14: a grant name is a letter or '_' followed by letters, digits, '_' or '-'"));
    EXPECT_TRUE(fails_with("run x with { a: @b } extra", "column 22: expected \"with\" or end of line, found \"extra\""));
    EXPECT_TRUE(fails_with("run x with {} with {}", "column 15: expected \"with\" or end of line, found \"with\""));
    EXPECT_TRUE(fails_with("echo \"open", "column 6: unterminated string"));
    EXPECT_TRUE(fails_with("echo \"a\\", "column 6: unterminated string"));
    EXPECT_TRUE(fails_with("echo \"\\q\"", "column 7: unknown escape (use \\\" \\\\ \\n \\t)"));
    EXPECT_TRUE(fails_with("echo ;", "column 6: unexpected character ';'"));
    EXPECT_TRUE(fails_with("echo \x80", "column 6: unexpected byte \\x80"));
    EXPECT_TRUE(fails_with("echo \"\x01\"", "column 7: unexpected byte \\x01"));
    EXPECT_TRUE(fails_with("exit x", "column 6: expected a number, found \"x\""));
    EXPECT_TRUE(fails_with("exit 1234567890", "column 6: expected a number, found \"1234567890\""));
    EXPECT_TRUE(fails_with("exit -", "column 6: expected a number, found \"-\""));
    EXPECT_TRUE(fails_with("wait", "column 5: expected a number, found end of line"));
    EXPECT_TRUE(fails_with("{", "column 1: expected a command, found '{'"));
    EXPECT_TRUE(fails_with("@x", "column 1: expected a command, found @\"x\""));
}

TEST(parse_nul_inside_the_line)
{
    static const char s[] = "help\0junk";
    EXPECT_EQ(sh_parse(s, sizeof s - 1, &cmd, err), -1);
    EXPECT_TRUE(!strcmp(err, "column 5: unexpected byte \\x00"));
}

TEST(parse_limits)
{
    char line[1200], *p;
    memset(line, 0, sizeof line);
    /* 8 grants fit, a 9th does not */
    strcpy(line, "run x with {");
    for (int i = 0; i < 9; i++) {
        p = line + strlen(line);
        snprintf(p, 32, "g%d: @c, ", i % 10);
    }
    strcat(line, "}");
    EXPECT_EQ(parse(line), -1);
    EXPECT_TRUE(strstr(err, "more than 8 grants") != NULL);
    /* names: 27 bytes fit, 28 do not */
    snprintf(line, sizeof line, "run x with { %s: @%s }",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbb");
    EXPECT_EQ(parse(line), 0);
    snprintf(line, sizeof line, "run x with { %s: @c }",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    EXPECT_TRUE(fails_with(line, "column 14: grant name longer than 27 bytes"));
    snprintf(line, sizeof line, "run x with { a: @%s }",
             "bbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    EXPECT_TRUE(fails_with(line, "column 17: capability name longer than 27 bytes"));
    /* 8 arguments fit, a 9th does not */
    EXPECT_EQ(parse("run x 1 2 3 4 5 6 7 8"), 0);
    EXPECT_EQ(cmd.nargs, 8);
    EXPECT_TRUE(fails_with("run x 1 2 3 4 5 6 7 8 9", "column 23: more than 8 program arguments"));
    /* a 255-byte string fits, 256 do not; echo text is bounded too */
    line[0] = 'e'; line[1] = 'c'; line[2] = 'h'; line[3] = 'o'; line[4] = ' ';
    line[5] = '"';
    memset(line + 6, 'z', 256);
    line[6 + 255] = '"';
    line[6 + 256] = 0;
    EXPECT_EQ(parse(line), 0);
    EXPECT_EQ(strlen(cmd.text), 255);
    line[6 + 255] = 'z';
    line[6 + 256] = '"';
    line[6 + 257] = 0;
    EXPECT_TRUE(fails_with(line, "column 6: string longer than 255 bytes"));
    memset(line, 0, sizeof line);
    memcpy(line, "echo ", 5);
    memset(line + 5, 'a', 250);
    memcpy(line + 255, " bbbbbb", 7);     /* 250 + 1 + 6 > 255 */
    EXPECT_TRUE(fails_with(line, "column 257: echo text longer than 255 bytes"));
    line[261] = 0;                         /* 250 + 1 + 5 = 256: still too long */
    EXPECT_EQ(parse(line), -1);
    line[260] = 0;                         /* 255: fits */
    EXPECT_EQ(parse(line), 0);
    EXPECT_EQ(strlen(cmd.text), 255);
}

TEST(parse_random_bytes)
{
    static const char alphabet[] = "runwithechospawn{}:,@\"\\ xq1\t\x80\x01";
    char line[64];
    uint32_t x = 99;
    for (int i = 0; i < 100000; i++) {
        size_t n = 0;
        x = x * 1103515245u + 12345u;
        size_t len = (x >> 16) % sizeof line;
        for (; n < len; n++) {
            x = x * 1103515245u + 12345u;
            line[n] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        int r = sh_parse(line, n, &cmd, err);
        if (r == 0) {
            ASSERT_EQ(err[0], 0);
            ASSERT_TRUE(cmd.ngrants <= SH_MAX_GRANTS && cmd.nargs <= SH_MAX_ARGS);
        } else {
            ASSERT_EQ(r, -1);
            ASSERT_TRUE(!strncmp(err, "column ", 7));
            for (const char *p = err; *p; p++)
                ASSERT_TRUE(*p >= 0x20 && *p < 0x7f);
            ASSERT_EQ(cmd.kind, SH_EMPTY);
        }
    }
}
