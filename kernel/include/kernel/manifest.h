/*
 * manifest.h - the boot manifest (a capnp SystemManifest, the one boot
 * module), validated completely before any user code runs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/errors.h>
#include <capos.capnp.h>

#define MANIFEST_MAX_BINARIES 64
#define MANIFEST_MAX_SERVICES 64
#define MANIFEST_MAX_GRANTS   32
#define MANIFEST_NAME_MAX     27

struct manifest {
    struct capnp_msg msg;
    capos_system_manifest_r root;
    size_t len;
    uint64_t traversal;     /* the budget each use starts with */
};

/* Restore the traversal budget before a new walk of a validated manifest
 * (each spawn reads binaries again; the budget guards one walk). */
static inline void manifest_rewind(struct manifest *m)
{
    m->msg.traversal_left = m->traversal;
}

/*
 * Parse and validate the manifest in buf[len] (8-byte aligned): framing,
 * every pointer, schema version, binaries (unique non-empty names, data),
 * init and every service (binary exists, grant names unique, kernel caps
 * known, implemented and with their own interface id, service imports
 * naming an earlier service's export with the same interface, clientOf
 * naming an own endpoint grant, exports naming own endpoint grants),
 * kernel parameters.  On error, why[n] explains it precisely.
 */
err_t manifest_open(struct manifest *m, const void *buf, size_t len,
                    char *why, size_t n);

/* The ELF of binary `name`; false if absent. */
bool manifest_binary(struct manifest *m, struct capnp_text name,
                     struct capnp_data *elf);

/* Interface id of a kernel cap kind, 0 if the kind is unknown. */
uint64_t manifest_kernel_cap_iface(uint32_t kind);

/* True if this kernel can grant kernel cap `kind` (set by the kernel). */
extern bool (*manifest_kernel_cap_available)(uint32_t kind);

/* True if text t equals the C string s. */
bool manifest_text_eq(struct capnp_text t, const char *s);
