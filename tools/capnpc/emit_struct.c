/* SPDX-License-Identifier: MIT */
/*
 * emit_struct.c - readers and builders of structs, groups and unions.
 *
 * For struct S with C name N the header gets:
 *   N_r / N_b            reader / builder views (wrapping lib/capnp views)
 *   N_rlist / N_blist   typed List(S) views (not for groups)
 *   N_read_root, N_init_root, N_as_reader, N_rlist_len/get, N_blist_at
 *   N_which, N_which_t   the unnamed union's discriminant
 *   N_get_F / N_has_F    field readers (defaults applied; an inactive union
 *                        member reads as its default)
 *   N_set_F / N_init_F / N_slot_F   field builders (a union member's setter
 *                        also sets the discriminant)
 * A group is a view of its parent's struct under another type; G__clear()
 * zeroes its fields (pointer objects included) and its union's
 * discriminant, and N_init_G() calls it, as the reference does, so a
 * re-initialised group or union member reads as defaults.
 */
#include "capnpc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NO_DISCRIMINANT 0xffffu

/* Everything needed to emit the accessors of one field. */
struct fld {
    struct gen *g;
    struct gen_node *n;       /* owning struct or group */
    schema_field_r f;
    const char *name;         /* schema name */
    char *sn;                 /* snake name */
    char *acc;                /* reader offset expression (union-aware) */
    char *arm;                /* builder prologue setting the discriminant */
    char *which_val;          /* union enumerant, NULL if not in a union */
};

/* Register and open one accessor: "static inline RET N_VERB_F(ARGS)". */
static void fn_open(struct fld *x, const char *ret, const char *verb,
                    const char *args)
{
    char *fn = xasprintf("%s_%s_%s", x->n->cname, verb, x->sn);

    gen_ident(x->g, fn, x->name);
    out(x->g, "static inline %s %s(%s)\n{\n", ret, fn, args);
    free(fn);
}

/* Reader/builder argument lists of the owning struct. */
static char *rarg(struct fld *x) { return xasprintf("%s_r r", x->n->cname); }
static char *barg(struct fld *x, const char *extra)
{
    return xasprintf("%s_b b%s", x->n->cname, extra);
}

/* One reader function whose body is "return EXPR;". */
static void reader(struct fld *x, const char *ret, const char *verb,
                   const char *expr)
{
    char *a = rarg(x);
    fn_open(x, ret, verb, a);
    out(x->g, "    return %s;\n}\n", expr);
    free(a);
}

/* One builder function: prologue (discriminant) then `body`. */
static void builder(struct fld *x, const char *ret, const char *verb,
                    const char *extra, const char *body)
{
    char *a = barg(x, extra);
    fn_open(x, ret, verb, a);
    out(x->g, "%s%s}\n", x->arm, body);
    free(a);
}

/* float/double wrappers over the _bits accessors (need an FPU). */
static void emit_float_pair(struct fld *x, bool f32)
{
    const char *ft = f32 ? "float" : "double", *bits = f32 ? "f32" : "f64";
    char *a = rarg(x), *extra = xasprintf(", %s v", ft), *body;

    out(x->g, "#if CAPNPC_FLOAT\n");
    fn_open(x, ft, "get", a);
    out(x->g, "    return capnp_bits_%s(%s_get_%s_bits(r));\n}\n", bits,
        x->n->cname, x->sn);
    body = xasprintf("    %s_set_%s_bits(b, capnp_%s_bits(v));\n",
                     x->n->cname, x->sn, bits);
    free(a);
    a = barg(x, extra);
    fn_open(x, "void", "set", a);
    out(x->g, "%s}\n#endif\n", body);
    free(a);
    free(extra);
    free(body);
}

