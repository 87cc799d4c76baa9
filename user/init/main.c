/* SPDX-License-Identifier: MIT */
/*
 * main.c - init, the first user process (issue 4 smoke: the runtime end to
 * end).
 *
 * Theory of operation: init finds its kernel caps in the CapSet by name
 * and interface ("console", "timer", "boot", "caps"), then exercises each
 * one through the runtime's typed wrappers and prints what it sees on the
 * console:
 *   1. its CapSet (name, interface id, cap id)
 *   2. its cap table as CapabilityManager.list reports it
 *   3. Timer.now, a 100 ms Timer.sleep, and the measured elapsed time
 *   4. the boot manifest, read through BootPackage in 4 KiB chunks and
 *      parsed with the generated SystemManifest reader: binaries, the init
 *      entry and the services init is meant to start
 *   5. the services of the manifest: validated, started in order through
 *      ProcessSpawner with their grants wired (services.c), waited for
 * and ends with the line "init: done" and exit code 0.  Any failure prints
 * "init: FAIL <what>: <error>" and exits with 1.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <stdlib.h>

#include "services.h"

#define SLEEP_NS (100ull * 1000 * 1000)
#define MANIFEST_CHUNK 4096u
#define MAX_CAPS 32

struct init_caps {
    struct capos_console console;
    struct capos_timer timer;
    struct capos_boot_package boot;
    struct capos_capability_manager caps;
};

/* Report a failed step and return 1 (the exit code). */
static int fail(const char *what, err_t e)
{
    printf("init: FAIL %s: %s (%d)\n", what, err_name(e), e);
    return 1;
}

/* Print the CapSet, in manifest order. */
static void print_capset(void)
{
    printf("init: CapSet has %u entries\n", capos_capset_count());
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        printf("init:   capset %-10s iface %#018llx cap %#x\n", e->name,
               (unsigned long long)e->interface_id, e->cap_id);
    }
}

/* Look up the four caps init needs (typed: a wrong interface is an error). */
static int find_caps(struct init_caps *c)
{
    err_t e;

    if ((e = capos_capset_get_console("console", &c->console)))
        return fail("console", e);
    if ((e = capos_capset_get_timer("timer", &c->timer)))
        return fail("timer", e);
    if ((e = capos_capset_get_boot_package("boot", &c->boot)))
        return fail("boot", e);
    if ((e = capos_capset_get_capability_manager("caps", &c->caps)))
        return fail("caps", e);
    return 0;
}

/* List the cap table through CapabilityManager. */
static int list_caps(struct capos_capability_manager cap)
{
    static struct capos_cap_info info[MAX_CAPS];
    uint32_t n;
    err_t e = capos_capmgr_list(cap, info, MAX_CAPS, &n);

    if (e != ERR_OK)
        return fail("CapabilityManager.list", e);
    printf("init: CapabilityManager.list: %u caps\n", n);
    for (uint32_t i = 0; i < n && i < MAX_CAPS; i++)
        printf("init:   cap %#x iface %#018llx name \"%s\"\n",
               info[i].cap_id, (unsigned long long)info[i].interface_id,
               info[i].name);
    return 0;
}

/* Timer.now, sleep 100 ms, Timer.now again. */
static int timer_demo(struct capos_timer cap)
{
    uint64_t t0, t1;
    err_t e;

    if ((e = capos_timer_now(cap, &t0, NULL)) != ERR_OK)
        return fail("Timer.now", e);
    printf("init: Timer.now = %llu ns\n", (unsigned long long)t0);
    if ((e = capos_timer_sleep(cap, SLEEP_NS, NULL)) != ERR_OK)
        return fail("Timer.sleep", e);
    if ((e = capos_timer_now(cap, &t1, NULL)) != ERR_OK)
        return fail("Timer.now", e);
    printf("init: slept 100 ms: elapsed %llu us\n",
           (unsigned long long)((t1 - t0) / 1000));
    if (t1 - t0 < SLEEP_NS)
        return fail("Timer.sleep returned early", ERR_RANGE);
    return 0;
}

