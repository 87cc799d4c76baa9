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

#define MANIFEST_MAX_BINARIES 128
#define MANIFEST_MAX_SERVICES 128
#define MANIFEST_MAX_GRANTS   32
#define MANIFEST_NAME_MAX     27
#define MANIFEST_MAX_ARGS     32    /* arguments per process */
#define MANIFEST_ARG_MAX      255   /* bytes per argument, no NUL */
#define MANIFEST_ARGS_BYTES   1024  /* bytes of all arguments */
#define MANIFEST_QUOTA_CAP_SLOTS 256 /* Quota.capSlots at most (PROC_CAP_SLOTS) */
#define MANIFEST_QUOTA_WAITS  64    /* Quota.waits at most (PROC_WAITS_MAX) */
/* 32 grants with the longest names, the process name and the largest
 * argument list still fit the 4 KiB CapSet page (words: an entry is 3
 * plus a 4-word name; an argument a pointer plus at most one word of
 * NUL padding beyond its bytes). */
_Static_assert((3 + 4) * MANIFEST_MAX_GRANTS + 5 + MANIFEST_ARGS_BYTES / 8 +
               2 * MANIFEST_MAX_ARGS + 8 <= 512, "CapSet fits one page");

/* A binary of the manifest, read once at validation. */
struct manifest_binary {
    struct capnp_text name;
    struct capnp_data elf;
};

/*
 * The traversal budget.  Validation first walks the whole message once
 * under 4 words per word of message (+1,024): this refuses aliased or
 * cyclic pointers (the only way to make a reader's work grow faster than
 * the message).  Every later walk (the semantic checks, one spawn) starts
 * again with that budget plus MANIFEST_LOOKUP_WORDS, the most its name
 * lookups can read (each of up to 64 services x 32 grants compared with up
 * to 64 service and 32 grant or export names of at most 4 words, + 2 for
 * the pointers).  Binary data, the only large objects, are read exactly
 * once, at validation, into `bins`: how many services share a binary does
 * not matter.
 */
#define MANIFEST_LOOKUP_WORDS \
    ((uint64_t)MANIFEST_MAX_SERVICES * MANIFEST_MAX_GRANTS * \
     (MANIFEST_MAX_SERVICES + 2 * MANIFEST_MAX_GRANTS) * 6)

struct manifest {
    struct capnp_msg msg;
    capos_system_manifest_r root;
    size_t len;
    uint64_t traversal;     /* the budget each walk starts with */
    uint32_t nbins;
    struct manifest_binary bins[MANIFEST_MAX_BINARIES];
};

/* Restore the traversal budget before a new walk of a validated manifest
 * (the budget guards one walk). */
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

/* The ELF of binary `name` (from the copy made at validation, no read of
 * the message); false if absent. */
bool manifest_binary(struct manifest *m, struct capnp_text name,
                     struct capnp_data *elf);

/* Interface id of a kernel cap kind, 0 if the kind is unknown. */
uint64_t manifest_kernel_cap_iface(uint32_t kind);

/* True if this kernel can grant kernel cap `kind` (set by the kernel). */
extern bool (*manifest_kernel_cap_available)(uint32_t kind);

/* Check a process's arguments (ServiceEntry.args, spawn's args), read
 * from a List(Text) of msg: at most MANIFEST_MAX_ARGS, each a text of at
 * most MANIFEST_ARG_MAX bytes without NUL, MANIFEST_ARGS_BYTES in all.
 * ERR_OK; ERR_RANGE (count or sizes); ERR_BADFORMAT (not texts, NUL
 * inside).  *what names the broken rule. */
err_t manifest_args_check(struct capnp_msg *msg, const struct capnp_list *l,
                          const char **what);

/* True if text t equals the C string s. */
bool manifest_text_eq(struct capnp_text t, const char *s);
