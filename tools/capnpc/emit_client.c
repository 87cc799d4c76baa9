/* SPDX-License-Identifier: MIT */
/*
 * emit_client.c - the typed RPC header <file>.capnp.rpc.h: handles,
 * client stubs and service descriptors over lib/capos (capos/client.h,
 * capos/serve.h).  Written next to the accessor header, only for files
 * with interfaces (the kernel never includes it).
 *
 * For interface I with C name N (R = N minus the "capos_" prefix):
 *   struct N { uint32_t cap; }       a typed handle: another interface's
 *                                    handle does not convert to it
 *   capos_capset_get_R(name, &h)     CapSet lookup as an I
 *   capos_take_R(&caps, index, &h)   adopt a received capability as an I
 *   N_impl(&server)                  the dispatch table for capos_serve
 * and <file>.ids.capnp: `const lowerCamelName :UInt64 = id;` per interface,
 * for manifests to import.
 * and per method m:
 *   N_m_submit(h, params..., rep)    build the params and queue the CALL
 *   N_m_finish(rep, results...)      decode the completed call
 *   N_m(h, params..., results..., rep)   both, waiting (rep may be NULL)
 * Params are C arguments: scalars, (pointer, length) for Text and Data,
 * typed handles for capabilities (copied), (array, count) for lists of
 * scalars and Text, fill callbacks for structs, lists of structs and other
 * pointers; params with unions or groups are one fill callback for the
 * whole struct.  Results are out-pointers (NULL: not wanted): scalars by
 * value, typed handles for capabilities (adopted after an interface
 * check), views into the reply for pointers; results with unions or
 * groups are one typed reader.  The method's doc comment (with its
 * "errors:" line) is copied above the stub.
 */
#include "capnpc.h"

#include <stdlib.h>
#include <string.h>

/* How a param or result field appears in C. */
enum ck {
    CK_VOID, CK_SCALAR, CK_TEXT, CK_DATA, CK_CAP, CK_STRUCT, CK_LSTRUCT,
    CK_LTEXT, CK_LSCALAR, CK_LOTHER, CK_ANY
};

struct cfield {
    enum ck k;
    char *sn;          /* snake accessor name ("x", "x_bits" for floats) */
    char *arg;         /* C identifier (keyword-safe) */
    char *ctype;       /* scalar C type / struct or interface cname */
    char *uc;          /* interface macro prefix (CK_CAP) */
    const char *rt;    /* list element accessor suffix ("u32") */
};

struct cstruct {
    struct gen_node *n;
    bool whole;        /* unions or groups: one fill callback / reader */
    struct cfield *f;
    uint32_t nf;
};

/* C view of one slot field of type t named sn. */
static void classify_list(struct gen *g, struct cfield *c, schema_type_r et,
                          const char *who)
{
    schema_type_which_t w = schema_type_which(et);

    if (w == SCHEMA_TYPE_STRUCT) {
        struct gen_node *s = node_use(g, schema_type_struct_get_type_id(
                                             schema_type_get_struct(et)), who);
        c->k = CK_LSTRUCT;
        c->ctype = xasprintf("%s", s ? s->cname : "?");
    } else if (w == SCHEMA_TYPE_TEXT) {
        c->k = CK_LTEXT;
    } else if (scalar_rt(w) && w != SCHEMA_TYPE_VOID) {
        c->k = CK_LSCALAR;
        c->rt = scalar_rt(w);
        c->ctype = xasprintf("%s", scalar_ctype(g, et));
        if (w == SCHEMA_TYPE_ENUM || w == SCHEMA_TYPE_FLOAT32 ||
            w == SCHEMA_TYPE_FLOAT64) {
            free(c->ctype);     /* raw wire values */
            c->ctype = xasprintf("%s", w == SCHEMA_TYPE_ENUM ? "uint16_t"
                                       : w == SCHEMA_TYPE_FLOAT32 ? "uint32_t"
                                                                  : "uint64_t");
        }
    } else {
        c->k = CK_LOTHER;
    }
}

