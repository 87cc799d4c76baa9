/* SPDX-License-Identifier: MIT */
/*
 * emit_file.c - layout of one generated header.
 *
 * Nodes of the file are collected depth-first in declaration order (nested
 * nodes, groups of each struct, implicit $Params/$Results of each method).
 * The header then has: banner, includes (runtime, headers of imported files
 * whose types are used), support macros, then
 *   pass 1: enums and the reader/builder typedefs of every struct,
 *   pass 2: group clear functions, struct accessors, constants,
 *   interfaces.
 * The body is generated first so that the includes of imported files are
 * known; nothing is written unless the whole file generated cleanly.
 */
#include "capnpc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Ordered nodes of the file being generated. */
struct order {
    struct gen_node **v;
    size_t n, cap;
};

static void order_add(struct order *o, struct gen_node *n)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->v = realloc(o->v, o->cap * sizeof *o->v);
        if (!o->v) {
            fprintf(stderr, GEN_NAME ": out of memory\n");
            exit(2);
        }
    }
    o->v[o->n++] = n;
}

static void collect(struct gen *g, struct order *o, struct gen_node *n,
                    unsigned depth);

/* Collect a node referenced from `parent` if it is scoped inside it. */
static void collect_child(struct gen *g, struct order *o, uint64_t id,
                          struct gen_node *parent, unsigned depth)
{
    struct gen_node *c = node_need(g, id, parent->display);

    uint64_t scope = c ? schema_node_get_scope_id(c->r) : 0;

    /* Implicit $Params/$Results have scope 0; explicit ones live elsewhere. */
    if (c && (scope == parent->id ||
              (scope == 0 && c->file_id == parent->file_id &&
               schema_node_which(c->r) == SCHEMA_NODE_STRUCT)))
        collect(g, o, c, depth + 1);
}

/* Groups of a struct and $Params/$Results of an interface's methods. */
static void collect_members(struct gen *g, struct order *o,
                            struct gen_node *n, unsigned depth)
{
    schema_node_which_t w = schema_node_which(n->r);

    if (w == SCHEMA_NODE_STRUCT) {
        schema_field_rlist fl =
            schema_node_struct_get_fields(schema_node_get_struct(n->r));
        for (uint32_t i = 0; i < schema_field_rlist_len(fl); i++) {
            schema_field_r f = schema_field_rlist_get(fl, i);
            if (schema_field_which(f) == SCHEMA_FIELD_GROUP)
                collect_child(g, o, schema_field_group_get_type_id(
                              schema_field_get_group(f)), n, depth);
        }
    } else if (w == SCHEMA_NODE_INTERFACE) {
        schema_method_rlist ml =
            schema_node_interface_get_methods(schema_node_get_interface(n->r));
        for (uint32_t i = 0; i < schema_method_rlist_len(ml); i++) {
            schema_method_r m = schema_method_rlist_get(ml, i);
            collect_child(g, o, schema_method_get_param_struct_type(m), n, depth);
            collect_child(g, o, schema_method_get_result_struct_type(m), n, depth);
        }
    }
}

static void collect(struct gen *g, struct order *o, struct gen_node *n,
                    unsigned depth)
{
    schema_node_nested_node_rlist nl = schema_node_get_nested_nodes(n->r);

    if (n->emitted || depth > 64) {
        if (depth > 64)
            gen_error(g, n->display, "malformed request: nesting too deep");
        return;
    }
    n->emitted = true;
    if (schema_node_which(n->r) != SCHEMA_NODE_FILE)
        order_add(o, n);
    collect_members(g, o, n, depth);
    for (uint32_t i = 0; i < schema_node_nested_node_rlist_len(nl); i++)
        collect_child(g, o, schema_node_nested_node_get_id(
                      schema_node_nested_node_rlist_get(nl, i)), n, depth);
}

/* Pass 1: enums and view typedefs. */
static void emit_pass1(struct gen *g, struct order *o)
{
    for (size_t i = 0; i < o->n; i++) {
        schema_node_which_t w = schema_node_which(o->v[i]->r);
        if (w == SCHEMA_NODE_ENUM)
            emit_enum(g, o->v[i]);
        else if (w == SCHEMA_NODE_INTERFACE)
            emit_iface_types(g, o->v[i]);
    }
    for (size_t i = 0; i < o->n; i++)
        if (schema_node_which(o->v[i]->r) == SCHEMA_NODE_STRUCT)
            emit_struct_types(g, o->v[i]);
    out(g, "\n");
}

