/*
 * capset.c - the CapSet page of a new process: a single-segment capnp
 * CapSet message (names, interface ids and CapIds of the initial caps, in
 * grant order), read-only for the process; and the same names kept in the
 * kernel for CapabilityManager.list.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/capset.h>
#include <kernel/kmem.h>
#include <kernel/proc.h>

err_t capset_install(struct process *p, const struct capset_item *items,
                     uint32_t n)
{
    p->cap_names = kzalloc(sizeof(struct cap_name) * (n ? n : 1));
    uint64_t *words = kzalloc(4096);
    uint8_t *out = kzalloc(4096);
    err_t r = (!p->cap_names || !words || !out) ? ERR_NOMEM : ERR_OK;
    if (!r) {
        struct capnp_builder b;
        capnp_builder_init(&b, words, 512);
        capos_cap_set_entry_blist el =
            capos_cap_set_init_entries(capos_cap_set_init_root(&b), n);
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