static void classify(struct gen *g, struct cfield *c, schema_field_r f,
                     const char *who)
{
    schema_type_r t = schema_field_slot_get_type(schema_field_get_slot(f));
    schema_type_which_t w = schema_type_which(t);
    struct capnp_text nm = schema_field_get_name(f);
    char *sn = snake(text_str(nm), nm.len);

    memset(c, 0, sizeof *c);
    c->arg = c_member_name(sn);
    c->sn = sn;
    switch (w) {
    case SCHEMA_TYPE_VOID: c->k = CK_VOID; break;
    case SCHEMA_TYPE_TEXT: c->k = CK_TEXT; break;
    case SCHEMA_TYPE_DATA: c->k = CK_DATA; break;
    case SCHEMA_TYPE_ANY_POINTER: c->k = CK_ANY; break;
    case SCHEMA_TYPE_STRUCT: {
        struct gen_node *s = node_use(g, schema_type_struct_get_type_id(
                                             schema_type_get_struct(t)), who);
        c->k = CK_STRUCT;
        c->ctype = xasprintf("%s", s ? s->cname : "?");
        break;
    }
    case SCHEMA_TYPE_INTERFACE: {
        struct gen_node *s = node_use(g, schema_type_interface_get_type_id(
                                             schema_type_get_interface(t)), who);
        c->k = CK_CAP;
        c->ctype = xasprintf("%s", s ? s->cname : "?");
        c->uc = xasprintf("%s", s ? s->ucname : "?");
        break;
    }
    case SCHEMA_TYPE_LIST:
        classify_list(g, c, schema_type_list_get_element_type(
                                schema_type_get_list(t)), who);
        break;
    default:
        c->k = CK_SCALAR;
        c->ctype = xasprintf("%s", scalar_ctype(g, t));
        if (w == SCHEMA_TYPE_FLOAT32 || w == SCHEMA_TYPE_FLOAT64) {
            c->sn = xasprintf("%s_bits", sn);
            free(sn);
            free(c->arg);
            c->arg = xasprintf("%s", c->sn);
        }
    }
}

/* Analyse the params or results struct n of a method. */
static void cstruct_load(struct gen *g, struct cstruct *s, struct gen_node *n)
{
    schema_node_struct_r st = schema_node_get_struct(n->r);
    schema_field_rlist fl = schema_node_struct_get_fields(st);

    memset(s, 0, sizeof *s);
    s->n = n;
    s->nf = schema_field_rlist_len(fl);
    s->f = calloc(s->nf ? s->nf : 1, sizeof *s->f);
    s->whole = schema_node_struct_get_discriminant_count(st) > 0;
    for (uint32_t i = 0; i < s->nf && !s->whole; i++) {
        schema_field_r f = schema_field_rlist_get(fl, i);
        if (schema_field_which(f) != SCHEMA_FIELD_SLOT)
            s->whole = true;
        else
            classify(g, &s->f[i], f, n->display);
    }
}

static void cstruct_free(struct cstruct *s)
{
    for (uint32_t i = 0; i < s->nf; i++) {
        free(s->f[i].sn);
        free(s->f[i].arg);
        free(s->f[i].ctype);
        free(s->f[i].uc);
    }
    free(s->f);
}

/* ---- params ---------------------------------------------------------------- */

/* ", <C parameters>" of the params struct p. */
static void emit_param_decls(struct gen *g, const struct cstruct *p)
{
    const char *P = p->n->cname;

    if (p->whole) {
        out(g, ",\n        void (*fill)(%s_b params, struct capos_reply *rep, "
            "const void *arg),\n        const void *fill_arg", P);
        return;
    }
    for (uint32_t i = 0; i < p->nf; i++) {
        const struct cfield *c = &p->f[i];
        const char *a = c->arg;
        switch (c->k) {
        case CK_VOID: break;
        case CK_SCALAR: out(g, ", %s %s", c->ctype, a); break;
        case CK_TEXT: out(g, ",\n        const char *%s, size_t %s_len", a, a); break;
        case CK_DATA: out(g, ",\n        const void *%s, size_t %s_len", a, a); break;
        case CK_CAP: out(g, ", struct %s %s", c->ctype, a); break;
        case CK_STRUCT:
            out(g, ",\n        void (*%s)(%s_b b, struct capos_reply *rep, "
                "const void *arg),\n        const void *%s_arg", a, c->ctype, a);
            break;
        case CK_LSTRUCT:
            out(g, ",\n        uint32_t %s_count, void (*%s)(%s_b elem, uint32_t i,"
                "\n            struct capos_reply *rep, const void *arg), "
                "const void *%s_arg", a, a, c->ctype, a);
            break;
        case CK_LTEXT:
            out(g, ",\n        const char *const *%s, uint32_t %s_count", a, a);
            break;
        case CK_LSCALAR:
            out(g, ",\n        const %s *%s, uint32_t %s_count", c->ctype, a, a);
            break;
        case CK_LOTHER:
            out(g, ",\n        uint32_t %s_count, void (*%s)(struct "
                "capnp_list_builder *l,\n            struct capos_reply *rep, "
                "const void *arg), const void *%s_arg", a, a, a);
            break;
        case CK_ANY:
            out(g, ",\n        void (*%s)(struct capnp_ptr_builder slot, "
                "struct capos_reply *rep,\n            const void *arg), "
                "const void *%s_arg", a, a);
            break;
        }
    }
}