/* Accessors of a scalar slot (bool, integers, enums, floats as bits). */
static void emit_scalar(struct fld *x, schema_type_r t, uint32_t off,
                        schema_value_r dv)
{
    schema_type_which_t w = schema_type_which(t);
    const char *rt = scalar_rt(w), *ct = scalar_ctype(x->g, t);
    char *ctype = xasprintf("%s", ct), *def = scalar_bits_lit(dv);
    bool fl = w == SCHEMA_TYPE_FLOAT32 || w == SCHEMA_TYPE_FLOAT64;
    const char *raw = w == SCHEMA_TYPE_ENUM ? "uint16_t" : ctype;
    char *e, *body, *extra;

    if (schema_value_which(dv) != (schema_value_which_t)w &&
        !(schema_value_which(dv) == SCHEMA_VALUE_VOID))
        gen_error(x->g, x->name, "malformed request: default value kind "
                  "does not match the field type");
    char *plain = x->sn;
    if (fl)
        x->sn = xasprintf("%s_bits", plain);   /* N_get_F_bits, N_set_F_bits */
    e = xasprintf("(%s)capnp_read_%s(&r.s, %s, %s)", ctype, rt, x->acc, def);
    reader(x, ctype, "get", e);
    extra = xasprintf(", %s v", ctype);
    body = xasprintf("    capnp_write_%s(&b.s, %uu, (%s)v, %s);\n", rt, off, raw,
                     def);
    builder(x, "void", "set", extra, body);
    if (fl) {
        free(x->sn);
        x->sn = plain;
        emit_float_pair(x, w == SCHEMA_TYPE_FLOAT32);
    }
    free(ctype);
    free(def);
    free(e);
    free(body);
    free(extra);
}

/* has_F for pointer fields. */
static void emit_has(struct fld *x)
{
    char *e = xasprintf("capnp_has_ptr(&r.s, %s)", x->acc);
    reader(x, "bool", "has", e);
    free(e);
}

/* Text and Data fields. */
static void emit_blob(struct fld *x, bool text, uint32_t off,
                      schema_value_r dv)
{
    char *def, *e, *body;

    if (text) {
        struct capnp_text t = schema_value_get_text(dv);
        char *lit = c_string_lit((const uint8_t *)text_str(t), t.len);
        def = t.len ? xasprintf("(struct capnp_text){%s, %u}", lit, t.len)
                    : xasprintf("(struct capnp_text){(const char *)0, 0}");
        free(lit);
    } else {
        struct capnp_data d = schema_value_get_data(dv);
        char *lit = c_string_lit(d.ptr, d.len);
        def = d.len ? xasprintf("(struct capnp_data){(const uint8_t *)%s, %u}",
                                lit, d.len)
                    : xasprintf("(struct capnp_data){(const uint8_t *)0, 0}");
        free(lit);
    }
    e = xasprintf("capnp_read_%s(&r.s, %s, %s)", text ? "text" : "data",
                  x->acc, def);
    reader(x, text ? "struct capnp_text" : "struct capnp_data", "get", e);
    emit_has(x);
    body = xasprintf("    capnp_set_%s(&b.s, %uu, %s, len);\n",
                     text ? "text" : "data", off, text ? "s" : "d");
    builder(x, "void", "set", text ? ", const char *s, uint32_t len"
                                   : ", const void *d, uint32_t len", body);
    free(def);
    free(e);
    free(body);
}

/* Struct-typed fields. */
static void emit_struct_field(struct fld *x, schema_type_r t, uint32_t off,
                              schema_value_r dv)
{
    uint64_t id = schema_type_struct_get_type_id(schema_type_get_struct(t));
    struct gen_node *s = node_use(x->g, id, x->name);
    char *dn = xasprintf("%s__default_%s", x->n->cname, x->sn);
    char *seg = emit_ptr_default(x->g, dn, schema_value_get_struct(dv));
    const char *sn = s ? s->cname : "?", *su = s ? s->ucname : "?";
    char *ret = xasprintf("%s_r", sn), *bret = xasprintf("%s_b", sn);
    char *a = rarg(x), *body;

    fn_open(x, ret, "get", a);
    out(x->g, "    %s v = {capnp_read_struct(&r.s, %s, %s)};\n    return v;\n}\n",
        ret, x->acc, seg ? seg : "(const struct capnp_seg *)0");
    emit_has(x);
    body = xasprintf("    %s v = {capnp_init_struct(&b.s, %uu, %s_DATA_WORDS, "
                     "%s_PTR_COUNT)};\n    return v;\n", bret, off, su, su);
    builder(x, bret, "init", "", body);
    free(body);
    body = xasprintf("    capnp_set_struct(&b.s, %uu, &src.s);\n", off);
    {
        char *extra = xasprintf(", %s src", ret);
        builder(x, "void", "set", extra, body);
        free(extra);
    }
    free(a);
    free(body);
    free(ret);
    free(bret);
    free(dn);
    free(seg);
}

