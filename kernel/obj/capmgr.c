/*
 * capmgr.c - the CapabilityManager capability: introspection of the
 * caller's own capability table (list).  Acting only on the caller's table,
 * it is a singleton and confers no authority over anything else.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/kobjs.h>
#include <kernel/proc.h>

static const struct kobj_ops capmgr_ops = {.name = "capmgr",
                                           .type = KOBJ_CAPMGR};
static struct kobj capmgr;

struct kobj *capmgr_obj(void)
{
    if (!capmgr.ops)
        kobj_init(&capmgr, &capmgr_ops);
    return &capmgr;
}

/* CapSet name of cap `id` in p, or "". */
static const char *capmgr_name(const struct process *p, uint32_t id)
{
    for (uint32_t i = 0; i < p->ncap_names; i++)
        if (p->cap_names[i].id == id)
            return p->cap_names[i].name;
    return "";
}

static int capmgr_list(void *ctx, capos_capability_manager_list_params_r params,
                       capos_capability_manager_list_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    uint64_t f = spin_lock_irqsave(&p->lock);
    uint32_t n = cap_table_used(&p->caps), cursor = 0, i = 0, id;
    const struct cap_entry *e;
    capos_capability_info_blist l =
        capos_capability_manager_list_results_init_capabilities(results, n);
    while (i < n && cap_table_next(&p->caps, &cursor, &id, &e)) {
        capos_capability_info_b info = capos_capability_info_blist_at(l, i++);
        const char *name = capmgr_name(p, id);
        capos_capability_info_set_cap_id(info, id);
        capos_capability_info_set_interface_id(info, e->iface);
        capos_capability_info_set_name(info, name, (uint32_t)strlen(name));
    }
    spin_unlock_irqrestore(&p->lock, f);
    return ERR_OK;
}

static const capos_capability_manager_server_t capmgr_server = {
    .list = capmgr_list,
};

static int capmgr_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_capability_manager_dispatch(&capmgr_server, c, m, params, res);
}

const struct kiface capmgr_iface = {
    .id = CAPOS_CAPABILITY_MANAGER_INTERFACE_ID, .name = "CapabilityManager",
    .dispatch = capmgr_dispatch};
