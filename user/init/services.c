/* SPDX-License-Identifier: MIT */
/*
 * services.c - init's service manager.
 *
 * Theory of operation.  InitConfig.services is a list of ServiceEntry
 * {name, binary, grants, exports}.  Each grant names where its cap comes
 * from:
 *   kernel K        init passes its own cap of K's interface by COPY
 *                   (init's manifest grants must include it); kernel
 *                   `endpoint` is a fresh Endpoint from
 *                   ProcessSpawner.newEndpoint, passed by COPY so init can
 *                   still mint client facets for later services
 *   service S.E     a client facet (Endpoint.makeClient, MOVEd) of the
 *                   endpoint grant that earlier service S exports as E
 *   clientOf G      a client facet of the service's own endpoint grant G
 * Client facets are ClientEndpoint caps: the child's CapSet lists them
 * with the ClientEndpoint interface id whatever the manifest says (the
 * manifest may name the served interface instead, as documentation).
 *
 * Phase 1 validates the whole graph without side effects and prints every
 * problem as `init: service "x": grant "g": why`.  Phase 2 starts the
 * valid services in order; a service whose provider did not start is
 * skipped.  Phase 3 releases init's Endpoint copies (so a server's exit
 * disconnects its clients: an endpoint dies with its last Endpoint cap),
 * waits for every started service in order and prints its exit code.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#include "../drivers/devcall.h"
#include "services.h"

#define MAX_SERVICES 64     /* the kernel's limit (MANIFEST_MAX_SERVICES) */
#define MAX_GRANTS RING_MAX_XFER
#define MAX_ARGS 32         /* the kernel's limit (manifest_args_check) */
#define NAME_MAX 27

struct svc {
    capos_service_entry_r e;
    char name[32];
    bool valid, started;
    uint32_t handle;             /* ProcessHandle once started */
    uint32_t ep[MAX_GRANTS];     /* init's Endpoint per endpoint grant */
};

static struct svc svcs[MAX_SERVICES];
static uint32_t nsvcs;
static capos_binary_rlist binaries;

/* Interface of a kernel cap kind init can pass on (0: it cannot). */
static uint64_t kernel_iface(uint32_t kind)
{
    switch (kind) {
    case CAPOS_KERNEL_CAP_CONSOLE: return CAPOS_CONSOLE_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_TIMER: return CAPOS_TIMER_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_FRAME_ALLOCATOR: return CAPOS_FRAME_ALLOCATOR_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_PROCESS_SPAWNER: return CAPOS_PROCESS_SPAWNER_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_BOOT_PACKAGE: return CAPOS_BOOT_PACKAGE_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_ENDPOINT: return CAPOS_ENDPOINT_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_NOTIFICATION_FACTORY:
        return CAPOS_NOTIFICATION_FACTORY_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_DEVICE_MANAGER:
        return CAPOS_DEVICE_MANAGER_INTERFACE_ID;
    case CAPOS_KERNEL_CAP_SERIAL: return CAPOS_SERIAL_INTERFACE_ID;
    default: return 0;  /* per process: virtualMemory, capabilityManager,
                           threadControl */
    }
}

/* init's own cap implementing iface, or 0. */
static uint32_t own_cap(uint64_t iface)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++)
        if (capos_capset_entry(i)->interface_id == iface)
            return capos_capset_entry(i)->cap_id;
    return 0;
}

static bool texts_eq(struct capnp_text a, struct capnp_text b)
{
    return a.len == b.len && (a.len == 0 || !memcmp(a.str, b.str, a.len));
}

static const char *str(struct capnp_text t)
{
    return t.str ? t.str : "";
}

/* Print one validation problem about grant g (NULL: the service). */
static bool bad(const struct svc *s, const char *g, const char *why)
{
    if (g)
        printf("init: service \"%s\": grant \"%s\": %s\n", s->name, g, why);
    else
        printf("init: service \"%s\": %s\n", s->name, why);
    return false;
}