/* The argument names of the params, for forwarding. */
static void emit_param_names(struct gen *g, const struct cstruct *p)
{
    if (p->whole) {
        out(g, ", fill, fill_arg");
        return;
    }
    for (uint32_t i = 0; i < p->nf; i++) {
        const struct cfield *c = &p->f[i];
        const char *a = c->arg;
        switch (c->k) {
        case CK_VOID: break;
        case CK_SCALAR: case CK_CAP: out(g, ", %s", a); break;
        case CK_TEXT: case CK_DATA: out(g, ", %s, %s_len", a, a); break;
        case CK_STRUCT: case CK_ANY: out(g, ", %s, %s_arg", a, a); break;
        case CK_LSTRUCT: case CK_LOTHER:
            out(g, ", %s_count, %s, %s_arg", a, a, a);
            break;
        case CK_LTEXT: case CK_LSCALAR: out(g, ", %s, %s_count", a, a); break;
        }
    }
}

/* Statements setting field c of params builder p_. */
static void emit_param_set(struct gen *g, const char *P, const struct cfield *c)
{
    const char *a = c->arg, *s = c->sn;

    switch (c->k) {
    case CK_VOID: break;
    case CK_SCALAR: out(g, "    %s_set_%s(p_, %s);\n", P, s, a); break;
    case CK_TEXT: case CK_DATA:
        out(g, "    if (%s)\n        %s_set_%s(p_, %s, (uint32_t)%s_len);\n",
            a, P, s, a, a);
        break;
    case CK_CAP:
        out(g, "    %s_set_%s(p_, capos_reply_cap(rep_, %s.cap, XFER_COPY));\n",
            P, s, a);
        break;
    case CK_STRUCT:
        out(g, "    if (%s)\n        %s(%s_init_%s(p_), rep_, %s_arg);\n", a, a,
            P, s, a);
        break;
    case CK_LSTRUCT:
        out(g, "    if (%s_count) {\n        %s_blist l_ = %s_init_%s(p_, "
            "%s_count);\n        for (uint32_t i_ = 0; %s && i_ < %s_count; "
            "i_++)\n            %s(%s_blist_at(l_, i_), i_, rep_, %s_arg);\n"
            "    }\n", a, c->ctype, P, s, a, a, a, a, c->ctype, a);
        break;
    case CK_LTEXT:
        out(g, "    if (%s_count) {\n        struct capnp_list_builder l_ = "
            "%s_init_%s(p_, %s_count);\n        for (uint32_t i_ = 0; i_ < "
            "%s_count; i_++) {\n            struct capnp_ptr_builder e_ = "
            "capnp_list_builder_ptr(&l_, i_);\n            capnp_ptr_set_text(&e_, "
            "%s[i_], (uint32_t)__builtin_strlen(%s[i_]));\n        }\n    }\n",
            a, P, s, a, a, a, a);
        break;
    case CK_LSCALAR:
        out(g, "    if (%s_count) {\n        struct capnp_list_builder l_ = "
            "%s_init_%s(p_, %s_count);\n        for (uint32_t i_ = 0; i_ < "
            "%s_count; i_++)\n            capnp_list_write_%s(&l_, i_, %s[i_]);\n"
            "    }\n", a, P, s, a, a, c->rt, a);
        break;
    case CK_LOTHER:
        out(g, "    if (%s_count) {\n        struct capnp_list_builder l_ = "
            "%s_init_%s(p_, %s_count);\n        if (%s)\n            %s(&l_, "
            "rep_, %s_arg);\n    }\n", a, P, s, a, a, a, a);
        break;
    case CK_ANY:
        out(g, "    if (%s)\n        %s(%s_slot_%s(p_), rep_, %s_arg);\n", a, a,
            P, s, a);
        break;
    }
}

