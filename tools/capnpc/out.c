/* SPDX-License-Identifier: MIT */
/*
 * out.c - output buffer, error reporting and identifier bookkeeping.
 *
 * A header is built in memory and written only if the whole file
 * generated without errors, so a failed run leaves no half-written file.
 * Every global identifier a header defines is registered; a second
 * registration of the same name is a schema naming collision and an error.
 */
#include "capnpc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Abort on allocation failure (host tool). */
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, GEN_NAME ": out of memory\n");
        exit(2);
    }
    return p;
}

void out(struct gen *g, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (g->out.len + (size_t)n + 1 > g->out.cap) {
        g->out.cap = (g->out.len + (size_t)n + 1) * 2;
        g->out.buf = xrealloc(g->out.buf, g->out.cap);
    }
    va_start(ap, fmt);
    vsnprintf(g->out.buf + g->out.len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    g->out.len += (size_t)n;
}

void gen_error(struct gen *g, const char *what, const char *fmt, ...)
{
    va_list ap;

    if (g->dry)
        return; /* reported by the real run */
    fprintf(stderr, GEN_NAME ": %s: %s: ", g->file ? g->file->path : "request",
            what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    g->errors++;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void gen_ident(struct gen *g, const char *ident, const char *what)
{
    if (g->dry) {
        if (!g->field_ctx)
            gen_reserve(g, ident);
        return;
    }
    for (size_t i = 0; i < g->nidents; i++) {
        if (strcmp(g->idents[i], ident) == 0) {
            gen_error(g, what, "generated C name '%s' is already used; "
                      "rename one of the schema items", ident);
            return;
        }
    }
    if (g->nidents == g->capidents) {
        g->capidents = g->capidents ? g->capidents * 2 : 256;
        g->idents = xrealloc(g->idents, g->capidents * sizeof *g->idents);
    }
    g->idents[g->nidents++] = xasprintf("%s", ident);
}

void gen_idents_reset(struct gen *g)
{
    for (size_t i = 0; i < g->nidents; i++)
        free(g->idents[i]);
    g->nidents = 0;
}

void gen_reserve(struct gen *g, const char *ident)
{
    if (g->nfixed == g->capfixed) {
        g->capfixed = g->capfixed ? g->capfixed * 2 : 256;
        g->fixed = xrealloc(g->fixed, g->capfixed * sizeof *g->fixed);
    }
    g->fixed[g->nfixed++] = xasprintf("%s", ident);
}

bool gen_name_taken(struct gen *g, const char *ident)
{
    for (size_t i = 0; i < g->nfixed; i++)
        if (strcmp(g->fixed[i], ident) == 0)
            return true;
    for (size_t i = 0; i < g->nidents; i++)
        if (strcmp(g->idents[i], ident) == 0)
            return true;
    return false;
}

void gen_reserved_reset(struct gen *g)
{
    for (size_t i = 0; i < g->nfixed; i++)
        free(g->fixed[i]);
    g->nfixed = 0;
}

char *c_string_lit(const uint8_t *p, uint32_t len)
{
    char *s = xrealloc(NULL, (size_t)len * 4 + 3), *o = s;

    *o++ = '"';
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c >= 0x20 && c < 0x7f && c != '?') {
            *o++ = (char)c;
        } else {
            /* Octal escapes never swallow a following digit beyond 3. */
            o += sprintf(o, "\\%03o", c);
        }
    }
    *o++ = '"';
    *o = '\0';
    return s;
}