/* Index of s's grant `name` whose source is kernel endpoint, or -1. */
static int endpoint_grant(capos_service_entry_r e, struct capnp_text name)
{
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(e);
    for (uint32_t i = 0; i < capos_cap_grant_rlist_len(gl); i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
        if (texts_eq(capos_cap_grant_get_name(g), name) &&
            capos_cap_grant_source_which(src) == CAPOS_CAP_GRANT_SOURCE_KERNEL &&
            capos_cap_grant_source_get_kernel(src) == CAPOS_KERNEL_CAP_ENDPOINT)
            return (int)i;
    }
    return -1;
}

/* Service named `name` before index `before`, or -1. */
static int find_service(struct capnp_text name, uint32_t before)
{
    for (uint32_t i = 0; i < before; i++)
        if (texts_eq(capos_service_entry_get_name(svcs[i].e), name))
            return (int)i;
    return -1;
}

/* Grant index of service si's export `name` (its endpoint grant), or -1;
 * *iface gets the served interface. */
static int find_export(uint32_t si, struct capnp_text name, uint64_t *iface)
{
    capos_service_export_rlist xl = capos_service_entry_get_exports(svcs[si].e);
    for (uint32_t i = 0; i < capos_service_export_rlist_len(xl); i++) {
        capos_service_export_r x = capos_service_export_rlist_get(xl, i);
        if (texts_eq(capos_service_export_get_name(x), name)) {
            *iface = capos_service_export_get_interface_id(x);
            return endpoint_grant(svcs[si].e, capos_service_export_get_grant(x));
        }
    }
    return -1;
}

/* Check a kernel-sourced grant. */
static bool check_kernel(const struct svc *s, const char *gn, uint32_t kind,
                         uint64_t iface)
{
    uint64_t want = kernel_iface(kind);

    if (!want)
        return bad(s, gn, "this kernel cap is per process; init cannot "
                          "pass its own");
    if (iface != want)
        return bad(s, gn, "interfaceId does not match the kernel cap");
    if (kind != CAPOS_KERNEL_CAP_ENDPOINT && !own_cap(want))
        return bad(s, gn, "init holds no such kernel cap (add it to init's "
                          "grants)");
    if (kind == CAPOS_KERNEL_CAP_ENDPOINT &&
        !own_cap(CAPOS_PROCESS_SPAWNER_INTERFACE_ID))
        return bad(s, gn, "an endpoint needs init's ProcessSpawner");
    return true;
}

/* Check a grant imported from an earlier service. */
static bool check_import(const struct svc *s, uint32_t si, const char *gn,
                         capos_cap_grant_source_service_r imp, uint64_t iface)
{
    struct capnp_text sn = capos_cap_grant_source_service_get_service(imp);
    struct capnp_text xn = capos_cap_grant_source_service_get_export(imp);
    int p = find_service(sn, si);
    uint64_t served = 0;

    if (p < 0)
        return bad(s, gn, "no earlier service of that name");
    if (find_export((uint32_t)p, xn, &served) < 0)
        return bad(s, gn, "the service has no such export (or it is not "
                          "an endpoint grant)");
    if (iface != served && iface != CAPOS_CLIENT_ENDPOINT_INTERFACE_ID)
        return bad(s, gn, "interfaceId is neither the export's nor "
                          "ClientEndpoint");
    if (!svcs[p].valid)
        return bad(s, gn, "its provider is not valid");
    return true;
}

