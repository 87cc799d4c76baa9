/*
 * capset.c - the CapSet page of a new process: a single-segment capnp
 * CapSet message (names, interface ids and CapIds of the initial caps, in
 * grant order), read-only for the process; and the same names kept in the
 * kernel for CapabilityManager.list.  The page also carries the process's
 * arguments (CapSet.args), checked by the caller (manifest_args_check).
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/capset.h>
#include <kernel/kmem.h>
#include <kernel/proc.h>

/* CapSet.args of root: the process name, then the checked list args. */
static void capset_put_args(capos_cap_set_b root, const char *name,
                            const struct capnp_list *args)
{
    uint32_t n = args ? capnp_list_len(args) : 0;
    struct capnp_list_builder lb = capos_cap_set_init_args(root, n + 1);
    struct capnp_ptr_builder pb = capnp_list_builder_ptr(&lb, 0);
    capnp_ptr_set_text(&pb, name, (uint32_t)strlen(name));
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr p = capnp_list_ptr(args, i);
        struct capnp_text t = capnp_ptr_read_text(&p, (struct capnp_text){0});
        pb = capnp_list_builder_ptr(&lb, i + 1);
        capnp_ptr_set_text(&pb, t.str, t.len);
    }
}

err_t capset_install(struct process *p, const struct capset_item *items,
                     uint32_t n, const struct capnp_list *args)
{
    p->cap_names = kzalloc(sizeof(struct cap_name) * (n ? n : 1));
    uint64_t *words = kzalloc(4096);
    uint8_t *out = kzalloc(4096);
    err_t r = (!p->cap_names || !words || !out) ? ERR_NOMEM : ERR_OK;
    if (!r) {
        struct capnp_builder b;
        capnp_builder_init(&b, words, 512);
        capos_cap_set_b root = capos_cap_set_init_root(&b);
        capos_cap_set_entry_blist el = capos_cap_set_init_entries(root, n);
        for (uint32_t i = 0; i < n; i++) {
            const struct capset_item *it = &items[i];
            uint32_t len = it->name_len < sizeof p->cap_names[i].name
                               ? it->name_len : sizeof p->cap_names[i].name - 1;
            p->cap_names[i].id = it->cap_id;
            memcpy(p->cap_names[i].name, it->name, len);
            capos_cap_set_entry_b e = capos_cap_set_entry_blist_at(el, i);
            capos_cap_set_entry_set_name(e, it->name, it->name_len);
            capos_cap_set_entry_set_interface_id(e, it->iface);
            capos_cap_set_entry_set_cap_id(e, it->cap_id);
        }
        p->ncap_names = n;
        capset_put_args(root, p->name, args);
        size_t len = 0;
        if (capnp_builder_serialize(&b, out, 4096, &len) != CAPNP_OK)
            r = ERR_RANGE;
        else
            r = proc_set_capset(p, out, len);
    }
    kfree(words);
    kfree(out);
    return r;
}
