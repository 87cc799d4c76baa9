/* SPDX-License-Identifier: MIT */
/*
 * emit_iface.c - interfaces: ids, method ordinals, CALL SQE helpers and
 * server dispatch tables.
 *
 * For interface I with C name N:
 *   N_INTERFACE_ID           the 64-bit type id (cap-table type check)
 *   N_METHOD_<M>, N_METHOD__COUNT   ordinals (= SQE method_id)
 *   N_<m>_call(sqe, ...)     fill a CALL SQE for method m (client side)
 *   N_server_t               one handler pointer per method
 *   N_methods[]              {name, params/results type ids, invoke} indexed
 *                            by ordinal; invoke decodes the params root,
 *                            allocates the results root and calls the handler
 *   N_dispatch(...)          bounds-checked call through the table
 * Interface inheritance is rejected: a CALL SQE carries only a method
 * ordinal, so a superclass's ordinals would be ambiguous.
 */
#include "capnpc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A struct member name that is not a C keyword. */
char *c_member_name(const char *sn)
{
    static const char *const kw[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do",
        "double", "else", "enum", "extern", "float", "for", "goto", "if",
        "inline", "int", "long", "register", "restrict", "return", "short",
        "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
        "unsigned", "void", "volatile", "while", "bool", "true", "false"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(sn, kw[i]) == 0)
            return xasprintf("%s_", sn);
    return xasprintf("%s", sn);
}

void emit_iface_support(struct gen *g)
{
    out(g, "#include <abi/errors.h>\n#include <abi/ring.h>\n\n"
        "#ifndef CAPNPC_IFACE_SUPPORT\n#define CAPNPC_IFACE_SUPPORT 1\n"
        "/* One entry of an interface's dispatch table, indexed by ordinal. */\n"
        "struct capnpc_method {\n"
        "    const char *name;           /* schema method name (logs) */\n"
        "    uint64_t params_type_id;\n    uint64_t results_type_id;\n"
        "    /* Decode params, start results, run the handler of `server`;\n"
        "     * returns 0 or an ERR_* code (ERR_NOSYS: no handler). */\n"
        "    int (*invoke)(const void *server, void *ctx,\n"
        "                  struct capnp_msg *params, struct capnp_builder "
        "*results);\n};\n\n"
        "/* Fill `sqe` with a CALL of method_id on cap_id; params and result\n"
        " * are framed messages in the caller's memory.  Clears other fields\n"
        " * (the caller may set user_data and transfers afterwards). */\n"
        "static inline void capnpc_sqe_call(struct ring_sqe *sqe, uint32_t "
        "cap_id,\n        uint16_t method_id, const void *params, uint32_t "
        "params_len,\n        void *result, uint32_t result_len)\n{\n"
        "    __builtin_memset(sqe, 0, sizeof *sqe);\n"
        "    sqe->opcode = RING_OP_CALL;\n    sqe->cap_id = cap_id;\n"
        "    sqe->method_id = method_id;\n"
        "    sqe->addr = (uint64_t)(uintptr_t)params;\n"
        "    sqe->len = params_len;\n"
        "    sqe->result_addr = (uint64_t)(uintptr_t)result;\n"
        "    sqe->result_len = result_len;\n}\n#endif\n\n");
}

/* Method m's param and result struct nodes. */
static void method_structs(struct gen *g, schema_method_r m,
                           struct gen_node **p, struct gen_node **r,
                           const char *who)
{
    *p = node_use(g, schema_method_get_param_struct_type(m), who);
    *r = node_use(g, schema_method_get_result_struct_type(m), who);
}


void emit_iface_types(struct gen *g, struct gen_node *n)
{
    schema_node_interface_r it = schema_node_get_interface(n->r);

    if (schema_superclass_rlist_len(schema_node_interface_get_superclasses(it)))
        gen_error(g, n->display, "unsupported: interface inheritance "
                  "(extends): a CALL SQE carries only a method ordinal, so "
                  "superclass methods would be ambiguous");
}