/* Check one grant of service si. */
static bool check_grant(uint32_t si, capos_cap_grant_r g)
{
    const struct svc *s = &svcs[si];
    struct capnp_text name = capos_cap_grant_get_name(g);
    capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
    uint64_t iface = capos_cap_grant_get_interface_id(g);
    const char *gn = str(name);

    if (name.len == 0 || name.len > NAME_MAX)
        return bad(s, gn, "name empty or longer than 27 bytes");
    switch (capos_cap_grant_source_which(src)) {
    case CAPOS_CAP_GRANT_SOURCE_KERNEL:
        return check_kernel(s, gn, capos_cap_grant_source_get_kernel(src), iface);
    case CAPOS_CAP_GRANT_SOURCE_SERVICE:
        return check_import(s, si, gn, capos_cap_grant_source_get_service(src),
                            iface);
    case CAPOS_CAP_GRANT_SOURCE_CLIENT_OF:
        if (endpoint_grant(s->e, capos_cap_grant_source_get_client_of(src)) < 0)
            return bad(s, gn, "clientOf names no own endpoint grant");
        return true;
    case CAPOS_CAP_GRANT_SOURCE_DEVICE:
        if (iface != CAPOS_PCI_DEVICE_INTERFACE_ID)
            return bad(s, gn, "a device grant has interface PciDevice");
        if (!own_cap(CAPOS_DEVICE_MANAGER_INTERFACE_ID))
            return bad(s, gn, "a device grant needs init's DeviceManager (add "
                              "deviceManager to init's grants)");
        return true;
    default:
        return bad(s, gn, "unknown source");
    }
}

/* Is binary `name` in the manifest? */
static bool have_binary(struct capnp_text name)
{
    for (uint32_t i = 0; i < capos_binary_rlist_len(binaries); i++)
        if (texts_eq(capos_binary_get_name(capos_binary_rlist_get(binaries, i)),
                     name))
            return true;
    return false;
}

/* Check service si: binary, names, every grant, every export. */
static bool check_service(uint32_t si)
{
    const struct svc *s = &svcs[si];
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(s->e);
    capos_service_export_rlist xl = capos_service_entry_get_exports(s->e);
    uint32_t n = capos_cap_grant_rlist_len(gl);
    bool ok = true;

    if (!have_binary(capos_service_entry_get_binary(s->e)))
        ok = bad(s, NULL, "its binary is not in the manifest");
    if (n > MAX_GRANTS)
        return bad(s, NULL, "more than 8 grants");
    for (uint32_t i = 0; i < n; i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        ok = check_grant(si, g) && ok;
        for (uint32_t j = 0; j < i; j++)
            if (texts_eq(capos_cap_grant_get_name(g), capos_cap_grant_get_name(
                             capos_cap_grant_rlist_get(gl, j))))
                ok = bad(s, str(capos_cap_grant_get_name(g)), "name used twice");
    }
    for (uint32_t i = 0; i < capos_service_export_rlist_len(xl); i++) {
        capos_service_export_r x = capos_service_export_rlist_get(xl, i);
        if (endpoint_grant(s->e, capos_service_export_get_grant(x)) < 0)
            ok = bad(s, str(capos_service_export_get_grant(x)),
                     "exported but not an own endpoint grant");
    }
    return ok;
}

/* A client facet of init's Endpoint ep serving iface (0: none stated),
 * or 0 (reported). */
static uint32_t facet(const struct svc *s, const char *gn, uint32_t ep,
                      uint64_t iface)
{
    struct capos_client_endpoint cl = {0};
    err_t e = ep ? capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep),
                                              iface, &cl, NULL)
                 : ERR_DISCONNECTED;

    if (e != ERR_OK)
        printf("init: service \"%s\": grant \"%s\": makeClient: %s\n",
               s->name, gn, err_name(e));
    return e == ERR_OK ? cl.cap : 0;
}

/* Open the PCI function a device grant names, to move to the service. */
static bool open_device(const struct svc *s, capos_cap_grant_source_r src,
                        struct capos_spawn_grant *g)
{
    capos_device_match_r m = capos_cap_grant_source_get_device(src);
    err_t e = dev_open(own_cap(CAPOS_DEVICE_MANAGER_INTERFACE_ID),
                       capos_device_match_get_vendor_id(m),
                       capos_device_match_get_device_id(m),
                       capos_device_match_get_index(m), &g->cap);
    if (e != ERR_OK) {
        printf("init: service \"%s\": grant \"%s\": device %04x:%04x: %s\n",
               s->name, g->name, capos_device_match_get_vendor_id(m),
               capos_device_match_get_device_id(m), err_name(e));
        return false;
    }
    g->mode = XFER_MOVE;
    return true;
}