/* List-typed fields: typed for List(struct), raw capnp_list otherwise. */
static void emit_list_field(struct fld *x, schema_type_r t, uint32_t off,
                            schema_value_r dv)
{
    schema_type_r et = schema_type_list_get_element_type(schema_type_get_list(t));
    enum capnp_elem el = list_elem(et);
    char *dn = xasprintf("%s__default_%s", x->n->cname, x->sn);
    char *seg = emit_ptr_default(x->g, dn, schema_value_get_list(dv));
    const char *segx = seg ? seg : "(const struct capnp_seg *)0";
    char *a = rarg(x), *body;

    if (el == CAPNP_ELEM_COMPOSITE) {
        uint64_t id = schema_type_struct_get_type_id(schema_type_get_struct(et));
        struct gen_node *s = node_use(x->g, id, x->name);
        const char *sn = s ? s->cname : "?", *su = s ? s->ucname : "?";
        char *ret = xasprintf("%s_rlist", sn), *bret = xasprintf("%s_blist", sn);
        fn_open(x, ret, "get", a);
        out(x->g, "    %s v = {capnp_read_list(&r.s, %s, CAPNP_ELEM_COMPOSITE, "
            "%s)};\n    return v;\n}\n", ret, x->acc, segx);
        body = xasprintf("    %s v = {capnp_init_struct_list(&b.s, %uu, count, "
                         "%s_DATA_WORDS, %s_PTR_COUNT)};\n    return v;\n",
                         bret, off, su, su);
        emit_has(x);
        builder(x, bret, "init", ", uint32_t count", body);
        free(ret);
        free(bret);
    } else {
        static const char *const en[] = {
            "CAPNP_ELEM_VOID", "CAPNP_ELEM_BIT", "CAPNP_ELEM_BYTE",
            "CAPNP_ELEM_TWO", "CAPNP_ELEM_FOUR", "CAPNP_ELEM_EIGHT",
            "CAPNP_ELEM_POINTER"};
        char *e = xasprintf("capnp_read_list(&r.s, %s, %s, %s)", x->acc, en[el],
                            segx);
        reader(x, "struct capnp_list", "get", e);
        emit_has(x);
        body = xasprintf("    return capnp_init_list(&b.s, %uu, %s, count);\n",
                         off, en[el]);
        builder(x, "struct capnp_list_builder", "init", ", uint32_t count", body);
        free(e);
    }
    free(a);
    free(body);
    free(dn);
    free(seg);
}

/* Interface fields: a capability-table index (CAPNP_CAP_NULL if null). */
static void emit_cap_field(struct fld *x, schema_type_r t, uint32_t off)
{
    char *e = xasprintf("capnp_read_cap(&r.s, %s)", x->acc);
    char *body = xasprintf("    struct capnp_ptr_builder pb = "
                           "capnp_struct_builder_ptr(&b.s, %uu);\n"
                           "    capnp_ptr_set_cap_index(&pb, cap_index);\n", off);

    (void)t;
    reader(x, "uint32_t", "get", e);
    emit_has(x);
    builder(x, "void", "set", ", uint32_t cap_index", body);
    free(e);
    free(body);
}

/* AnyPointer (and generic parameter) fields: the raw slot. */
static void emit_any_field(struct fld *x, uint32_t off)
{
    char *e = xasprintf("capnp_struct_ptr(&r.s, %s)", x->acc);
    char *body = xasprintf("    return capnp_struct_builder_ptr(&b.s, %uu);\n",
                           off);

    reader(x, "struct capnp_ptr", "get", e);
    emit_has(x);
    builder(x, "struct capnp_ptr_builder", "slot", "", body);
    free(e);
    free(body);
}

