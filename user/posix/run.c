/* SPDX-License-Identifier: MIT */
/*
 * run.c - posix/run: start a POSIX program with the standard POSIX grants
 * and exit with its exit code (docs/posix.md).
 *
 *   argv: [name, description, expect=N, BINARY, ARGS...]
 *
 * The manifest's test convention puts a description and the expected exit
 * code in front of every test's arguments, which a program such as `lua`
 * would take for its own.  This runner passes on exactly ARGS to BINARY
 * (argv[0] = BINARY), with its own "console", "timer", "vm" and "thread"
 * under the same names (the last two act on their caller, so the child
 * gets its own address space and thread) and "boot" if it holds one (the
 * child's /boot mount), waits for it and exits with its code.  Setup
 * errors exit with 120 + a step number.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#define FIRST_ARG 3                 /* argv[3] is BINARY */

static const struct {
    const char *name;
    uint64_t iface;
} posix_grants[] = {
    {"console", CAPOS_CONSOLE_INTERFACE_ID},
    {"timer", CAPOS_TIMER_INTERFACE_ID},
    {"vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID},
    {"thread", CAPOS_THREAD_CONTROL_INTERFACE_ID},
    {"boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID},      /* optional: the last */
};
#define NGRANTS (sizeof posix_grants / sizeof posix_grants[0])

int main(int argc, char **argv)
{
    struct capos_spawn_grant g[NGRANTS];
    uint32_t spawner, handle, n = 0;
    int64_t code;
    err_t e;

    if (argc <= FIRST_ARG) {
        printf("posix/run: usage: DESC expect=N BINARY ARGS...\n");
        return 121;
    }
    if (capos_capset_find("spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
                          &spawner) != ERR_OK)
        return 122;
    for (uint32_t i = 0; i < NGRANTS; i++) {
        g[n] = (struct capos_spawn_grant){.name = posix_grants[i].name,
                                          .iface = posix_grants[i].iface,
                                          .mode = XFER_COPY};
        if (capos_capset_find(g[n].name, g[n].iface, &g[n].cap) == ERR_OK)
            n++;
        else if (i < NGRANTS - 1)
            return 123;
    }
    const char *bin = argv[FIRST_ARG];
    /* A POSIX program (Lua reading /boot) needs more than the default
     * child quota of 1,024 frames: half of ours. */
    static const struct capos_quota q = {.frames = 8192, .processes = 1,
                                         .threads = 1};
    e = capos_spawner_spawn_quota(spawner, bin, bin, g, n,
                                  (const char *const *)&argv[FIRST_ARG + 1],
                                  (uint32_t)(argc - FIRST_ARG - 1), &q, &handle);
    if (e != ERR_OK) {
        printf("posix/run: spawn %s: %s\n", bin, err_name(e));
        return 124;
    }
    e = capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, handle), &code, NULL);
    capos_release(handle);
    if (e != ERR_OK) {
        printf("posix/run: wait: %s\n", err_name(e));
        return 125;
    }
    return (int)code;
}
