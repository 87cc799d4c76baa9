/* SPDX-License-Identifier: MIT */
/*
 * parse.c - the capability shell's command parser (see parse.h).
 *
 * A small tokenizer (words, strings, @names and the punctuation { } : ,)
 * under a recursive-descent parser, one function per rule.  Errors stop
 * at the first problem; the message names its column and what was
 * expected, and quotes at most a few bytes of the input, as printable
 * characters or \xNN.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

enum tok_kind { T_END, T_WORD, T_STRING, T_CAP, T_LBRACE, T_RBRACE, T_COLON,
                T_COMMA, T_BAD };

struct tok {
    enum tok_kind kind;
    size_t col;                     /* 1-based start column */
    char text[SH_ARG_MAX + 1];
};

struct parser {
    const char *s;
    size_t len, pos;
    struct tok t;                   /* the current token */
    char *err;
    int failed;
};

static const char *const tok_names[] = {
    [T_END] = "end of line", [T_WORD] = "a word", [T_STRING] = "a string",
    [T_CAP] = "@capability", [T_LBRACE] = "'{'", [T_RBRACE] = "'}'",
    [T_COLON] = "':'", [T_COMMA] = "','", [T_BAD] = "?"};

/* Copy the NUL-terminated src (known to fit) into dst[size]. */
static void copy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
           c == '=' || c == '+' || c == '-';
}

static int fail(struct parser *p, size_t col, const char *what)
{
    if (!p->failed)
        snprintf(p->err, SH_ERR_MAX + 1, "column %u: %s", (unsigned)col, what);
    p->failed = 1;
    return -1;
}

/* "unexpected X" for the byte at pos (printable or \xNN). */
static int fail_byte(struct parser *p, size_t pos)
{
    char m[48];
    unsigned char c = (unsigned char)p->s[pos];
    if (c >= 0x20 && c < 0x7f)
        snprintf(m, sizeof m, "unexpected character '%c'", c);
    else
        snprintf(m, sizeof m, "unexpected byte \\x%02x", c);
    return fail(p, pos + 1, m);
}

/* A string token after its opening quote. */
static int lex_string(struct parser *p)
{
    size_t n = 0, start = p->pos;
    for (p->pos++;; p->pos++) {
        if (p->pos >= p->len)
            return fail(p, start + 1, "unterminated string");
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"')
            break;
        if (c == '\\') {
            if (++p->pos >= p->len)
                return fail(p, start + 1, "unterminated string");
            c = (unsigned char)p->s[p->pos];
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c != '"' && c != '\\')
                return fail(p, p->pos, "unknown escape (use \\\" \\\\ \\n \\t)");
        } else if (c < 0x20 || c >= 0x7f) {
            return fail_byte(p, p->pos);
        }
        if (n == SH_ARG_MAX)
            return fail(p, start + 1, "string longer than 255 bytes");
        p->t.text[n++] = (char)c;
    }
    p->pos++;
    p->t.text[n] = 0;
    p->t.kind = T_STRING;
    return 0;
}

/* A run of word characters at pos into t.text (kind set by the caller);
 * too long: fail at the token's column. */
static int lex_word(struct parser *p, size_t max, const char *too_long)
{
    size_t n = 0;
    while (p->pos < p->len && is_word((unsigned char)p->s[p->pos])) {
        if (n == max)
            return fail(p, p->t.col, too_long);
        p->t.text[n++] = p->s[p->pos++];
    }
    p->t.text[n] = 0;
    return 0;
}