/* Accessors of a slot field, by type. */
static void emit_slot(struct fld *x)
{
    schema_field_slot_r s = schema_field_get_slot(x->f);
    schema_type_r t = schema_field_slot_get_type(s);
    schema_value_r dv = schema_field_slot_get_default_value(s);
    uint32_t off = schema_field_slot_get_offset(s);
    schema_type_which_t w = schema_type_which(t);

    switch (w) {
    case SCHEMA_TYPE_VOID:
        if (x->arm[0])
            builder(x, "void", "set", "", "");
        return;
    case SCHEMA_TYPE_TEXT: case SCHEMA_TYPE_DATA:
        emit_blob(x, w == SCHEMA_TYPE_TEXT, off, dv);
        return;
    case SCHEMA_TYPE_STRUCT:
        emit_struct_field(x, t, off, dv);
        return;
    case SCHEMA_TYPE_LIST:
        emit_list_field(x, t, off, dv);
        return;
    case SCHEMA_TYPE_INTERFACE:
        emit_cap_field(x, t, off);
        return;
    case SCHEMA_TYPE_ANY_POINTER:
        emit_any_field(x, off);
        return;
    default:
        if (!scalar_rt(w)) {
            gen_error(x->g, x->name, "unsupported: field type #%d", (int)w);
            return;
        }
        emit_scalar(x, t, off, dv);
    }
}

/* Group fields: the same struct under the group's type. */
static void emit_group(struct fld *x)
{
    uint64_t id = schema_field_group_get_type_id(schema_field_get_group(x->f));
    struct gen_node *gn = node_need(x->g, id, x->name);
    const char *gc = gn ? gn->cname : "?";
    char *ret = xasprintf("%s_r", gc), *bret = xasprintf("%s_b", gc);
    char *a = rarg(x), *body;

    fn_open(x, ret, "get", a);
    if (x->which_val)
        out(x->g, "    %s v = {{0}};\n    if (%s_which(r) == %s)\n"
            "        v.s = r.s;\n    return v;\n}\n", ret, x->n->cname,
            x->which_val);
    else
        out(x->g, "    %s v = {r.s};\n    return v;\n}\n", ret);
    body = xasprintf("    %s v = {b.s};\n    %s__clear(v);\n    return v;\n",
                     bret, gc);
    builder(x, bret, "init", "", body);
    free(a);
    free(body);
    free(ret);
    free(bret);
}

/* Emit all accessors of field f of struct n. */
static void emit_field(struct gen *g, struct gen_node *n, schema_field_r f,
                       uint32_t disc_off)
{
    struct fld x = {g, n, f, text_str(schema_field_get_name(f)), NULL, NULL,
                    NULL, NULL};
    uint16_t dv = schema_field_get_discriminant_value(f);

    x.sn = snake(x.name, strlen(x.name));
    if (dv != NO_DISCRIMINANT) {
        char *u = upper(x.sn);
        x.which_val = xasprintf("%s_%s", n->ucname, u);
        x.arm = xasprintf("    capnp_write_which(&b.s, %uu, %s);\n", disc_off,
                          x.which_val);
        free(u);
    } else {
        x.arm = xasprintf("%s", "");
    }
    if (schema_field_which(f) == SCHEMA_FIELD_SLOT) {
        uint32_t off = schema_field_slot_get_offset(schema_field_get_slot(f));
        x.acc = x.which_val
            ? xasprintf("(%s_which(r) == %s ? %uu : CAPNPC_ABSENT)", n->cname,
                        x.which_val, off)
            : xasprintf("%uu", off);
        emit_slot(&x);
    } else {
        emit_group(&x);
    }
    out(g, "\n");
    free(x.sn);
    free(x.acc);
    free(x.arm);
    free(x.which_val);
}

/* Data bits of a scalar slot type (0: void or a pointer). */
static uint32_t slot_bits(schema_type_which_t w)
{
    switch (w) {
    case SCHEMA_TYPE_BOOL: return 1;
    case SCHEMA_TYPE_INT8: case SCHEMA_TYPE_UINT8: return 8;
    case SCHEMA_TYPE_INT16: case SCHEMA_TYPE_UINT16: case SCHEMA_TYPE_ENUM:
        return 16;
    case SCHEMA_TYPE_INT32: case SCHEMA_TYPE_UINT32: case SCHEMA_TYPE_FLOAT32:
        return 32;
    case SCHEMA_TYPE_INT64: case SCHEMA_TYPE_UINT64: case SCHEMA_TYPE_FLOAT64:
        return 64;
    default: return 0;
    }
}