/* Read the whole manifest into a malloc'd buffer (8-byte aligned). */
static int read_manifest(struct capos_boot_package cap, uint64_t **out,
                         uint64_t *size)
{
    uint64_t off = 0;
    uint64_t *buf;
    err_t e;

    if ((e = capos_boot_package_manifest_size(cap, size, NULL)) != ERR_OK)
        return fail("BootPackage.manifestSize", e);
    if (!(buf = malloc(*size ? *size : 1)))
        return fail("manifest buffer", ERR_NOMEM);
    while (off < *size) {
        uint32_t got;
        if ((e = capos_boot_read_manifest(cap, off, (char *)buf + off, MANIFEST_CHUNK, &got)) != ERR_OK)
            return fail("BootPackage.readManifest", e);
        if (got == 0)
            return fail("BootPackage.readManifest: short", ERR_RANGE);
        off += got;
    }
    printf("init: manifest: %llu bytes in %llu chunks\n",
           (unsigned long long)*size,
           (unsigned long long)((*size + MANIFEST_CHUNK - 1) / MANIFEST_CHUNK));
    *out = buf;
    return 0;
}

/* Print one service entry. */
static void print_service(const char *role, capos_service_entry_r s)
{
    printf("init:   %s \"%s\" binary \"%s\" grants %u\n", role,
           capos_service_entry_get_name(s).str,
           capos_service_entry_get_binary(s).str,
           capos_cap_grant_rlist_len(capos_service_entry_get_grants(s)));
}

/* Parse the manifest and print its binaries and services. */
static int print_manifest(const uint64_t *buf, uint64_t size)
{
    struct capnp_msg msg;
    capos_system_manifest_r m;
    capos_binary_rlist bins;
    capos_service_entry_rlist svcs;
    capos_init_config_r ic;

    if (capos_msg_read(&msg, buf, size) != ERR_OK)
        return fail("manifest framing", ERR_BADFORMAT);
    m = capos_system_manifest_read_root(&msg);
    printf("init: manifest schemaVersion %u\n",
           capos_system_manifest_get_schema_version(m));
    bins = capos_system_manifest_get_binaries(m);
    for (uint32_t i = 0; i < capos_binary_rlist_len(bins); i++) {
        capos_binary_r b = capos_binary_rlist_get(bins, i);
        printf("init:   binary \"%s\" %u bytes\n",
               capos_binary_get_name(b).str, capos_binary_get_data(b).len);
    }
    ic = capos_system_manifest_get_init_config(m);
    print_service("init", capos_init_config_get_init(ic));
    svcs = capos_init_config_get_services(ic);
    printf("init:   %u services\n", capos_service_entry_rlist_len(svcs));
    for (uint32_t i = 0; i < capos_service_entry_rlist_len(svcs); i++)
        print_service("service", capos_service_entry_rlist_get(svcs, i));
    if (capnp_msg_error(&msg) != CAPNP_OK) {
        printf("init: manifest: %s\n", capnp_strerror(capnp_msg_error(&msg)));
        return fail("manifest parse", ERR_BADFORMAT);
    }
    return 0;
}

/* Read, parse and print the boot manifest, then run its services. */
static int manifest_and_services(struct capos_boot_package boot)
{
    uint64_t *buf = NULL, size = 0;
    struct capnp_msg msg;
    struct capos_process_spawner spawner = {0};
    int r;

    if ((r = read_manifest(boot, &buf, &size)) != 0)
        return r;
    if ((r = print_manifest(buf, size)) == 0 &&
        capos_msg_read(&msg, buf, size) == ERR_OK) {
        if (capos_capset_get_process_spawner("spawner", &spawner) != ERR_OK)
            spawner.cap = 0;
        r = services_run(capos_system_manifest_read_root(&msg), spawner.cap);
        if (r)
            printf("init: FAIL services: not every service started and "
                   "exited with 0\n");
    }
    free(buf);
    return r;
}

int main(void)
{
    struct init_caps c;
    int r;

    if (capos_capset_get_console("console", &c.console) != ERR_OK)
        return 2;    /* nowhere to report anything */
    printf("init: pid %llu\n", (unsigned long long)capos_rt_pid());
    print_capset();
    if ((r = find_caps(&c)) || (r = list_caps(c.caps)) ||
        (r = timer_demo(c.timer)) || (r = manifest_and_services(c.boot)))
        return r;
    printf("init: done\n");
    return 0;
}