/* ---- results --------------------------------------------------------------- */

static bool is_pointer_out(enum ck k)
{
    return k != CK_VOID && k != CK_SCALAR && k != CK_CAP;
}

/* Number of capability results (for capos_reply_take's `only`). */
static uint32_t cap_results(const struct cstruct *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; !r->whole && i < r->nf; i++)
        n += r->f[i].k == CK_CAP;
    return n;
}

/* ", <out-pointers>" of the results struct r. */
static void emit_result_decls(struct gen *g, const struct cstruct *r)
{
    if (r->whole) {
        out(g, ", %s_r *results", r->n->cname);
        return;
    }
    for (uint32_t i = 0; i < r->nf; i++) {
        const struct cfield *c = &r->f[i];
        const char *a = c->arg;
        switch (c->k) {
        case CK_VOID: break;
        case CK_SCALAR: out(g, ", %s *%s", c->ctype, a); break;
        case CK_TEXT: out(g, ", struct capnp_text *%s", a); break;
        case CK_DATA: out(g, ", struct capnp_data *%s", a); break;
        case CK_CAP: out(g, ", struct %s *%s", c->ctype, a); break;
        case CK_STRUCT: out(g, ", %s_r *%s", c->ctype, a); break;
        case CK_LSTRUCT: out(g, ", %s_rlist *%s", c->ctype, a); break;
        case CK_LTEXT: case CK_LSCALAR: case CK_LOTHER:
            out(g, ", struct capnp_list *%s", a);
            break;
        case CK_ANY: out(g, ", struct capnp_ptr *%s", a); break;
        }
    }
}

static void emit_result_names(struct gen *g, const struct cstruct *r)
{
    if (r->whole) {
        out(g, ", results");
        return;
    }
    for (uint32_t i = 0; i < r->nf; i++)
        if (r->f[i].k != CK_VOID)
            out(g, ", %s", r->f[i].arg);
}

/* "a || b" over the pointer outputs (0 if none). */
static void emit_pointer_outs(struct gen *g, const struct cstruct *r)
{
    bool any = false;

    if (r->whole) {
        out(g, "results");
        return;
    }
    for (uint32_t i = 0; i < r->nf; i++)
        if (is_pointer_out(r->f[i].k)) {
            out(g, "%s%s", any ? " || " : "", r->f[i].arg);
            any = true;
        }
    if (!any)
        out(g, "0");
}

/* Body of N_m_finish: read every wanted result. */
static void emit_result_reads(struct gen *g, const struct cstruct *r)
{
    const char *R = r->n->cname;
    uint32_t ncaps = cap_results(r);

    out(g, "    %s_r r_ = %s_read_root(&rep_->res.msg);\n    (void)r_;\n",
        R, R);
    if (r->whole) {
        out(g, "    if (results)\n        *results = r_;\n"
            "    return capos_reply_end(rep_, ERR_OK);\n");
        return;
    }
    for (uint32_t i = 0; i < r->nf; i++)
        if (r->f[i].k == CK_CAP)
            out(g, "    uint32_t %s_id_ = 0;\n", r->f[i].arg);
    out(g, "    err_t e_ = ERR_OK;\n");
    for (uint32_t i = 0; i < r->nf; i++) {
        const struct cfield *c = &r->f[i];
        if (c->k == CK_VOID)
            continue;
        if (c->k == CK_CAP) {
            out(g, "    if (%s && e_ == ERR_OK)\n        e_ = capos_reply_take("
                "rep_, %s_get_%s(r_),\n            %s_INTERFACE_ID, %s, "
                "&%s_id_);\n", c->arg, R, c->sn, c->uc, ncaps == 1 ? "true"
                : "false", c->arg);
            continue;
        }
        out(g, "    if (%s)\n        *%s = %s_get_%s(r_);\n", c->arg, c->arg, R,
            c->sn);
    }
    out(g, "    e_ = capos_reply_end(rep_, e_);\n");
    for (uint32_t i = 0; i < r->nf; i++) {
        const char *a = r->f[i].arg;
        if (r->f[i].k != CK_CAP)
            continue;
        out(g, "    if (%s && %s_id_) {\n        if (e_ == ERR_OK)\n"
            "            %s->cap = %s_id_;\n        else\n"
            "            (void)capos_release(%s_id_);\n    }\n", a, a, a, a, a);
    }
    out(g, "    return e_;\n");
}