/* Make the cap for grant i of service si into *g (endpoints first, in
 * make_endpoints).  Returns false (reported) on failure. */
static bool make_grant(uint32_t si, uint32_t i, struct capos_spawn_grant *g)
{
    struct svc *s = &svcs[si];
    capos_cap_grant_r cg = capos_cap_grant_rlist_get(
        capos_service_entry_get_grants(s->e), i);
    capos_cap_grant_source_r src = capos_cap_grant_get_source(cg);
    uint64_t served;

    g->name = str(capos_cap_grant_get_name(cg));
    g->iface = capos_cap_grant_get_interface_id(cg);
    g->mode = XFER_COPY;
    switch (capos_cap_grant_source_which(src)) {
    case CAPOS_CAP_GRANT_SOURCE_KERNEL:
        g->cap = s->ep[i] ? s->ep[i] : own_cap(g->iface);
        return g->cap != 0;
    case CAPOS_CAP_GRANT_SOURCE_SERVICE: {
        capos_cap_grant_source_service_r imp =
            capos_cap_grant_source_get_service(src);
        int p = find_service(capos_cap_grant_source_service_get_service(imp), si);
        int k = find_export((uint32_t)p,
                            capos_cap_grant_source_service_get_export(imp),
                            &served);
        g->cap = svcs[p].started ? facet(s, g->name, svcs[p].ep[k], served)
                                 : 0;
        break;
    }
    case CAPOS_CAP_GRANT_SOURCE_DEVICE:
        return open_device(s, src, g);
    default: /* clientOf */
        served = g->iface == CAPOS_CLIENT_ENDPOINT_INTERFACE_ID ? 0 : g->iface;
        g->cap = facet(s, g->name, s->ep[endpoint_grant(
                     s->e, capos_cap_grant_source_get_client_of(src))], served);
        break;
    }
    /* The facet's entry says the interface it serves (docs/ipc.md). */
    g->iface = served ? served : CAPOS_CLIENT_ENDPOINT_INTERFACE_ID;
    g->mode = XFER_MOVE;
    if (!g->cap)
        printf("init: service \"%s\": grant \"%s\": provider not running\n",
               s->name, g->name);
    return g->cap != 0;
}

/* Fresh endpoints for s's endpoint grants. */
static bool make_endpoints(struct svc *s, uint32_t spawner)
{
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(s->e);
    for (uint32_t i = 0; i < capos_cap_grant_rlist_len(gl); i++) {
        struct capnp_text n = capos_cap_grant_get_name(capos_cap_grant_rlist_get(gl, i));
        err_t e;
        if (endpoint_grant(s->e, n) != (int)i)
            continue;
        if ((e = capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, spawner), (struct capos_endpoint *)(&s->ep[i]), NULL)) != ERR_OK) {
            printf("init: service \"%s\": newEndpoint: %s\n", s->name,
                   err_name(e));
            return false;
        }
    }
    return true;
}

/* Release the facets of g[n] that are still ours (a failed spawn). */
static void drop_facets(const struct capos_spawn_grant *g, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (g[i].mode == XFER_MOVE && g[i].cap)
            (void)capos_release(g[i].cap);
}

/* The manifest's arguments of s (the kernel checked them at boot:
 * at most MAX_ARGS texts). */
static uint32_t service_args(const struct svc *s, const char **args)
{
    struct capnp_list l = capos_service_entry_get_args(s->e);
    uint32_t n = capnp_list_len(&l);
    n = n < MAX_ARGS ? n : MAX_ARGS;
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr p = capnp_list_ptr(&l, i);
        args[i] = str(capnp_ptr_read_text(&p, (struct capnp_text){0}));
    }
    return n;
}

