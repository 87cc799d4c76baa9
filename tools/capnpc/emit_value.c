/* SPDX-License-Identifier: MIT */
/*
 * emit_value.c - enums, constants and default values.
 *
 * Scalars are emitted as raw wire bits (floats too: the runtime keeps
 * floats as bits so kernel code compiles without SSE).  Pointer values
 * (struct/list defaults and constants) are deep-copied with lib/capnp into
 * a fresh single-segment message and emitted as a static word array whose
 * word 0 is the root pointer; the runtime reads a null field from it.
 */
#include "capnpc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *scalar_rt(schema_type_which_t w)
{
    switch (w) {
    case SCHEMA_TYPE_BOOL: return "bool";
    case SCHEMA_TYPE_INT8: return "i8";
    case SCHEMA_TYPE_INT16: return "i16";
    case SCHEMA_TYPE_INT32: return "i32";
    case SCHEMA_TYPE_INT64: return "i64";
    case SCHEMA_TYPE_UINT8: return "u8";
    case SCHEMA_TYPE_UINT16: return "u16";
    case SCHEMA_TYPE_UINT32: return "u32";
    case SCHEMA_TYPE_UINT64: return "u64";
    case SCHEMA_TYPE_FLOAT32: return "f32_bits";
    case SCHEMA_TYPE_FLOAT64: return "f64_bits";
    case SCHEMA_TYPE_ENUM: return "u16";
    default: return NULL;
    }
}

/* C type of the raw value of a scalar kind ("uint32_t" for float32). */
static const char *scalar_raw_ctype(schema_type_which_t w)
{
    switch (w) {
    case SCHEMA_TYPE_BOOL: return "bool";
    case SCHEMA_TYPE_INT8: return "int8_t";
    case SCHEMA_TYPE_INT16: return "int16_t";
    case SCHEMA_TYPE_INT32: return "int32_t";
    case SCHEMA_TYPE_INT64: return "int64_t";
    case SCHEMA_TYPE_UINT8: return "uint8_t";
    case SCHEMA_TYPE_UINT16: case SCHEMA_TYPE_ENUM: return "uint16_t";
    case SCHEMA_TYPE_UINT32: case SCHEMA_TYPE_FLOAT32: return "uint32_t";
    case SCHEMA_TYPE_UINT64: case SCHEMA_TYPE_FLOAT64: return "uint64_t";
    default: return NULL;
    }
}

const char *scalar_ctype(struct gen *g, schema_type_r t)
{
    schema_type_which_t w = schema_type_which(t);

    if (w == SCHEMA_TYPE_ENUM) {
        uint64_t id = schema_type_enum_get_type_id(schema_type_get_enum(t));
        struct gen_node *e = node_use(g, id, "enum type");
        static char buf[512];
        snprintf(buf, sizeof buf, "%s_t", e ? e->cname : "int");
        return buf;
    }
    return scalar_raw_ctype(w);
}

bool type_is_pointer(schema_type_which_t w)
{
    return w == SCHEMA_TYPE_TEXT || w == SCHEMA_TYPE_DATA ||
           w == SCHEMA_TYPE_LIST || w == SCHEMA_TYPE_STRUCT ||
           w == SCHEMA_TYPE_INTERFACE || w == SCHEMA_TYPE_ANY_POINTER;
}

const char *type_kind_name(schema_type_which_t w)
{
    static const char *const names[] = {
        "void", "bool", "int8", "int16", "int32", "int64", "uint8",
        "uint16", "uint32", "uint64", "float32", "float64", "text", "data",
        "list", "enum", "struct", "interface", "anyPointer"};
    return (unsigned)w < sizeof names / sizeof names[0] ? names[w] : "?";
}

