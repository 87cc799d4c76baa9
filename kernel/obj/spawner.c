/*
 * spawner.c - the ProcessSpawner capability: new processes from boot
 * package binaries with exactly the capabilities passed, and new endpoints.
 *
 * spawn decodes everything first (name, binary, every grant: its cap index
 * into the CALL's transfer list, each index used once, its interface id
 * equal to the transferred cap's, names unique) and only then builds the
 * child; the grants are taken from the transfer list only when the child
 * and its CapSet exist, so a refused spawn leaves the caller's table
 * untouched (a move rolls back).  Nothing is inherited: the child's CapSet is the grant
 * list.  The result is a non-transferable ProcessHandle; releasing it does
 * not end the child.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/boot_init.h>
#include <kernel/capset.h>
#include <kernel/endpoint.h>
#include <kernel/kobjs.h>
#include <kernel/manifest.h>
#include <kernel/proc.h>
#include <kernel/xfer.h>

static const struct kobj_ops spawner_ops = {.name = "spawner",
                                            .type = KOBJ_SPAWNER};
static struct kobj spawner;

struct kobj *spawner_obj(void)
{
    if (!spawner.ops)
        kobj_init(&spawner, &spawner_ops);
    return &spawner;
}

static bool name_ok(struct capnp_text t)
{
    return t.len > 0 && t.len <= MANIFEST_NAME_MAX;
}

/* Check every grant; fills items[] (names, ifaces) and idx[] (xfer index). */
static err_t spawn_decode_grants(struct call_ctx *c, capos_spawn_grant_rlist gl,
                                 struct capset_item *items, uint32_t *idx)
{
    uint32_t n = capos_spawn_grant_rlist_len(gl), used = 0;
    if (n > MANIFEST_MAX_GRANTS)
        return call_fail(c, ERR_RANGE, "too many grants");
    for (uint32_t i = 0; i < n; i++) {
        capos_spawn_grant_r g = capos_spawn_grant_rlist_get(gl, i);
        struct capnp_text name = capos_spawn_grant_get_name(g);
        struct capnp_ptr cp = capos_spawn_grant_get_cap(g);
        uint32_t k = capnp_ptr_read_cap(&cp);
        if (!name_ok(name))
            return call_fail(c, ERR_INVAL, "grant name empty or too long");
        for (uint32_t j = 0; j < i; j++)
            if (items[j].name_len == name.len &&
                !memcmp(items[j].name, name.str, name.len))
                return call_fail(c, ERR_INVAL, "duplicate grant name");
        if (k >= c->xfer->n || (used & (1u << k)))
            return call_fail(c, ERR_INVAL, "grant cap index invalid or reused");
        if (c->xfer->g[k].iface != capos_spawn_grant_get_interface_id(g))
            return call_fail(c, ERR_WRONGTYPE, "grant interface mismatch");
        used |= 1u << k;
        idx[i] = k;
        items[i] = (struct capset_item){.name = name.str, .name_len = name.len,
                                        .iface = c->xfer->g[k].iface};
    }
    return ERR_OK;
}

/* Move the decoded grants into the child's fresh table: slots are
 * reserved and the CapSet written first, so a failure takes nothing from
 * the caller (its moves roll back); only then are the grants taken. */
static err_t spawn_land(struct call_ctx *c, struct process *child,
                        struct capset_item *items, const uint32_t *idx,
                        uint32_t n, const struct capnp_list *args)
{
    uint32_t ids[MANIFEST_MAX_GRANTS];
    err_t r = n ? cap_insert_reserve(&child->caps, n, ids) : ERR_OK;
    if (r)
        return call_fail(c, r, "child's capability table is too small");
    for (uint32_t i = 0; i < n; i++)
        items[i].cap_id = ids[i];
    r = capset_install(child, items, n, args);
    if (r) {
        for (uint32_t i = 0; i < n; i++)
            cap_insert_abort(&child->caps, ids[i]);
        return call_fail(c, r, "cannot write the child's CapSet");
    }
    for (uint32_t i = 0; i < n; i++)
        cap_insert_commit(&child->caps, ids[i], call_take_grant(c, idx[i]),
                          CAP_HOLD_GRANT);
    return ERR_OK;
}

static int spawner_spawn(void *ctx, capos_process_spawner_spawn_params_r params,
                         capos_process_spawner_spawn_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct capnp_text name = capos_process_spawner_spawn_params_get_name(params);
    struct capnp_text bin = capos_process_spawner_spawn_params_get_binary(params);
    struct capset_item items[MANIFEST_MAX_GRANTS];
    uint32_t idx[MANIFEST_MAX_GRANTS];
    struct capnp_data elf;
    if (!name_ok(name))
        return call_fail(c, ERR_INVAL, "process name empty or too long");
    if (!boot_manifest_binary(bin, &elf))
        return call_fail(c, ERR_NOTFOUND, "no such binary in the boot package");
    capos_spawn_grant_rlist gl = capos_process_spawner_spawn_params_get_grants(params);
    err_t r = spawn_decode_grants(c, gl, items, idx);
    if (r)
        return r;
    struct capnp_list args = capos_process_spawner_spawn_params_get_args(params);
    const char *what;
    r = manifest_args_check(params.s.msg, &args, &what);
    if (r)
        return call_fail(c, r == ERR_BADFORMAT ? ERR_INVAL : r, what);
    char cname[MANIFEST_NAME_MAX + 1] = {0};
    memcpy(cname, name.str, name.len);
    struct process *child;
    const char *detail = NULL;
    r = proc_create(cname, elf.ptr, elf.len, &proc_default_quota, &child, &detail);
    if (r)
        return call_fail(c, r, detail ? detail : "cannot create the process");
    r = spawn_land(c, child, items, idx, capos_spawn_grant_rlist_len(gl), &args);
    if (r) {
        proc_exit(child, -1, "spawn failed");
        kobj_put(&child->obj);
        return r;
    }
    c->result_obj = &child->obj;        /* the creator's reference */
    c->result_iface = CAPOS_PROCESS_HANDLE_INTERFACE_ID;
    c->result_flags = 0;                /* ProcessHandle is not transferable */
    proc_start(child);
    return ERR_OK;
}

static int spawner_new_endpoint(void *ctx,
                                capos_process_spawner_new_endpoint_params_r params,
                                capos_process_spawner_new_endpoint_results_b results)
{
    (void)params;
    (void)results;
    struct call_ctx *c = ctx;
    struct kobj *ep = endpoint_create();
    if (!ep)
        return call_fail(c, ERR_NOMEM, "no memory for an endpoint");
    c->result_obj = ep;
    c->result_iface = CAPOS_ENDPOINT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static const capos_process_spawner_server_t spawner_server = {
    .spawn = spawner_spawn,
    .new_endpoint = spawner_new_endpoint,
};

static int spawner_dispatch(struct call_ctx *c, uint16_t m,
                            struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_process_spawner_dispatch(&spawner_server, c, m, params, res);
}

const struct kiface spawner_iface = {
    .id = CAPOS_PROCESS_SPAWNER_INTERFACE_ID, .name = "ProcessSpawner",
    .dispatch = spawner_dispatch};