/* Start service si. */
static bool start(uint32_t si, uint32_t spawner)
{
    struct svc *s = &svcs[si];
    struct capos_spawn_grant g[MAX_GRANTS];
    uint32_t n = capos_cap_grant_rlist_len(capos_service_entry_get_grants(s->e));
    uint32_t made = 0, pid = 0;
    err_t e;

    memset(g, 0, sizeof(g));
    if (!make_endpoints(s, spawner))
        return false;
    while (made < n && make_grant(si, made, &g[made]))
        made++;
    if (made < n) {
        drop_facets(g, made + 1);
        return false;
    }
    const char *args[MAX_ARGS];
    uint32_t nargs = service_args(s, args);
    capos_quota_r qr = capos_service_entry_get_quota(s->e);
    struct capos_quota q = {.frames = capos_quota_get_frames(qr),
                            .cap_slots = capos_quota_get_cap_slots(qr),
                            .processes = capos_quota_get_processes(qr),
                            .threads = capos_quota_get_threads(qr),
                            .waits = capos_quota_get_waits(qr)};
    e = capos_spawner_spawn_quota(spawner, s->name,
                                  str(capos_service_entry_get_binary(s->e)), g,
                                  n, args, nargs, &q, &s->handle);
    if (e != ERR_OK) {
        printf("init: service \"%s\": spawn: %s\n", s->name, err_name(e));
        drop_facets(g, n);
        return false;
    }
    capos_process_handle_pid(CAPOS_HANDLE(capos_process_handle, s->handle), &pid, NULL);
    printf("init: started \"%s\" (pid %u, %u caps)\n", s->name, pid, n);
    return true;
}

/* Phase 3: drop init's endpoints, wait for everyone. */
static int wait_all(void)
{
    int failed = 0;

    for (uint32_t i = 0; i < nsvcs; i++)
        for (uint32_t k = 0; k < MAX_GRANTS; k++)
            if (svcs[i].ep[k])
                (void)capos_release(svcs[i].ep[k]);
    for (uint32_t i = 0; i < nsvcs; i++) {
        int64_t code = -1;
        err_t e;
        if (!svcs[i].started)
            continue;
        if ((e = capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, svcs[i].handle), &code, NULL)) != ERR_OK)
            printf("init: service \"%s\": wait: %s\n", svcs[i].name, err_name(e));
        else
            printf("init: service \"%s\" exited with %lld\n", svcs[i].name,
                   (long long)code);
        failed |= e != ERR_OK || code != 0;
        (void)capos_release(svcs[i].handle);
    }
    return failed;
}

/* Validate, start, wait. */
int services_run(capos_system_manifest_r m, uint32_t spawner)
{
    capos_service_entry_rlist l = capos_init_config_get_services(
        capos_system_manifest_get_init_config(m));
    int failed = 0;

    binaries = capos_system_manifest_get_binaries(m);
    nsvcs = capos_service_entry_rlist_len(l);
    if (nsvcs > MAX_SERVICES) {
        printf("init: %u services, at most %u supported\n", nsvcs, MAX_SERVICES);
        return 1;
    }
    for (uint32_t i = 0; i < nsvcs; i++) {
        memset(&svcs[i], 0, sizeof(svcs[i]));
        svcs[i].e = capos_service_entry_rlist_get(l, i);
        strlcpy(svcs[i].name, str(capos_service_entry_get_name(svcs[i].e)),
                sizeof(svcs[i].name));
        svcs[i].valid = check_service(i);
        if (svcs[i].valid && !spawner)
            svcs[i].valid = bad(&svcs[i], NULL, "init has no ProcessSpawner");
        failed |= !svcs[i].valid;
    }
    for (uint32_t i = 0; i < nsvcs; i++) {
        svcs[i].started = svcs[i].valid && start(i, spawner);
        failed |= !svcs[i].started;
    }
    failed |= wait_all();
    return failed;
}