enum capnp_elem list_elem(schema_type_r elem)
{
    switch (schema_type_which(elem)) {
    case SCHEMA_TYPE_VOID: return CAPNP_ELEM_VOID;
    case SCHEMA_TYPE_BOOL: return CAPNP_ELEM_BIT;
    case SCHEMA_TYPE_INT8: case SCHEMA_TYPE_UINT8: return CAPNP_ELEM_BYTE;
    case SCHEMA_TYPE_INT16: case SCHEMA_TYPE_UINT16: case SCHEMA_TYPE_ENUM:
        return CAPNP_ELEM_TWO;
    case SCHEMA_TYPE_INT32: case SCHEMA_TYPE_UINT32: case SCHEMA_TYPE_FLOAT32:
        return CAPNP_ELEM_FOUR;
    case SCHEMA_TYPE_INT64: case SCHEMA_TYPE_UINT64: case SCHEMA_TYPE_FLOAT64:
        return CAPNP_ELEM_EIGHT;
    case SCHEMA_TYPE_STRUCT: return CAPNP_ELEM_COMPOSITE;
    default: return CAPNP_ELEM_POINTER;
    }
}

char *scalar_bits_lit(schema_value_r v)
{
    switch (schema_value_which(v)) {
    case SCHEMA_VALUE_BOOL:
        return xasprintf("%s", schema_value_get_bool(v) ? "true" : "false");
    case SCHEMA_VALUE_INT8:
        return xasprintf("INT8_C(%d)", schema_value_get_int8(v));
    case SCHEMA_VALUE_INT16:
        return xasprintf("INT16_C(%d)", schema_value_get_int16(v));
    case SCHEMA_VALUE_INT32:
        return xasprintf("INT32_C(%" PRId32 ")", schema_value_get_int32(v));
    case SCHEMA_VALUE_INT64: {
        int64_t x = schema_value_get_int64(v);
        if (x == INT64_MIN)
            return xasprintf("(-INT64_C(9223372036854775807) - 1)");
        return xasprintf("INT64_C(%" PRId64 ")", x);
    }
    case SCHEMA_VALUE_UINT8:
        return xasprintf("UINT8_C(%u)", schema_value_get_uint8(v));
    case SCHEMA_VALUE_UINT16:
        return xasprintf("UINT16_C(%u)", schema_value_get_uint16(v));
    case SCHEMA_VALUE_UINT32:
        return xasprintf("UINT32_C(%" PRIu32 ")", schema_value_get_uint32(v));
    case SCHEMA_VALUE_UINT64:
        return xasprintf("UINT64_C(%" PRIu64 ")", schema_value_get_uint64(v));
    case SCHEMA_VALUE_FLOAT32:
        return xasprintf("UINT32_C(0x%08" PRIx32 ")",
                         schema_value_get_float32_bits(v));
    case SCHEMA_VALUE_FLOAT64:
        return xasprintf("UINT64_C(0x%016" PRIx64 ")",
                         schema_value_get_float64_bits(v));
    case SCHEMA_VALUE_ENUM:
        return xasprintf("UINT16_C(%u)", schema_value_get_enum(v));
    default:
        return xasprintf("0");
    }
}

/* Total words of the request message (bounds a deep copy of a value). */
static uint64_t request_words(const struct gen *g)
{
    uint64_t n = 0;

    for (uint32_t i = 0; i < g->msg.nsegs; i++)
        n += g->msg.segs[i].nwords;
    return n;
}

char *emit_ptr_default(struct gen *g, const char *fname, struct capnp_ptr p)
{
    uint64_t nw = request_words(g) * 2 + 16;
    uint64_t *arena = calloc(nw, sizeof *arena);
    struct capnp_builder b;
    struct capnp_ptr_builder root;
    const uint64_t *w;
    uint32_t used;

    if (!p.p || *p.p == 0 || !arena) {
        free(arena);
        return NULL;
    }
    capnp_builder_init(&b, arena, (uint32_t)nw);
    root = capnp_builder_root_ptr(&b);
    capnp_ptr_copy(&root, &p);
    w = capnp_builder_flat(&b, &used);
    if (capnp_builder_error(&b) != CAPNP_OK || !w ||
        capnp_msg_error(&g->msg) != CAPNP_OK) {
        gen_error(g, fname, "malformed request: bad default value");
        free(arena);
        return NULL;
    }
    gen_ident(g, fname, fname);
    out(g, "static inline const struct capnp_seg *%s(void)\n{\n"
        "    static const uint64_t w[%u] = {", fname, used);
    for (uint32_t i = 0; i < used; i++)
        out(g, "%sUINT64_C(0x%016" PRIx64 "),", i % 3 ? " " : "\n        ",
            w[i]);
    out(g, "\n    };\n    static const struct capnp_seg seg = {w, %u};\n"
        "    return &seg;\n}\n", used);
    free(arena);
    return xasprintf("%s()", fname);
}

