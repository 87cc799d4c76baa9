/* SPDX-License-Identifier: MIT */
/*
 * capset.c - parse the bootstrap CapSet once, then look entries up by name
 * and interface (see capos/capset.h).
 *
 * Theory of operation: capos_capset_parse() reads the message with the
 * generated capos_cap_set_* readers and checks the reader's sticky error
 * after all entries are copied, so a malformed page yields an empty set
 * and ERR_BADFORMAT rather than half a table.
 */
#include <capos.capnp.h>
#include <capos/capset.h>
#include <capos/msg.h>
#include <common/string.h>

/* Copy entry e into out. */
static void copy_entry(struct capos_capset_entry *out,
                       capos_cap_set_entry_r e)
{
    struct capnp_text name = capos_cap_set_entry_get_name(e);

    out->name = name.str;
    out->name_len = name.len;
    out->cap_id = capos_cap_set_entry_get_cap_id(e);
    out->interface_id = capos_cap_set_entry_get_interface_id(e);
}

/* Parse a framed CapSet message into set. */
err_t capos_capset_parse(struct capos_capset *set, const void *buf,
                         size_t len)
{
    struct capnp_msg msg;
    capos_cap_set_entry_rlist list;
    uint32_t n;

    set->count = 0;
    set->argc = 0;
    set->argv[0] = NULL;
    if (capos_msg_read(&msg, buf, len) != ERR_OK)
        return ERR_BADFORMAT;
    capos_cap_set_r root = capos_cap_set_read_root(&msg);
    list = capos_cap_set_get_entries(root);
    n = capos_cap_set_entry_rlist_len(list);
    struct capnp_list args = capos_cap_set_get_args(root);
    uint32_t argc = capnp_list_len(&args);
    if (n > CAPOS_CAPSET_MAX || argc > CAPOS_ARGS_MAX)
        return ERR_RANGE;
    for (uint32_t i = 0; i < n; i++)
        copy_entry(&set->entries[i], capos_cap_set_entry_rlist_get(list, i));
    for (uint32_t i = 0; i < argc; i++) {
        struct capnp_ptr p = capnp_list_ptr(&args, i);
        set->argv[i] = (char *)(uintptr_t)
            capnp_ptr_read_text(&p, (struct capnp_text){0}).str;
    }
    if (capnp_msg_error(&msg) != CAPNP_OK) {
        set->argv[0] = NULL;
        return ERR_BADFORMAT;
    }
    set->argv[argc] = NULL;
    set->count = n;
    set->argc = argc;
    return ERR_OK;
}

/* Find `name` bound to iface_id. */
err_t capos_capset_find_in(const struct capos_capset *set, const char *name,
                           uint64_t iface_id, uint32_t *cap_id)
{
    size_t len = strlen(name);

    for (uint32_t i = 0; i < set->count; i++) {
        const struct capos_capset_entry *e = &set->entries[i];
        if (e->name_len != len || memcmp(e->name, name, len) != 0)
            continue;
        if (e->interface_id != iface_id)
            return ERR_WRONGTYPE;
        *cap_id = e->cap_id;
        return ERR_OK;
    }
    return ERR_NOTFOUND;
}

/* Lookup in the process's own CapSet. */
err_t capos_capset_find(const char *name, uint64_t iface_id,
                        uint32_t *cap_id)
{
    return capos_capset_find_in(capos_capset_self(), name, iface_id, cap_id);
}

/* Entries in the process's CapSet. */
uint32_t capos_capset_count(void)
{
    return capos_capset_self()->count;
}

/* Entry i of the process's CapSet, or NULL. */
const struct capos_capset_entry *capos_capset_entry(uint32_t i)
{
    const struct capos_capset *set = capos_capset_self();

    return i < set->count ? &set->entries[i] : NULL;
}
