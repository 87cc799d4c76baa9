/*
 * capset.h - writing a new process's CapSet page and grant names.
 */
#pragma once

#include <stdint.h>
#include <abi/errors.h>

struct process;
struct capnp_list;

struct capset_item {
    const char *name;
    uint32_t name_len;          /* <= 27 */
    uint64_t iface;
    uint32_t cap_id;
};

/* Record the names (for CapabilityManager.list) and write the CapSet page
 * of p from items[n], in order, and args (NULL: none; else a List(Text)
 * manifest_args_check accepted) as CapSet.args.  ERR_NOMEM, ERR_RANGE. */
err_t capset_install(struct process *p, const struct capset_item *items,
                     uint32_t n, const struct capnp_list *args);
