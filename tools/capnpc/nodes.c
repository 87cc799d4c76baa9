/* SPDX-License-Identifier: MIT */
/*
 * nodes.c - the node index of a CodeGeneratorRequest.
 *
 * Nodes are copied into an array sorted by id (binary search), and each is
 * assigned the file it belongs to by walking scopeId links up to a file
 * node.  A request whose scope links are broken, cyclic or duplicated is
 * malformed and rejected.
 */
#include "capnpc.h"

#include <stdlib.h>
#include <string.h>

/* qsort comparator on node id. */
static int node_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct gen_node *)a)->id;
    uint64_t y = ((const struct gen_node *)b)->id;
    return x < y ? -1 : x > y;
}

struct gen_node *node_find(struct gen *g, uint64_t id)
{
    size_t lo = 0, hi = g->nnodes;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->nodes[mid].id == id)
            return &g->nodes[mid];
        if (g->nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

struct gen_node *node_need(struct gen *g, uint64_t id, const char *user)
{
    struct gen_node *n = node_find(g, id);

    if (!n)
        gen_error(g, user, "malformed request: references unknown node "
                  "0x%016llx", (unsigned long long)id);
    return n;
}

/* The file node whose display name is the "file:" prefix of n's. */
static struct gen_node *file_by_name(struct gen *g, struct gen_node *n)
{
    const char *dn = text_str(schema_node_get_display_name(n->r));
    const char *colon = strchr(dn, ':');

    for (size_t i = 0; colon && i < g->nnodes; i++) {
        struct gen_node *f = &g->nodes[i];
        struct capnp_text fn = schema_node_get_display_name(f->r);
        if (schema_node_which(f->r) == SCHEMA_NODE_FILE &&
            fn.len == (uint32_t)(colon - dn) && memcmp(fn.str, dn, fn.len) == 0)
            return f;
    }
    return NULL;
}

/* Walk scope links from n to its file; false if broken or cyclic.  Method
 * $Params/$Results structs have scopeId 0: their file comes from the name. */
static bool find_file(struct gen *g, struct gen_node *n)
{
    struct gen_node *cur = n;

    for (size_t hops = 0; hops <= g->nnodes; hops++) {
        if (schema_node_which(cur->r) == SCHEMA_NODE_FILE) {
            n->file_id = cur->id;
            return true;
        }
        if (schema_node_get_scope_id(cur->r) == 0 &&
            (cur = file_by_name(g, cur)) != NULL)
            continue;
        cur = cur ? node_find(g, schema_node_get_scope_id(cur->r)) : NULL;
        if (!cur)
            break;
    }
    gen_error(g, text_str(schema_node_get_display_name(n->r)),
              "malformed request: node 0x%016llx has no enclosing file",
              (unsigned long long)n->id);
    return false;
}

bool nodes_index(struct gen *g, schema_code_generator_request_r req)
{
    schema_node_rlist list = schema_code_generator_request_get_nodes(req);
    uint32_t n = schema_node_rlist_len(list);

    g->nodes = calloc(n ? n : 1, sizeof *g->nodes);
    if (!g->nodes)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        g->nodes[i].r = schema_node_rlist_get(list, i);
        g->nodes[i].id = schema_node_get_id(g->nodes[i].r);
    }
    g->nnodes = n;
    if (capnp_msg_error(&g->msg) != CAPNP_OK) {
        gen_error(g, "CodeGeneratorRequest", "malformed message: %s",
                  capnp_strerror(capnp_msg_error(&g->msg)));
        return false;
    }
    qsort(g->nodes, n, sizeof *g->nodes, node_cmp);
    for (uint32_t i = 1; i < n; i++) {
        if (g->nodes[i].id == g->nodes[i - 1].id) {
            gen_error(g, "CodeGeneratorRequest", "malformed request: "
                      "duplicate node id 0x%016llx",
                      (unsigned long long)g->nodes[i].id);
            return false;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (!find_file(g, &g->nodes[i]))
            return false;
    names_assign(g);
    return true;
}

struct gen_node *node_use(struct gen *g, uint64_t id, const char *user)
{
    struct gen_node *n = node_need(g, id, user);
    size_t i;

    if (!n || !g->file || n->file_id == g->file->id)
        return n;
    for (i = 0; i < g->nused && g->used_files[i] != n->file_id; i++)
        ;
    if (i == g->nused && g->nused < sizeof g->used_files / sizeof g->used_files[0])
        g->used_files[g->nused++] = n->file_id;
    return n;
}