/* Continue a comment with the lines of a schema doc comment. */
void iface_emit_doc(struct gen *g, const char *doc)
{
    while (*doc) {
        size_t n = strcspn(doc, "\n");
        out(g, "\n *");
        for (size_t i = 0; i < n; i++)
            if (!(doc[i] == '/' && i > 0 && doc[i - 1] == '*'))
                out(g, "%s%c", i == 0 ? " " : "", doc[i]);
        doc += n;
        if (*doc)
            doc++;
    }
}

/* N_METHOD_* enum and N_<m>_call helpers. */
static void emit_methods(struct gen *g, struct gen_node *n,
                         schema_method_rlist ml)
{
    uint32_t count = schema_method_rlist_len(ml);
    char *tn = xasprintf("%s_method_t", n->cname);

    if (count == 0) {
        out(g, "#define %s_METHOD__COUNT 0u /* no methods */\n\n", n->ucname);
        free(tn);
        return;
    }
    gen_ident(g, tn, n->display);
    out(g, "typedef enum %s_method {\n", n->cname);
    for (uint32_t i = 0; i < count; i++) {
        struct capnp_text nm = schema_method_get_name(schema_method_rlist_get(ml, i));
        char *sn = snake(text_str(nm), nm.len), *u = upper(sn);
        char *id = xasprintf("%s_METHOD_%s", n->ucname, u);
        gen_ident(g, id, n->display);
        out(g, "    %s = %u,\n", id, i);
        free(sn); free(u); free(id);
    }
    out(g, "} %s;\n#define %s_METHOD__COUNT %uu\n\n", tn, n->ucname, count);
    for (uint32_t i = 0; i < count; i++) {
        schema_method_r m = schema_method_rlist_get(ml, i);
        struct capnp_text nm = schema_method_get_name(m);
        const char *doc = iface_member_doc(g, n, i);
        char *sn = snake(text_str(nm), nm.len), *u = upper(sn);
        char *fn = xasprintf("%s_%s_call", n->cname, sn);
        gen_ident(g, fn, n->display);
        out(g, "/* %s.%s: fill a CALL SQE (see capnpc_sqe_call).", n->display,
            text_str(nm));
        if (doc)
            iface_emit_doc(g, doc);
        out(g, " */\nstatic inline void %s(struct ring_sqe *sqe, uint32_t cap_id,"
            "\n        const void *params, uint32_t params_len, void *result,"
            "\n        uint32_t result_len)\n{\n    capnpc_sqe_call(sqe, cap_id, "
            "%s_METHOD_%s, params, params_len, result,\n                    "
            "result_len);\n}\n\n", fn, n->ucname, u);
        free(sn); free(u); free(fn);
    }
    free(tn);
}

/* N_server_t: one typed handler pointer per method. */
static void emit_server_type(struct gen *g, struct gen_node *n,
                             schema_method_rlist ml)
{
    char *tn = xasprintf("%s_server_t", n->cname);

    gen_ident(g, tn, n->display);
    out(g, "/* Server of %s: handlers return 0 or an ERR_* code; NULL = "
        "ERR_NOSYS. */\ntypedef struct %s_server {\n", n->display, n->cname);
    for (uint32_t i = 0; i < schema_method_rlist_len(ml); i++) {
        schema_method_r m = schema_method_rlist_get(ml, i);
        struct capnp_text nm = schema_method_get_name(m);
        struct gen_node *p, *r;
        char *sn = snake(text_str(nm), nm.len), *mn = c_member_name(sn);
        method_structs(g, m, &p, &r, n->display);
        out(g, "    int (*%s)(void *ctx, %s_r params, %s_b results);\n", mn,
            p ? p->cname : "?", r ? r->cname : "?");
        free(sn);
        free(mn);
    }
    out(g, "} %s;\n\n", tn);
    free(tn);
}

