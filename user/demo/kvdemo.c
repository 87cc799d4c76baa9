/* SPDX-License-Identifier: MIT */
/*
 * kvdemo.c - drives the key-value demo.  init gives it four KeyValue
 * facets of the kvstore service ("alice", "bob" and "carol" of its "kv"
 * export, "admin" of its "admin" export), a ProcessSpawner and a
 * FrameAllocator (for carol's shared memory).  It starts the kvclient
 * binary three times, one after the other, each time MOVING one facet
 * into the child's CapSet (so alice and bob are different sessions to
 * the server), waits for each, asks the server for its figures through
 * the admin facet and exits: with the last facet gone the server stops by
 * itself.  Exit 0 iff every client exited 0 and stats succeeded.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

/* Spawn kvclient with console + the facet `role`; wait; 0 if it exited 0. */
static int run_client(struct capos_process_spawner spawner, const char *role)
{
    struct capos_key_value facet;
    struct capos_console con;
    struct capos_frame_allocator fa = {0};
    struct capos_process_handle h = {0};
    int64_t code = -1;
    uint32_t n = 2;
    err_t e;

    if (capos_capset_get_key_value(role, &facet) ||
        capos_capset_get_console("console", &con))
        return 1;
    struct capos_spawn_grant g[3] = {
        {"console", con.cap, CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {role, facet.cap, CAPOS_KEY_VALUE_INTERFACE_ID, XFER_MOVE},
        {"frames", 0, CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, XFER_COPY},
    };
    if (!strcmp(role, "carol") &&
        !capos_capset_get_frame_allocator("frames", &fa)) {
        g[2].cap = fa.cap;                      /* carol shares memory */
        n = 3;
    }
    printf("kvdemo: spawning kvclient as \"%s\" (its facet moves along)\n", role);
    if ((e = capos_spawner_spawn(spawner.cap, role, "kvclient", g, n, &h.cap))) {
        printf("kvdemo: spawn %s: %s\n", role, err_name(e));
        return 1;
    }
    e = capos_process_handle_wait(h, &code, NULL);
    printf("kvdemo: \"%s\" exited with %lld\n", role, (long long)code);
    capos_release(h.cap);
    return e != ERR_OK || code != 0;
}

int main(void)
{
    struct capos_process_spawner spawner;
    struct capos_key_value admin;
    uint32_t served = 0, sessions = 0;
    int failed;
    err_t e;

    if (capos_capset_get_process_spawner("spawner", &spawner) ||
        capos_capset_get_key_value("admin", &admin)) {
        printf("kvdemo: needs \"spawner\" and \"admin\"\n");
        return 2;
    }
    failed = run_client(spawner, "alice");
    failed |= run_client(spawner, "bob");
    failed |= run_client(spawner, "carol");
    e = capos_key_value_stats(admin, &served, &sessions, NULL);
    printf("kvdemo: stats through the admin facet -> %s: %u calls answered, "
           "%u sessions open\n", err_name(e), served, sessions);
    printf("kvdemo: done; the server stops once my facets are gone\n");
    return failed || e != ERR_OK;
}