/* Result arguments named like a param (and the params' derived names)
 * get an "_out" suffix: the synchronous stub takes both. */
static void rename_clashes(const struct cstruct *p, struct cstruct *r)
{
    for (uint32_t i = 0; !r->whole && !p->whole && i < r->nf; i++) {
        struct cfield *c = &r->f[i];
        bool clash = false;
        for (uint32_t j = 0; j < p->nf && !clash; j++) {
            size_t n = strlen(p->f[j].arg);
            clash = !strncmp(c->arg, p->f[j].arg, n) &&
                    (c->arg[n] == 0 || !strcmp(c->arg + n, "_len") ||
                     !strcmp(c->arg + n, "_count") || !strcmp(c->arg + n, "_arg"));
        }
        if (clash) {
            char *a = xasprintf("%s_out", c->arg);
            free(c->arg);
            c->arg = a;
        }
    }
}

/* ---- one method ------------------------------------------------------------ */

static void emit_method(struct gen *g, struct gen_node *n, schema_method_r m,
                        uint32_t idx)
{
    struct capnp_text nm = schema_method_get_name(m);
    struct gen_node *pn = node_use(g, schema_method_get_param_struct_type(m),
                                   n->display);
    struct gen_node *rn = node_use(g, schema_method_get_result_struct_type(m),
                                   n->display);
    char *sn = snake(text_str(nm), nm.len), *u = upper(sn);
    char *fn = xasprintf("%s_%s", n->cname, sn);
    char *fs = xasprintf("%s_submit", fn), *ff = xasprintf("%s_finish", fn);
    const char *doc = iface_member_doc(g, n, idx);
    struct cstruct p, r;

    if (!pn || !rn)
        goto done;
    cstruct_load(g, &p, pn);
    cstruct_load(g, &r, rn);
    rename_clashes(&p, &r);
    gen_ident(g, fn, n->display);
    gen_ident(g, fs, n->display);
    gen_ident(g, ff, n->display);

    out(g, "/* %s.%s: build the params and queue the CALL in rep (see "
        "capos/client.h);\n * complete with capos_reply_wait and %s. */\n"
        "static inline err_t %s(struct %s h_", n->display, text_str(nm), ff,
        fs, n->cname);
    emit_param_decls(g, &p);
    out(g, ",\n        struct capos_reply *rep_)\n{\n");
    for (uint32_t i = 0; !p.whole && i < p.nf; i++)
        if (p.f[i].k == CK_TEXT || p.f[i].k == CK_DATA)
            out(g, "    if (%s_len > UINT32_MAX)\n        return ERR_RANGE;\n",
                p.f[i].arg);
    out(g, "    %s_b p_ = %s_init_root(capos_reply_begin(rep_));\n", pn->cname,
        pn->cname);
    if (p.whole)
        out(g, "    if (fill)\n        fill(p_, rep_, fill_arg);\n");
    for (uint32_t i = 0; !p.whole && i < p.nf; i++)
        emit_param_set(g, pn->cname, &p.f[i]);
    out(g, "    (void)p_;\n    return capos_reply_submit(rep_, h_.cap, "
        "%s_INTERFACE_ID, %s_METHOD_%s);\n}\n\n", n->ucname, n->ucname, u);

    out(g, "/* %s.%s: decode the completed call in rep; outputs (NULL: not "
        "wanted) are\n * set on ERR_OK only, views point into rep's buffer. */\n"
        "static inline err_t %s(struct capos_reply *rep_", n->display,
        text_str(nm), ff);
    emit_result_decls(g, &r);
    out(g, ")\n{\n    err_t o_ = capos_reply_open(rep_);\n    if (o_ != ERR_OK)\n"
        "        return o_;\n");
    emit_result_reads(g, &r);
    out(g, "}\n\n");

    out(g, "/* %s.%s, waiting for the answer.", n->display, text_str(nm));
    if (doc)
        iface_emit_doc(g, doc);
    out(g, "\n * Params are C arguments, results out-pointers (NULL: not "
        "wanted).  rep\n * (NULL: a stack buffer, then no Text, Data, list or "
        "struct results,\n * ERR_INVAL) keeps the server's message "
        "(capos_reply_message).  Also:\n * WRONGTYPE (h serves another "
        "interface), BADCAP/REVOKED (h is not live),\n * DISCONNECTED (the "
        "server is gone), TOOSMALL (params or results do not\n * fit rep), "
        "BADFORMAT (malformed results), RANGE (over 8 capabilities). */\n"
        "static inline err_t %s(struct %s h_", fn, n->cname);
    emit_param_decls(g, &p);
    emit_result_decls(g, &r);
    out(g, ",\n        struct capos_reply *rep_)\n{\n"
        "    uint64_t w_[CAPOS_REPLY_STACK_WORDS];\n    struct capos_reply r_;\n"
        "    if (!rep_) {\n        if (");
    emit_pointer_outs(g, &r);
    out(g, ")\n            return ERR_INVAL;\n        capos_reply_init(&r_, w_, "
        "CAPOS_REPLY_STACK_WORDS);\n        rep_ = &r_;\n    }\n"
        "    err_t e_ = %s(h_", fs);
    emit_param_names(g, &p);
    out(g, ", rep_);\n    if (e_ == ERR_OK)\n        e_ = capos_reply_wait(rep_);\n"
        "    if (e_ == ERR_OK)\n        e_ = %s(rep_", ff);
    emit_result_names(g, &r);
    out(g, ");\n    return e_;\n}\n\n");
    cstruct_free(&p);
    cstruct_free(&r);
done:
    free(sn); free(u); free(fn); free(fs); free(ff);
}