/* Invoke wrappers, the method table and N_dispatch. */
static void emit_dispatch(struct gen *g, struct gen_node *n,
                          schema_method_rlist ml)
{
    uint32_t count = schema_method_rlist_len(ml);
    char *tab = xasprintf("%s_methods", n->cname);
    char *disp = xasprintf("%s_dispatch", n->cname);

    for (uint32_t i = 0; i < count; i++) {
        schema_method_r m = schema_method_rlist_get(ml, i);
        struct capnp_text nm = schema_method_get_name(m);
        struct gen_node *p, *r;
        char *sn = snake(text_str(nm), nm.len), *mn = c_member_name(sn);
        char *fn = xasprintf("%s__invoke_%s", n->cname, sn);
        method_structs(g, m, &p, &r, n->display);
        gen_ident(g, fn, n->display);
        out(g, "static inline int %s(const void *server, void *ctx,\n"
            "        struct capnp_msg *params, struct capnp_builder *results)\n{\n"
            "    const %s_server_t *srv = (const %s_server_t *)server;\n"
            "    if (!srv->%s)\n        return ERR_NOSYS;\n"
            "    return srv->%s(ctx, %s_read_root(params), %s_init_root(results));"
            "\n}\n", fn, n->cname, n->cname, mn, mn, p ? p->cname : "?",
            r ? r->cname : "?");
        free(sn); free(mn); free(fn);
    }
    gen_ident(g, tab, n->display);
    out(g, "static const struct capnpc_method %s[%s_METHOD__COUNT] = {\n", tab,
        n->ucname);
    for (uint32_t i = 0; i < count; i++) {
        schema_method_r m = schema_method_rlist_get(ml, i);
        struct capnp_text nm = schema_method_get_name(m);
        struct gen_node *p, *r;
        char *sn = snake(text_str(nm), nm.len), *u = upper(sn);
        method_structs(g, m, &p, &r, n->display);
        char *lit = c_string_lit((const uint8_t *)text_str(nm), nm.len);
        out(g, "    [%s_METHOD_%s] = {%s, %s_TYPE_ID, %s_TYPE_ID,\n"
            "        %s__invoke_%s},\n", n->ucname, u, lit,
            p ? p->ucname : "?", r ? r->ucname : "?", n->cname, sn);
        free(sn); free(u); free(lit);
    }
    gen_ident(g, disp, n->display);
    out(g, "};\n\n/* Run method `method` of `srv`: ERR_NOSYS for an unknown "
        "ordinal. */\nstatic inline int %s(const %s_server_t *srv, void *ctx,"
        "\n        uint16_t method, struct capnp_msg *params,\n"
        "        struct capnp_builder *results)\n{\n"
        "    if (method >= %s_METHOD__COUNT)\n        return ERR_NOSYS;\n"
        "    return %s[method].invoke(srv, ctx, params, results);\n}\n\n",
        disp, n->cname, n->ucname, tab);
    free(tab);
    free(disp);
}

void emit_iface_body(struct gen *g, struct gen_node *n)
{
    schema_node_interface_r it = schema_node_get_interface(n->r);
    schema_method_rlist ml = schema_node_interface_get_methods(it);
    char *idm = xasprintf("%s_INTERFACE_ID", n->ucname);

    gen_ident(g, idm, n->display);
    out(g, "/* ---- interface %s ---- */\n\n#define %s UINT64_C(0x%016" PRIx64
        ")\n\n", n->display, idm, n->id);
    emit_methods(g, n, ml);
    if (schema_method_rlist_len(ml) > 0) {
        emit_server_type(g, n, ml);
        emit_dispatch(g, n, ml);
    }
    free(idm);
}

/* ---- doc comments (CodeGeneratorRequest.sourceInfo) ---- */

const char *iface_member_doc(struct gen *g, struct gen_node *n, uint32_t i)
{
    schema_node_source_info_rlist l = schema_code_generator_request_get_source_info(
        schema_code_generator_request_read_root(&g->msg));
    for (uint32_t k = 0; k < schema_node_source_info_rlist_len(l); k++) {
        schema_node_source_info_r s = schema_node_source_info_rlist_get(l, k);
        schema_node_source_info_member_rlist ms;
        if (schema_node_source_info_get_id(s) != n->id)
            continue;
        ms = schema_node_source_info_get_members(s);
        if (i >= schema_node_source_info_member_rlist_len(ms))
            return NULL;
        struct capnp_text d = schema_node_source_info_member_get_doc_comment(
            schema_node_source_info_member_rlist_get(ms, i));
        return d.len ? d.str : NULL;
    }
    return NULL;
}