/* Advance to the next token. */
static int next(struct parser *p)
{
    static const char punct[] = "{}:,";
    static const enum tok_kind pkind[] = {T_LBRACE, T_RBRACE, T_COLON, T_COMMA};
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    p->t.col = p->pos + 1;
    p->t.text[0] = 0;
    if (p->pos >= p->len) {
        p->t.kind = T_END;
        return 0;
    }
    char c = p->s[p->pos];
    const char *pc = c ? strchr(punct, c) : NULL;
    if (pc) {
        p->t.kind = pkind[pc - punct];
        p->pos++;
        return 0;
    }
    if (c == '"')
        return lex_string(p);
    if (c == '@') {
        p->pos++;
        p->t.kind = T_CAP;
        if (lex_word(p, SH_NAME_MAX, "capability name longer than 27 bytes"))
            return -1;
        return p->t.text[0] ? 0 : fail(p, p->t.col, "'@' must be followed "
                                                    "by a capability name");
    }
    if (is_word((unsigned char)c)) {
        p->t.kind = T_WORD;
        return lex_word(p, SH_ARG_MAX, "word longer than 255 bytes");
    }
    p->t.kind = T_BAD;
    return fail_byte(p, p->pos);
}

/* Fail with "expected <what>, found <the current token>". */
static int expected(struct parser *p, const char *what)
{
    char m[96];
    if (p->t.kind == T_WORD || p->t.kind == T_CAP)
        snprintf(m, sizeof m, "expected %s, found %s\"%.24s\"", what,
                 p->t.kind == T_CAP ? "@" : "", p->t.text);
    else
        snprintf(m, sizeof m, "expected %s, found %s", what,
                 tok_names[p->t.kind]);
    return fail(p, p->t.col, m);
}

/* A valid CapSet-style name: [A-Za-z_][A-Za-z0-9_-]*. */
static int is_name(const char *s)
{
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
          s[0] == '_'))
        return 0;
    for (; *s; s++)
        if (*s == '.' || *s == '/' || *s == '=' || *s == '+')
            return 0;
    return 1;
}

/* grant := name ":" "@" name */
static int parse_grant(struct parser *p, struct sh_cmd *c)
{
    struct sh_grant *g;
    if (p->t.kind != T_WORD)
        return expected(p, "a grant name");
    if (!is_name(p->t.text))
        return fail(p, p->t.col, "a grant name is a letter or '_' followed "
                                 "by letters, digits, '_' or '-'");
    if (strlen(p->t.text) > SH_NAME_MAX)
        return fail(p, p->t.col, "grant name longer than 27 bytes");
    for (uint32_t i = 0; i < c->ngrants; i++)
        if (!strcmp(c->grants[i].name, p->t.text))
            return fail(p, p->t.col, "this grant name is given twice");
    if (c->ngrants == SH_MAX_GRANTS)
        return fail(p, p->t.col, "more than 8 grants");
    g = &c->grants[c->ngrants];
    copy(g->name, p->t.text, sizeof g->name);
    if (next(p))
        return -1;
    if (p->t.kind != T_COLON)
        return expected(p, "':' after the grant name");
    if (next(p))
        return -1;
    if (p->t.kind != T_CAP)
        return expected(p, "@capability after ':'");
    if (!is_name(p->t.text))
        return fail(p, p->t.col, "not a capability name");
    copy(g->cap, p->t.text, sizeof g->cap);
    c->ngrants++;
    return next(p);
}

/* grants := "{" (grant ("," grant)* ","?)? "}" */
static int parse_grants(struct parser *p, struct sh_cmd *c)
{
    if (p->t.kind != T_LBRACE)
        return expected(p, "'{' after \"with\"");
    if (next(p))
        return -1;
    while (p->t.kind != T_RBRACE) {
        if (parse_grant(p, c))
            return -1;
        if (p->t.kind == T_COMMA) {
            if (next(p))
                return -1;
        } else if (p->t.kind != T_RBRACE) {
            return expected(p, "',' or '}'");
        }
    }
    return next(p);
}