/* ---- one interface --------------------------------------------------------- */

static void emit_handle(struct gen *g, struct gen_node *n)
{
    const char *rest = strncmp(n->cname, "capos_", 6) ? n->cname : n->cname + 6;
    char *get = xasprintf("capos_capset_get_%s", rest);
    char *take = xasprintf("capos_take_%s", rest);

    gen_ident(g, n->cname, n->display);
    gen_ident(g, get, n->display);
    gen_ident(g, take, n->display);
    out(g, "/* ---- %s ---- */\n\n/* A %s capability (typed: handles of other "
        "interfaces do not convert). */\nstruct %s {\n    uint32_t cap;\n};\n\n"
        "/* CapSet entry `name` as a %s: ERR_NOTFOUND, ERR_WRONGTYPE. */\n"
        "static inline err_t %s(const char *name, struct %s *out)\n{\n"
        "    return capos_capset_find(name, %s_INTERFACE_ID, &out->cap);\n}\n\n"
        "/* Adopt capability `index` of a call or result as a %s (see\n"
        " * capos_msg_caps_take: ERR_NOTFOUND, ERR_WRONGTYPE, ERR_BUSY). */\n"
        "static inline err_t %s(struct capos_msg_caps *m, uint32_t index,\n"
        "        struct %s *out)\n{\n    return capos_msg_caps_take(m, index, "
        "%s_INTERFACE_ID, &out->cap);\n}\n\n", n->display, n->display,
        n->cname, n->display, get, n->cname, n->ucname, n->display, take,
        n->cname, n->ucname);
    free(get);
    free(take);
}

/* N_impl(): the interface's dispatch table for capos_serve. */
static void emit_impl(struct gen *g, struct gen_node *n)
{
    char *fn = xasprintf("%s_impl", n->cname);

    gen_ident(g, fn, n->display);
    out(g, "/* %s served by the handlers of srv (see capos/serve.h). */\n"
        "static inline struct capos_impl %s(const %s_server_t *srv)\n{\n"
        "    struct capos_impl i = {%s_INTERFACE_ID, %s_methods,\n"
        "                           %s_METHOD__COUNT, srv};\n    return i;\n}\n\n",
        n->display, fn, n->cname, n->ucname, n->cname, n->ucname);
    free(fn);
}

