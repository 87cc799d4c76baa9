/* SPDX-License-Identifier: MIT */
/*
 * capnpc.h - internals of capnpc-capos, the Cap'n Proto -> C generator.
 *
 * The plugin reads a CodeGeneratorRequest with lib/capnp through the
 * generated accessors in schema.capnp.h (bootstrap, see docs/capnp.md),
 * indexes every node by id, and writes one header per requested file.
 * Emission is split by node kind: emit_struct.c (structs, groups, unions),
 * emit_iface.c (interfaces: ids, methods, SQE helpers, dispatch tables),
 * emit_client.c (the typed RPC header: handles, client stubs),
 * emit_value.c (enums, constants, default values) and emit_file.c (file
 * layout and ordering).  Naming lives in names.c, output in out.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <capnp/capnp.h>

#include "schema.capnp.h"

#define GEN_NAME "capnpc-capos"

/* One node of the request, with its derived C names. */
struct gen_node {
    uint64_t id;
    schema_node_r r;
    uint64_t file_id;     /* the file node this node belongs to */
    char *cname;          /* "capos_cap_grant" (prefix + scope path) */
    char *ucname;         /* "CAPOS_CAP_GRANT" */
    char *display;        /* "CapGrant" (after the file prefix) */
    bool emitted;
};

/* One requested file being generated. */
struct gen_file {
    uint64_t id;
    const char *path;     /* as given by capnp ("schema/capos.capnp") */
    char *prefix;         /* "capos" */
    char *header;         /* "capos.capnp.h" */
};

/* Output buffer of one header. */
struct gen_out {
    char *buf;
    size_t len, cap;
};

/* The whole run. */
struct gen {
    struct capnp_msg msg;
    struct gen_node *nodes;   /* sorted by id */
    size_t nnodes;
    struct gen_file *file;    /* file being emitted */
    struct gen_out out;
    char **idents;            /* identifiers emitted in this file */
    size_t nidents, capidents;
    int errors;
    uint64_t used_files[64];  /* other files whose types this file uses */
    size_t nused;
};

/* ---- out.c ---- */
/* Append formatted text to the current output. */
void out(struct gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Report an error about `what` (a type or member name) and count it. */
void gen_error(struct gen *g, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Register an emitted global identifier; reports a collision once. */
void gen_ident(struct gen *g, const char *ident, const char *what);
/* Forget the identifiers of the previous file. */
void gen_idents_reset(struct gen *g);
/* printf into a fresh heap string (exits on allocation failure). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Escape bytes for a C string literal (heap string). */
char *c_string_lit(const uint8_t *p, uint32_t len);

/* ---- names.c ---- */
/* camelCase / PascalCase -> snake_case (heap string). */
char *snake(const char *name, size_t len);
/* Lower-case C name -> upper-case macro name (heap string). */
char *upper(const char *s);
/* Compute cname/ucname/display of every node (file prefix = stem). */
void names_assign(struct gen *g);
/* File-name stem "schema/capos.capnp" -> "capos" (heap string). */
char *file_stem(const char *path);

/* ---- nodes.c ---- */
/* Index the request's nodes; false (with an error) on malformed input. */
bool nodes_index(struct gen *g, schema_code_generator_request_r req);
/* Node with `id`, or NULL. */
struct gen_node *node_find(struct gen *g, uint64_t id);
/* Like node_find, but report an error naming `user` if missing. */
struct gen_node *node_need(struct gen *g, uint64_t id, const char *user);
/* node_need() for a type reference: also records the file to #include. */
struct gen_node *node_use(struct gen *g, uint64_t id, const char *user);
/* Text view as a NUL-terminated C string (views are NUL-terminated). */
static inline const char *text_str(struct capnp_text t)
{
    return t.str ? t.str : "";
}

/* ---- emit_file.c ---- */
/* Generate the header of one requested file into the output dir (cwd). */
bool emit_file(struct gen *g, schema_code_generator_request_requested_file_r rf);

/* ---- emit_struct.c ---- */
/* Typedefs of a struct (and its list types) - first pass. */
void emit_struct_types(struct gen *g, struct gen_node *n);
/* Constants, union enum and accessors of a struct - second pass. */
void emit_struct_body(struct gen *g, struct gen_node *n);
/* G__clear() of a group node (nothing for other structs). */
void emit_group_clear(struct gen *g, struct gen_node *n);

/* ---- emit_value.c ---- */
/* `enum prefix_name { ... }` for an enum node. */
void emit_enum(struct gen *g, struct gen_node *n);
/* Macro or accessor function for a const node. */
void emit_const(struct gen *g, struct gen_node *n);
/* C type of a scalar (non-pointer) schema type, e.g. "uint32_t". */
const char *scalar_ctype(struct gen *g, schema_type_r t);
/* Runtime accessor suffix of a scalar type ("u32", "bool", "f32_bits"). */
const char *scalar_rt(schema_type_which_t w);
/* A scalar value as a C literal of the raw wire bits ("UINT32_C(5)"). */
char *scalar_bits_lit(schema_value_r v);
/* Emit a static-segment function for a pointer default; returns its name. */
char *emit_ptr_default(struct gen *g, const char *fname, struct capnp_ptr p);
/* True for text/data/list/struct/interface/anyPointer. */
bool type_is_pointer(schema_type_which_t w);
/* List element size of a list's element type. */
enum capnp_elem list_elem(schema_type_r elem);
/* Human name of a type kind ("text"). */
const char *type_kind_name(schema_type_which_t w);

/* ---- emit_iface.c ---- */
void emit_iface_types(struct gen *g, struct gen_node *n);
void emit_iface_body(struct gen *g, struct gen_node *n);
/* Shared declarations used by interface code, emitted once per header. */
void emit_iface_support(struct gen *g);
/* A struct member or parameter name that is not a C keyword (heap). */
char *c_member_name(const char *sn);
/* Doc comment of method i of interface n, or NULL. */
const char *iface_member_doc(struct gen *g, struct gen_node *n, uint32_t i);
/* Continue a C comment with the lines of a schema doc comment. */
void iface_emit_doc(struct gen *g, const char *doc);

/* ---- emit_client.c ---- */
/* Write <file>.capnp.rpc.h (handles, client stubs, service tables) for the
 * interfaces among v[n]; true if it was written. */
bool emit_rpc_file(struct gen *g, struct gen_node **v, size_t n);
