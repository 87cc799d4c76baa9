/* SPDX-License-Identifier: MIT */
/*
 * emit_golden.c - write the fill_all() message (standard framing) to
 * stdout; tools/capnpc/check-cli.sh decodes it with `capnp convert`.
 */
#include <stdio.h>

#include "fill_all.h"

int main(void)
{
    static uint64_t arena[4096];
    static uint8_t out[sizeof arena + 64];
    struct capnp_builder b;
    size_t n = 0;

    capnp_builder_init(&b, arena, 4096);
    fill_all(gen_test_all_init_root(&b));
    if (capnp_builder_error(&b) != CAPNP_OK ||
        capnp_builder_serialize(&b, out, sizeof out, &n) != CAPNP_OK) {
        fprintf(stderr, "emit_golden: build failed: %s\n",
                capnp_strerror(capnp_builder_error(&b)));
        return 1;
    }
    return fwrite(out, 1, n, stdout) == n ? 0 : 1;
}