static void emit_rpc_iface(struct gen *g, struct gen_node *n)
{
    schema_method_rlist ml = schema_node_interface_get_methods(
        schema_node_get_interface(n->r));
    uint32_t count = schema_method_rlist_len(ml);

    for (uint32_t i = 0; i < count; i++)
        emit_method(g, n, schema_method_rlist_get(ml, i), i);
    if (count)
        emit_impl(g, n);
}

/* lowerCamel of a display name ("KeyValue" -> "keyValue"; dots dropped). */
static char *lower_camel(const char *display)
{
    char *r = xasprintf("%s", display), *w = r;
    bool up = false;

    for (const char *p = display; *p; p++) {
        if (*p == '.') {
            up = true;
            continue;
        }
        *w++ = up ? (char)(*p & ~0x20) : *p;
        up = false;
    }
    *w = 0;
    if (r[0] >= 'A' && r[0] <= 'Z')
        r[0] = (char)(r[0] | 0x20);
    return r;
}

/* <file>.ids.capnp: one UInt64 constant per interface id, so manifests
 * name interfaces (`interfaceId = Id.keyValue`) instead of pasting ids. */
static bool emit_ids_file(struct gen *g, struct gen_node **v, size_t nv)
{
    char *name = xasprintf("%.*s.ids.capnp",
                           (int)(strlen(g->file->header) - 8), g->file->header);
    FILE *f = fopen(name, "w");
    bool ok = f != NULL;

    if (f) {
        fprintf(f, "# %s - generated by tools/capnpc (" GEN_NAME ") from %s:\n"
                "# the interface ids, by name.  Generated - do not edit.\n"
                "@0x%016llx;\n\n", name, g->file->path,
                (unsigned long long)((g->file->id ^ 0x1d5a5a5a5a5a5a5aull) |
                                     (1ull << 63)));
        for (size_t i = 0; i < nv; i++) {
            if (schema_node_which(v[i]->r) != SCHEMA_NODE_INTERFACE)
                continue;
            char *c = lower_camel(v[i]->display);
            fprintf(f, "const %s :UInt64 = 0x%016llx;\n", c,
                    (unsigned long long)v[i]->id);
            free(c);
        }
        ok = fclose(f) == 0;
    }
    if (!ok)
        gen_error(g, name, "cannot write output file");
    free(name);
    return ok;
}

bool emit_rpc_file(struct gen *g, struct gen_node **v, size_t nv)
{
    struct gen_out saved = g->out;
    char *name = xasprintf("%.*s.rpc.h", (int)(strlen(g->file->header) - 2),
                           g->file->header);
    bool any = false, ok = true;
    int errors = g->errors;
    FILE *f;

    for (size_t i = 0; i < nv; i++)
        any |= schema_node_which(v[i]->r) == SCHEMA_NODE_INTERFACE;
    g->out = (struct gen_out){0};
    out(g, "/* %s - generated by tools/capnpc (" GEN_NAME ") from %s.\n"
        " * Typed handles, client stubs and service tables over lib/capos.\n"
        " * Generated - do not edit.  See docs/runtime.md. */\n#pragma once\n\n"
        "#include \"%s\"\n", name, g->file->path, g->file->header);
    if (any)
        out(g, "#include <capos/capset.h>\n#include <capos/client.h>\n"
            "#include <capos/rt.h>\n#include <capos/serve.h>\n\n");
    for (size_t i = 0; i < nv; i++)   /* handles first: methods use them */
        if (schema_node_which(v[i]->r) == SCHEMA_NODE_INTERFACE)
            emit_handle(g, v[i]);
    for (size_t i = 0; i < nv; i++)
        if (schema_node_which(v[i]->r) == SCHEMA_NODE_INTERFACE)
            emit_rpc_iface(g, v[i]);
    if (g->errors == errors) {
        f = fopen(name, "w");
        ok = f && fwrite(g->out.buf, 1, g->out.len, f) == g->out.len;
        ok = f && fclose(f) == 0 && ok;
        if (!ok)
            gen_error(g, name, "cannot write output file");
    } else {
        ok = false;
    }
    free(g->out.buf);
    g->out = saved;
    free(name);
    return ok && emit_ids_file(g, v, nv);
}
