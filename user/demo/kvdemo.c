/* SPDX-License-Identifier: MIT */
/*
 * kvdemo.c - drives the key-value demo.  init gives it four client
 * facets of the kvstore service ("alice", "bob" and "carol" of its "kv"
 * export, "admin" of its "admin" export), a ProcessSpawner and a
 * FrameAllocator (for carol's shared memory).  It starts the kvclient
 * binary three times, one after the other, each time MOVING one facet
 * into the child's CapSet (so alice and bob are different sessions to
 * the server), waits for each, then stops the server through the admin
 * facet.  Exit 0 iff both clients exited 0 and the shutdown succeeded.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#include "kv.h"

/* Spawn kvclient with console + the facet `role`; wait; 0 if it exited 0. */
static int run_client(uint32_t spawner, const char *role)
{
    uint32_t facet, con, h = 0;
    int64_t code = -1;
    err_t e;

    if (capos_capset_find(role, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &facet) ||
        capos_capset_find("console", CAPOS_CONSOLE_INTERFACE_ID, &con))
        return 1;
    uint32_t fa = 0, n = 2;
    struct capos_spawn_grant g[3] = {
        {"console", con, CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {role, facet, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, XFER_MOVE},
        {"frames", 0, CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, XFER_COPY},
    };
    if (!strcmp(role, "carol") &&
        !capos_capset_find("frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &fa)) {
        g[2].cap = fa;                          /* carol shares memory */
        n = 3;
    }
    printf("kvdemo: spawning kvclient as \"%s\" (its facet moves along)\n", role);
    if ((e = capos_spawner_spawn(spawner, role, "kvclient", g, n, &h))) {
        printf("kvdemo: spawn %s: %s\n", role, err_name(e));
        return 1;
    }
    e = capos_process_wait(h, &code);
    printf("kvdemo: \"%s\" exited with %lld\n", role, (long long)code);
    capos_release(h);
    return e != ERR_OK || code != 0;
}

int main(void)
{
    uint32_t spawner, admin, served = 0;
    int failed;
    err_t e;

    if (capos_capset_find("spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
                          &spawner) ||
        capos_capset_find("admin", CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &admin)) {
        printf("kvdemo: needs \"spawner\" and \"admin\"\n");
        return 2;
    }
    failed = run_client(spawner, "alice");
    failed |= run_client(spawner, "bob");
    failed |= run_client(spawner, "carol");
    e = kv_shutdown(admin, &served);
    printf("kvdemo: shutdown through the admin facet -> %s, server answered "
           "%u calls\n", err_name(e), served);
    return failed || e != ERR_OK;
}