/* Pass 2: accessors, constants, interfaces. */
static void emit_pass2(struct gen *g, struct order *o)
{
    bool ifaces = false;

    /* group clears, nested groups (collected later) first */
    for (size_t i = o->n; i-- > 0;)
        if (schema_node_which(o->v[i]->r) == SCHEMA_NODE_STRUCT)
            emit_group_clear(g, o->v[i]);
    for (size_t i = 0; i < o->n; i++)
        if (schema_node_which(o->v[i]->r) == SCHEMA_NODE_STRUCT)
            emit_struct_body(g, o->v[i]);
    for (size_t i = 0; i < o->n; i++)
        if (schema_node_which(o->v[i]->r) == SCHEMA_NODE_CONST)
            emit_const(g, o->v[i]);
    for (size_t i = 0; i < o->n; i++) {
        if (schema_node_which(o->v[i]->r) != SCHEMA_NODE_INTERFACE)
            continue;
        if (!ifaces)
            emit_iface_support(g);
        ifaces = true;
        emit_iface_body(g, o->v[i]);
    }
}

/* Header file name of a file node: "<basename>.h". */
static char *header_name(const char *path)
{
    const char *base = strrchr(path, '/');
    return xasprintf("%s.h", base ? base + 1 : path);
}

/* Banner, includes and support macros, in front of the body. */
static void emit_prologue(struct gen *g, struct gen_out *front)
{
    struct gen_out body = g->out;

    g->out = *front;
    out(g, "/* %s - generated by tools/capnpc (" GEN_NAME ") from %s.\n"
        " * Generated - do not edit.  See docs/capnp.md. */\n"
        "#pragma once\n\n#include <stdbool.h>\n#include <stdint.h>\n\n"
        "#include <capnp/capnp.h>\n", g->file->header, g->file->path);
    for (size_t i = 0; i < g->nused; i++) {
        struct gen_node *f = node_find(g, g->used_files[i]);
        char *h = header_name(text_str(schema_node_get_display_name(f->r)));
        out(g, "#include \"%s\"\n", h);
        free(h);
    }
    out(g, "\n#ifndef CAPNPC_SUPPORT\n#define CAPNPC_SUPPORT 1\n"
        "/* Offset given for an inactive union member: reads as the default. */\n"
        "#define CAPNPC_ABSENT 0xffffffffu\n"
        "/* float/double accessors need an FPU (the kernel has none). */\n"
        "#if !defined(__x86_64__) || defined(__SSE2__)\n#define CAPNPC_FLOAT 1\n"
        "#include <capnp/float.h>\n#else\n#define CAPNPC_FLOAT 0\n#endif\n"
        "#endif\n\n");
    *front = g->out;
    g->out = body;
}

/* Write the finished header into the current directory. */
static bool write_header(struct gen *g, const struct gen_out *front)
{
    FILE *f = fopen(g->file->header, "w");
    bool ok;

    if (!f) {
        gen_error(g, g->file->header, "cannot create output file");
        return false;
    }
    ok = fwrite(front->buf, 1, front->len, f) == front->len &&
         fwrite(g->out.buf, 1, g->out.len, f) == g->out.len;
    ok = (fclose(f) == 0) && ok;
    if (!ok)
        gen_error(g, g->file->header, "write failed");
    return ok;
}

bool emit_file(struct gen *g, schema_code_generator_request_requested_file_r rf)
{
    struct gen_file file = {0};
    struct gen_out front = {0};
    struct order o = {0};
    struct gen_node *fn;
    int errors = g->errors;
    bool ok = false;

    file.id = schema_code_generator_request_requested_file_get_id(rf);
    file.path = text_str(schema_code_generator_request_requested_file_get_filename(rf));
    file.prefix = file_stem(file.path);
    file.header = header_name(file.path);
    g->file = &file;
    g->out.len = 0;
    g->nused = 0;
    gen_idents_reset(g);
    fn = node_need(g, file.id, "requested file");
    if (fn && schema_node_which(fn->r) == SCHEMA_NODE_FILE) {
        collect(g, &o, fn, 0);
        emit_pass1(g, &o);
        emit_pass2(g, &o);
        emit_prologue(g, &front);
        if (capnp_msg_error(&g->msg) != CAPNP_OK)
            gen_error(g, "CodeGeneratorRequest", "malformed message: %s",
                      capnp_strerror(capnp_msg_error(&g->msg)));
        ok = g->errors == errors && write_header(g, &front) &&
             emit_rpc_file(g, o.v, o.n);
    } else if (fn) {
        gen_error(g, file.path, "malformed request: requested id is not a file");
    }
    free(o.v);
    free(front.buf);
    free(file.prefix);
    free(file.header);
    g->file = NULL;
    return ok;
}
