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

#include "services.h"

#define MAX_SERVICES 16
#define MAX_GRANTS RING_MAX_XFER

struct svc {
    capos_service_entry_r e;
    char name[32];
    bool valid, started;
    uint32_t handle;             /* ProcessHandle once started */
    uint32_t ep[MAX_GRANTS];     /* init's Endpoint per endpoint grant */
};

static struct svc svcs[MAX_SERVICES];
static uint32_t nsvcs;

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
    default: return 0;   /* per-process: virtualMemory, capabilityManager, threadControl */
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

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.str && strlen(s) == t.len && !memcmp(t.str, s, t.len);
}

/* Print one validation problem; returns false. */
static bool bad(const struct svc *s, struct capnp_text grant, const char *why,
                const char *what)
{
    if (grant.str)
        printf("init: service \"%s\": grant \"%s\": %s%s\n", s->name,
               grant.str, why, what ? what : "");
    else
        printf("init: service \"%s\": %s%s\n", s->name, why, what ? what : "");
    return false;
}

/* Index of own grant `name` with an endpoint source, or -1. */
static int endpoint_grant(capos_service_entry_r e, struct capnp_text name)
{
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(e);
    for (uint32_t i = 0; i < capos_cap_grant_rlist_len(gl); i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
        if (capnp_text_eq_fields(capos_cap_grant_get_name(g), name) &&
            capos_cap_grant_source_which(src) == CAPOS_CAP_GRANT_SOURCE_KERNEL &&
            capos_cap_grant_source_get_kernel(src) == CAPOS_KERNEL_CAP_ENDPOINT)
            return (int)i;
    }
    return -1;
}
