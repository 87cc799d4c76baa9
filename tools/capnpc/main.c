/* SPDX-License-Identifier: MIT */
/*
 * main.c - capnpc-capos: a `capnp compile -o` plugin that emits C headers.
 *
 *   capnp compile -o$(BUILD)/tools/capnpc-capos:$(BUILD)/gen schema/x.capnp
 *
 * capnp writes a CodeGeneratorRequest (standard framing) to stdin and runs
 * the plugin in the output directory.  The request is read with lib/capnp
 * through the generated schema.capnp.h accessors; each requested file gets
 * "<name>.capnp.h".  Exit status: 0 ok, 1 schema/request errors (reported
 * on stderr naming file, type and feature), 2 I/O or memory failure.
 */
#include "capnpc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REQUEST (256u << 20) /* bytes */

/* Read all of `f` into an 8-byte aligned heap buffer. */
static uint64_t *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint64_t *buf = malloc(cap);

    while (buf) {
        size_t got = fread((char *)buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= MAX_REQUEST) {
            fprintf(stderr, GEN_NAME ": request larger than %u bytes\n",
                    MAX_REQUEST);
            free(buf);
            return NULL;
        }
        cap *= 2;
        uint64_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    *len = n;
    return buf;
}

/* Generate every requested file; returns the number of errors. */
static int run(struct gen *g)
{
    schema_code_generator_request_r req =
        schema_code_generator_request_read_root(&g->msg);
    schema_code_generator_request_requested_file_rlist rl;

    if (capnp_msg_error(&g->msg) != CAPNP_OK) {
        gen_error(g, "CodeGeneratorRequest", "malformed message: %s",
                  capnp_strerror(capnp_msg_error(&g->msg)));
        return g->errors;
    }
    if (!nodes_index(g, req))
        return g->errors ? g->errors : 1;
    rl = schema_code_generator_request_get_requested_files(req);
    if (schema_code_generator_request_requested_file_rlist_len(rl) == 0)
        gen_error(g, "CodeGeneratorRequest", "no requested files");
    for (uint32_t i = 0;
         i < schema_code_generator_request_requested_file_rlist_len(rl); i++)
        emit_file(g, schema_code_generator_request_requested_file_rlist_get(rl, i));
    return g->errors;
}

int main(int argc, char **argv)
{
    static struct gen g;
    struct capnp_read_opts opts = {.traversal_limit = 64u << 20};
    size_t len = 0;
    uint64_t *buf;
    enum capnp_err e;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: capnp compile -o<path>/" GEN_NAME
                ":<outdir> file.capnp (request on stdin)\n");
        return 2;
    }
    buf = read_all(stdin, &len);
    if (!buf) {
        fprintf(stderr, GEN_NAME ": cannot read the request from stdin\n");
        return 2;
    }
    e = capnp_msg_init(&g.msg, buf, len, &opts);
    if (e != CAPNP_OK) {
        fprintf(stderr, GEN_NAME ": malformed CodeGeneratorRequest: %s\n",
                capnp_strerror(e));
        free(buf);
        return 1;
    }
    int errors = run(&g);
    free(buf);
    return errors ? 1 : 0;
}