/* G__clear(b) of a group: every field back to its default (raw zero),
 * pointer objects zeroed, nested groups cleared, discriminant 0.  Emitted
 * children first (emit_group_clears runs in reverse collection order). */
void emit_group_clear(struct gen *g, struct gen_node *n)
{
    schema_node_struct_r st = schema_node_get_struct(n->r);
    schema_field_rlist fl = schema_node_struct_get_fields(st);
    char *fn;

    if (!schema_node_struct_get_is_group(st))
        return;
    fn = xasprintf("%s__clear", n->cname);
    gen_ident(g, fn, n->display);
    out(g, "/* Reset group %s: every field reads as its default. */\n"
        "static inline void %s(%s_b b)\n{\n", n->display, fn, n->cname);
    if (schema_node_struct_get_discriminant_count(st) > 0)
        out(g, "    capnp_clear_data(&b.s, %uu, 16);\n",
            16 * schema_node_struct_get_discriminant_offset(st));
    for (uint32_t i = 0; i < schema_field_rlist_len(fl); i++) {
        schema_field_r f = schema_field_rlist_get(fl, i);
        schema_field_slot_r sl;
        schema_type_which_t w;
        uint32_t off, bits;
        if (schema_field_which(f) == SCHEMA_FIELD_GROUP) {
            struct gen_node *c = node_need(g, schema_field_group_get_type_id(
                schema_field_get_group(f)), n->display);
            if (c)
                out(g, "    { %s_b v = {b.s}; %s__clear(v); }\n", c->cname,
                    c->cname);
            continue;
        }
        sl = schema_field_get_slot(f);
        w = schema_type_which(schema_field_slot_get_type(sl));
        off = schema_field_slot_get_offset(sl);
        bits = slot_bits(w);
        if (bits)
            out(g, "    capnp_clear_data(&b.s, %" PRIu64 "u, %u);\n",
                (uint64_t)off * bits, bits);
        else if (type_is_pointer(w))
            out(g, "    { struct capnp_ptr_builder p = "
                "capnp_struct_builder_ptr(&b.s, %uu); capnp_ptr_clear(&p); }\n",
                off);
    }
    out(g, "}\n\n");
    free(fn);
}

/* typedef struct T { struct W f; } T; registered. */
static void emit_view_type(struct gen *g, struct gen_node *n, const char *sfx,
                           const char *wrapped, const char *member)
{
    char *t = xasprintf("%s_%s", n->cname, sfx);

    gen_ident(g, t, n->display);
    out(g, "typedef struct %s { struct %s %s; } %s;\n", t, wrapped, member, t);
    free(t);
}

/* Implicit method $Params/$Results structs never appear in lists. */
static bool is_method_struct(struct gen_node *n)
{
    return schema_node_get_scope_id(n->r) == 0 && strchr(n->display, '$');
}

void emit_struct_types(struct gen *g, struct gen_node *n)
{
    schema_node_struct_r st = schema_node_get_struct(n->r);
    char *m = xasprintf("%s_TYPE_ID", n->ucname);

    emit_view_type(g, n, "r", "capnp_struct", "s");
    emit_view_type(g, n, "b", "capnp_struct_builder", "s");
    if (!schema_node_struct_get_is_group(st)) {
        if (!is_method_struct(n)) {
            emit_view_type(g, n, "rlist", "capnp_list", "l");
            emit_view_type(g, n, "blist", "capnp_list_builder", "l");
        }
        gen_ident(g, m, n->display);
        out(g, "#define %s UINT64_C(0x%016" PRIx64 ")\n"
            "#define %s_DATA_WORDS %uu\n#define %s_PTR_COUNT %uu\n", m, n->id,
            n->ucname, schema_node_struct_get_data_word_count(st), n->ucname,
            schema_node_struct_get_pointer_count(st));
    }
    free(m);
}

/* Register a function name for struct n. */
static char *fname(struct gen *g, struct gen_node *n, const char *verb)
{
    char *f = xasprintf("%s_%s", n->cname, verb);
    gen_ident(g, f, n->display);
    return f;
}

