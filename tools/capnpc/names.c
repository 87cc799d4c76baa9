/* SPDX-License-Identifier: MIT */
/*
 * names.c - C identifiers derived from Cap'n Proto names.
 *
 * Scheme (docs/capnp.md "Naming"): a node's C name is the file prefix (the
 * file name's stem, "capos" for schema/capos.capnp) followed by every
 * component of its scoped name in snake_case, joined by '_':
 *   CapGrant.source        -> capos_cap_grant_source
 *   Console.write$Params   -> capos_console_write_params
 * Macros and enumerants use the upper-case form (CAPOS_CAP_GRANT_...).
 */
#include "capnpc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Heap buffer large enough for any derived name of `len` input bytes. */
static char *name_buf(size_t len)
{
    char *s = malloc(2 * len + 1);
    if (!s) {
        fprintf(stderr, GEN_NAME ": out of memory\n");
        exit(2);
    }
    return s;
}

char *snake(const char *name, size_t len)
{
    char *s = name_buf(len), *o = s;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        bool up = isupper(c);
        bool prev_low = i > 0 && (islower((unsigned char)name[i - 1]) ||
                                  isdigit((unsigned char)name[i - 1]));
        bool next_low = i + 1 < len && islower((unsigned char)name[i + 1]);
        bool prev_up = i > 0 && isupper((unsigned char)name[i - 1]);
        if (up && o != s && o[-1] != '_' && (prev_low || (prev_up && next_low)))
            *o++ = '_';
        *o++ = isalnum(c) ? (char)tolower(c) : '_';
    }
    *o = '\0';
    return s;
}

char *upper(const char *s)
{
    char *u = name_buf(strlen(s)), *o = u;

    while (*s)
        *o++ = (char)toupper((unsigned char)*s++);
    *o = '\0';
    return u;
}

char *file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t len;

    base = base ? base + 1 : path;
    len = strcspn(base, ".");
    return snake(base, len);
}

/* C name of `rest` ("CapGrant.source") under `prefix`. */
static char *scoped_cname(const char *prefix, const char *rest)
{
    char *c = xasprintf("%s", prefix);

    while (*rest) {
        size_t n = strcspn(rest, ".$");
        char *part = snake(rest, n), *joined = xasprintf("%s_%s", c, part);
        free(part);
        free(c);
        c = joined;
        rest += n;
        if (*rest)
            rest++;
    }
    return c;
}

void names_assign(struct gen *g)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        struct gen_node *n = &g->nodes[i];
        struct gen_node *f = node_find(g, n->file_id);
        const char *dn = text_str(schema_node_get_display_name(n->r));
        const char *fdn = f ? text_str(schema_node_get_display_name(f->r)) : "";
        size_t flen = strlen(fdn);
        const char *rest = "";
        char *prefix = file_stem(fdn);

        if (n != f && strncmp(dn, fdn, flen) == 0 && dn[flen] == ':')
            rest = dn + flen + 1;
        n->display = xasprintf("%s", rest[0] ? rest : dn);
        n->cname = scoped_cname(prefix, rest);
        n->ucname = upper(n->cname);
        free(prefix);
    }
}