/* Name function of an enum: its enumerant names for logs. */
static void emit_enum_name_fn(struct gen *g, struct gen_node *n,
                              schema_enumerant_rlist l)
{
    char *fn = xasprintf("%s_name", n->cname);

    gen_ident(g, fn, n->display);
    out(g, "/* Schema name of a %s value, or NULL if unknown. */\n"
        "static inline const char *%s(%s_t v)\n{\n    switch (v) {\n",
        n->display, fn, n->cname);
    for (uint32_t i = 0; i < schema_enumerant_rlist_len(l); i++) {
        schema_enumerant_r e = schema_enumerant_rlist_get(l, i);
        char *en = snake(text_str(schema_enumerant_get_name(e)),
                         schema_enumerant_get_name(e).len);
        char *ue = upper(en);
        struct capnp_text nm = schema_enumerant_get_name(e);
        char *lit = c_string_lit((const uint8_t *)text_str(nm), nm.len);
        out(g, "    case %s_%s: return %s;\n", n->ucname, ue, lit);
        free(lit);
        free(en);
        free(ue);
    }
    out(g, "    default: return (const char *)0;\n    }\n}\n\n");
    free(fn);
}

void emit_enum(struct gen *g, struct gen_node *n)
{
    schema_enumerant_rlist l =
        schema_node_enum_get_enumerants(schema_node_get_enum(n->r));
    uint32_t count = schema_enumerant_rlist_len(l);
    char *tname = xasprintf("%s_t", n->cname);

    gen_ident(g, n->cname, n->display);
    gen_ident(g, tname, n->display);
    out(g, "/* enum %s (0x%016" PRIx64 ") */\ntypedef enum %s {\n",
        n->display, n->id, n->cname);
    for (uint32_t i = 0; i < count; i++) {
        schema_enumerant_r e = schema_enumerant_rlist_get(l, i);
        struct capnp_text name = schema_enumerant_get_name(e);
        char *en = snake(text_str(name), name.len), *ue = upper(en);
        char *ident = xasprintf("%s_%s", n->ucname, ue);
        gen_ident(g, ident, n->display);
        out(g, "    %s = %u,\n", ident, i);
        free(en);
        free(ue);
        free(ident);
    }
    out(g, "} %s;\n#define %s__COUNT %u\n#define %s_TYPE_ID UINT64_C(0x%016"
        PRIx64 ")\n\n", tname, n->ucname, count, n->ucname, n->id);
    emit_enum_name_fn(g, n, l);
    free(tname);
}

/* A scalar const: a macro of the right type. */
static void emit_const_scalar(struct gen *g, struct gen_node *n,
                              schema_type_r t, schema_value_r v)
{
    schema_type_which_t w = schema_type_which(t);
    char *lit = scalar_bits_lit(v);

    if (w == SCHEMA_TYPE_FLOAT32 || w == SCHEMA_TYPE_FLOAT64) {
        char *m = xasprintf("%s_BITS", n->ucname);
        gen_ident(g, m, n->display);
        out(g, "#define %s %s /* IEEE bits */\n", m, lit);
        free(m);
    } else if (w == SCHEMA_TYPE_ENUM) {
        gen_ident(g, n->ucname, n->display);
        out(g, "#define %s ((%s)%s)\n", n->ucname, scalar_ctype(g, t), lit);
    } else {
        gen_ident(g, n->ucname, n->display);
        out(g, "#define %s %s\n", n->ucname, lit);
    }
    free(lit);
}

