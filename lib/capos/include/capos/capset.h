/* SPDX-License-Identifier: MIT */
/*
 * capset.h - the bootstrap CapSet: the named capabilities a process starts
 * with.
 *
 * Theory of operation: the kernel maps a read-only page (RDX at entry) that
 * holds a framed capnp message whose root is capos.capnp CapSet {entries:
 * List(CapSetEntry{name, interfaceId, capId}), args: List(Text)}; crt0
 * passes args to main as argc/argv.  capos_capset_parse()
 * validates it once and copies each entry's (name pointer, interface id,
 * cap id) into a small table; names point into the message, which must stay
 * mapped (the CapSet page does for the process's lifetime).  Lookups then
 * never touch capnp again (no traversal budget is consumed).
 *
 * A lookup names both the entry and the interface the caller expects
 * (R8-style typing: a name bound to another interface is an error, not a
 * silent mix-up).
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

#define CAPOS_CAPSET_MAX 64
#define CAPOS_ARGS_MAX 33       /* the process name and 32 arguments */

struct capos_capset_entry {
    const char *name;       /* NUL-terminated, inside the message */
    uint32_t name_len;
    uint32_t cap_id;
    uint64_t interface_id;
};

struct capos_capset {
    uint32_t count;
    struct capos_capset_entry entries[CAPOS_CAPSET_MAX];
    uint32_t argc;                      /* CapSet.args: argv[0] = name */
    char *argv[CAPOS_ARGS_MAX + 1];     /* into the message; NULL-ended */
};

/* Parse a framed CapSet message buf[len] (8-byte aligned): its entries and
 * its arguments (CapSet.args, the process name first) as a NULL-ended
 * argv whose strings point into the message.  ERR_BADFORMAT for a
 * malformed message, ERR_RANGE for more than CAPOS_CAPSET_MAX entries or
 * CAPOS_ARGS_MAX arguments; *set is empty on error. */
err_t capos_capset_parse(struct capos_capset *set, const void *buf,
                         size_t len);

/* Find `name` in set: ERR_NOTFOUND if absent, ERR_WRONGTYPE if it is bound
 * to an interface other than iface_id; else *cap_id gets its cap. */
err_t capos_capset_find_in(const struct capos_capset *set, const char *name,
                           uint64_t iface_id, uint32_t *cap_id);

/* capos_capset_find_in on the process's own CapSet. */
err_t capos_capset_find(const char *name, uint64_t iface_id,
                        uint32_t *cap_id);

/* Number of entries in the process's CapSet. */
uint32_t capos_capset_count(void);

/* Entry i of the process's CapSet (manifest order), or NULL. */
const struct capos_capset_entry *capos_capset_entry(uint32_t i);

/* The process's CapSet (for capos_capset_find_in-style use). */
struct capos_capset *capos_capset_self(void);