/* run/spawn: prog arg* ("with" grants)? */
static int parse_run(struct parser *p, struct sh_cmd *c)
{
    if (p->t.kind != T_WORD && p->t.kind != T_STRING)
        return expected(p, "the name of a program");
    if (!p->t.text[0])
        return fail(p, p->t.col, "empty program name");
    copy(c->prog, p->t.text, sizeof c->prog);
    if (next(p))
        return -1;
    while (p->t.kind == T_STRING ||
           (p->t.kind == T_WORD && strcmp(p->t.text, "with"))) {
        if (c->nargs == SH_MAX_ARGS)
            return fail(p, p->t.col, "more than 8 program arguments");
        copy(c->args[c->nargs++], p->t.text, sizeof c->args[0]);
        if (next(p))
            return -1;
    }
    if (p->t.kind == T_WORD) {              /* "with" */
        if (next(p) || parse_grants(p, c))
            return -1;
    }
    return p->t.kind == T_END ? 0 : expected(p, "\"with\" or end of line");
}

/* echo: its words and strings joined by one space. */
static int parse_echo(struct parser *p, struct sh_cmd *c)
{
    size_t n = 0;
    while (p->t.kind == T_WORD || p->t.kind == T_STRING) {
        size_t l = strlen(p->t.text);
        if (n + (n != 0) + l > SH_TEXT_MAX)
            return fail(p, p->t.col, "echo text longer than 255 bytes");
        if (n)
            c->text[n++] = ' ';
        memcpy(c->text + n, p->t.text, l);
        n += l;
        c->text[n] = 0;
        if (next(p))
            return -1;
    }
    return p->t.kind == T_END ? 0 : expected(p, "a word or a string");
}

/* An optional (or, if `need`, required) decimal number of up to 9 digits
 * with an optional '-'. */
static int parse_number(struct parser *p, struct sh_cmd *c, int need)
{
    const char *s = p->t.text;
    int neg = 0;
    if (p->t.kind == T_END && !need)
        return 0;
    if (p->t.kind != T_WORD)
        return expected(p, "a number");
    if (*s == '-') {
        neg = 1;
        s++;
    }
    size_t digits = 0;
    while (s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (!digits || digits > 9 || s[digits])
        return expected(p, "a number");
    for (c->num = 0; *s; s++)
        c->num = c->num * 10 + (*s - '0');
    if (neg)
        c->num = -c->num;
    if (next(p))
        return -1;
    return p->t.kind == T_END ? 0 : expected(p, "end of line");
}

static const struct {
    const char *word;
    enum sh_kind kind;
} commands[] = {
    {"help", SH_HELP}, {"caps", SH_CAPS}, {"jobs", SH_JOBS},
    {"echo", SH_ECHO}, {"exit", SH_EXIT}, {"wait", SH_WAIT},
    {"run", SH_RUN},   {"spawn", SH_SPAWN},
};

/* command := one of the commands above and its arguments. */
static int parse_command(struct parser *p, struct sh_cmd *c)
{
    char m[80];
    if (p->t.kind == T_END)
        return 0;
    if (p->t.kind != T_WORD)
        return expected(p, "a command");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(p->t.text, commands[i].word))
            continue;
        c->kind = commands[i].kind;
        if (next(p))
            return -1;
        switch (c->kind) {
        case SH_ECHO: return parse_echo(p, c);
        case SH_EXIT: return parse_number(p, c, 0);
        case SH_WAIT: return parse_number(p, c, 1);
        case SH_RUN:
        case SH_SPAWN: return parse_run(p, c);
        default:
            return p->t.kind == T_END ? 0 : expected(p, "end of line");
        }
    }
    snprintf(m, sizeof m, "unknown command \"%.24s\" (try \"help\")",
             p->t.text);
    return fail(p, p->t.col, m);
}

int sh_parse(const char *line, size_t len, struct sh_cmd *cmd, char *err)
{
    struct parser p = {.s = line, .len = len, .err = err};
    memset(cmd, 0, sizeof *cmd);
    err[0] = 0;
    if (next(&p) == 0 && parse_command(&p, cmd) == 0)
        return 0;
    memset(cmd, 0, sizeof *cmd);
    return -1;
}