/* A list/struct/anyPointer const: a function returning a view of it. */
static void emit_const_ptr(struct gen *g, struct gen_node *n,
                           schema_type_r t, struct capnp_ptr p)
{
    schema_type_which_t w = schema_type_which(t);
    char *dname = xasprintf("%s__value", n->cname);
    char *seg = emit_ptr_default(g, dname, p);
    const char *segx = seg ? seg : "(const struct capnp_seg *)0";

    gen_ident(g, n->cname, n->display);
    if (w == SCHEMA_TYPE_STRUCT) {
        uint64_t id = schema_type_struct_get_type_id(schema_type_get_struct(t));
        struct gen_node *s = node_use(g, id, n->display);
        const char *sn = s ? s->cname : "?";
        out(g, "static inline %s_r %s(void)\n{\n    struct capnp_ptr p = {0};\n"
            "    %s_r v = {capnp_ptr_read_struct(&p, %s)};\n    return v;\n}\n",
            sn, n->cname, sn, segx);
    } else if (w == SCHEMA_TYPE_LIST) {
        schema_type_r e = schema_type_list_get_element_type(
            schema_type_get_list(t));
        out(g, "static inline struct capnp_list %s(void)\n{\n"
            "    struct capnp_ptr p = {0};\n"
            "    return capnp_ptr_read_list(&p, (enum capnp_elem)%d, %s);\n}\n",
            n->cname, (int)list_elem(e), segx);
    } else {
        out(g, "static inline struct capnp_ptr %s(void)\n{\n"
            "    const struct capnp_seg *s = %s;\n"
            "    struct capnp_ptr p = {(struct capnp_msg *)0, s, s ? s->words : "
            "(const uint64_t *)0, CAPNP_DEFAULT_NESTING};\n    return p;\n}\n",
            n->cname, segx);
    }
    free(dname);
    free(seg);
}

void emit_const(struct gen *g, struct gen_node *n)
{
    schema_node_const_r c = schema_node_get_const(n->r);
    schema_type_r t = schema_node_const_get_type(c);
    schema_value_r v = schema_node_const_get_value(c);
    schema_type_which_t w = schema_type_which(t);

    out(g, "/* const %s */\n", n->display);
    if (w == SCHEMA_TYPE_VOID) {
        out(g, "/* (void: nothing to emit) */\n\n");
        return;
    }
    if (!type_is_pointer(w)) {
        emit_const_scalar(g, n, t, v);
    } else if (w == SCHEMA_TYPE_TEXT) {
        struct capnp_text s = schema_value_get_text(v);
        char *lit = c_string_lit((const uint8_t *)text_str(s), s.len);
        gen_ident(g, n->ucname, n->display);
        out(g, "#define %s %s\n", n->ucname, lit);
        free(lit);
    } else if (w == SCHEMA_TYPE_DATA) {
        struct capnp_data d = schema_value_get_data(v);
        char *lit = c_string_lit(d.ptr, d.len);
        gen_ident(g, n->cname, n->display);
        out(g, "static inline struct capnp_data %s(void)\n{\n"
            "    struct capnp_data d = {(const uint8_t *)%s, %u};\n"
            "    return d;\n}\n", n->cname, lit, d.len);
        free(lit);
    } else if (w == SCHEMA_TYPE_INTERFACE) {
        gen_error(g, n->display, "unsupported: constant of interface type");
    } else {
        struct capnp_ptr p = w == SCHEMA_TYPE_STRUCT ? schema_value_get_struct(v)
                           : w == SCHEMA_TYPE_LIST ? schema_value_get_list(v)
                           : schema_value_get_any_pointer(v);
        emit_const_ptr(g, n, t, p);
    }
    out(g, "\n");
}