/* Root functions (and List(S) functions) of a non-group struct. */
static void emit_struct_frame(struct gen *g, struct gen_node *n)
{
    const char *c = n->cname, *u = n->ucname;
    char *f1 = fname(g, n, "read_root"), *f2 = fname(g, n, "init_root");
    char *f3 = fname(g, n, "as_reader");

    out(g, "/* Root struct of a message being read (empty view on error). */\n"
        "static inline %s_r %s(struct capnp_msg *msg)\n{\n"
        "    %s_r v = {capnp_msg_root(msg)};\n    return v;\n}\n", c, f1, c);
    out(g, "/* Allocate the root struct of a message being built. */\n"
        "static inline %s_b %s(struct capnp_builder *b)\n{\n"
        "    %s_b v = {capnp_builder_init_root(b, %s_DATA_WORDS, %s_PTR_COUNT)};"
        "\n    return v;\n}\n", c, f2, c, u, u);
    out(g, "/* Read back a builder through `msg` (capnp_msg_init_builder). */\n"
        "static inline %s_r %s(%s_b b, struct capnp_msg *msg)\n{\n"
        "    %s_r v = {capnp_struct_builder_view(&b.s, msg)};\n    return v;\n}\n",
        c, f3, c, c);
    free(f1); free(f2); free(f3);
    if (is_method_struct(n)) {
        out(g, "\n");
        return;
    }
    f1 = fname(g, n, "rlist_len");
    f2 = fname(g, n, "rlist_get");
    f3 = fname(g, n, "blist_at");
    out(g, "static inline uint32_t %s(%s_rlist l)\n{\n"
        "    return capnp_list_len(&l.l);\n}\n", f1, c);
    out(g, "static inline %s_r %s(%s_rlist l, uint32_t i)\n{\n"
        "    %s_r v = {capnp_list_struct(&l.l, i)};\n    return v;\n}\n",
        c, f2, c, c);
    out(g, "static inline %s_b %s(%s_blist l, uint32_t i)\n{\n"
        "    %s_b v = {capnp_list_builder_struct(&l.l, i)};\n    return v;\n}\n\n",
        c, f3, c, c);
    free(f1); free(f2); free(f3);
}

/* The discriminant enum and N_which() of a struct with a union. */
static void emit_which(struct gen *g, struct gen_node *n,
                       schema_node_struct_r st)
{
    schema_field_rlist fl = schema_node_struct_get_fields(st);
    char *tn = xasprintf("%s_which_t", n->cname);
    char *en = xasprintf("%s_which", n->cname);

    gen_ident(g, tn, n->display);
    out(g, "typedef enum %s {\n", en);
    for (uint32_t i = 0; i < schema_field_rlist_len(fl); i++) {
        schema_field_r f = schema_field_rlist_get(fl, i);
        uint16_t dv = schema_field_get_discriminant_value(f);
        struct capnp_text nm = schema_field_get_name(f);
        char *sn, *u, *id;
        if (dv == NO_DISCRIMINANT)
            continue;
        sn = snake(text_str(nm), nm.len);
        u = upper(sn);
        id = xasprintf("%s_%s", n->ucname, u);
        gen_ident(g, id, n->display);
        out(g, "    %s = %u,\n", id, dv);
        free(sn); free(u); free(id);
    }
    out(g, "} %s;\n", tn);
    gen_ident(g, en, n->display);
    out(g, "/* Which member of the union is set. */\n"
        "static inline %s %s(%s_r r)\n{\n"
        "    return (%s)capnp_read_which(&r.s, %uu);\n}\n\n", tn, en, n->cname,
        tn, schema_node_struct_get_discriminant_offset(st));
    free(tn);
    free(en);
}

void emit_struct_body(struct gen *g, struct gen_node *n)
{
    schema_node_struct_r st = schema_node_get_struct(n->r);
    schema_field_rlist fl = schema_node_struct_get_fields(st);
    bool group = schema_node_struct_get_is_group(st);

    out(g, "/* ---- %s %s (0x%016" PRIx64 ") ---- */\n\n",
        group ? "group" : "struct", n->display, n->id);
    if (!group)
        emit_struct_frame(g, n);
    if (schema_node_struct_get_discriminant_count(st) > 0)
        emit_which(g, n, st);
    for (uint32_t i = 0; i < schema_field_rlist_len(fl); i++)
        emit_field(g, n, schema_field_rlist_get(fl, i),
                   schema_node_struct_get_discriminant_offset(st));
}
