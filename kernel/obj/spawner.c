/*
 * spawner.c - the ProcessSpawner capability: new processes from boot
 * package binaries with exactly the capabilities passed, and new endpoints.
 *
 * spawn decodes everything first (name, binary, every grant: its cap index
 * into the CALL's transfer list, each index used once, its interface id
 * equal to the transferred cap's, names unique) and only then builds the
 * child with its slots reserved and its CapSet written.  The child is not
 * started and the grants are not taken until the call's completion is
 * final (call_ctx.commit: the handle is in the caller's table, in a slot
 * reserved before the results were copied out); if delivery fails
 * (no slot for the handle, result buffer) spawn_undo ends the unstarted
 * child and the caller's table is exactly as before (a move rolls back).  Nothing is inherited: the child's CapSet is the grant
 * list.  The result is a non-transferable ProcessHandle; releasing it does
 * not end the child.
 */
#include <capos.capnp.h>
#include <common/string.h>
#include <kernel/boot_init.h>
#include <kernel/capset.h>
#include <kernel/endpoint.h>
#include <kernel/kmem.h>
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

/* A built child waiting for the call's completion (call_ctx.effect). */
struct spawn_pending {
    struct process *child;
    uint32_t n;
    uint32_t ids[MANIFEST_MAX_GRANTS];      /* reserved slots of the child */
    uint32_t idx[MANIFEST_MAX_GRANTS];      /* their transfer-list indices */
};

/* Prepare the decoded grants in the child's fresh table: slots reserved
 * and the CapSet written, nothing taken from the caller yet. */
static err_t spawn_prepare(struct call_ctx *c, struct spawn_pending *sp,
                           struct capset_item *items,
                           const struct capnp_list *args)
{
    err_t r = sp->n ? cap_insert_reserve(&sp->child->caps, sp->n, sp->ids)
                    : ERR_OK;
    if (r)
        return call_fail(c, r, "child's capability table is too small");
    for (uint32_t i = 0; i < sp->n; i++)
        items[i].cap_id = sp->ids[i];
    r = capset_install(sp->child, items, sp->n, args);
    if (r) {
        for (uint32_t i = 0; i < sp->n; i++)
            cap_insert_abort(&sp->child->caps, sp->ids[i]);
        return call_fail(c, r, "cannot write the child's CapSet");
    }
    return ERR_OK;
}

/* The handle reached the caller: take the grants into the child's
 * reserved slots (the caller's moves then commit) and start it. */
static void spawn_commit(struct call_ctx *c)
{
    struct spawn_pending *sp = c->effect;
    for (uint32_t i = 0; i < sp->n; i++)
        cap_insert_commit(&sp->child->caps, sp->ids[i],
                          call_take_grant(c, sp->idx[i]), CAP_HOLD_GRANT);
    proc_start(sp->child);
    kfree(sp);
}

/* The handle could not be delivered: the child never runs; nothing was
 * taken from the caller (its moves roll back).  The pipeline drops the
 * handle's reference. */
static void spawn_undo(struct call_ctx *c)
{
    struct spawn_pending *sp = c->effect;
    for (uint32_t i = 0; i < sp->n; i++)
        cap_insert_abort(&sp->child->caps, sp->ids[i]);
    proc_exit(sp->child, -1, "spawn undone");
    kfree(sp);
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
    struct proc_quota q;
    quota_read(capos_process_spawner_spawn_params_get_quota(params), &q);
    if (quota_complete(&q, &proc_child_quota))
        return call_fail(c, ERR_RANGE, "quota.capSlots over 256 or waits over 64");
    struct spawn_pending *sp = kmalloc(sizeof *sp);
    if (!sp)
        return call_fail(c, ERR_NOMEM, "no memory for the spawn");
    sp->n = capos_spawn_grant_rlist_len(gl);
    memcpy(sp->idx, idx, sp->n * sizeof idx[0]);
    char cname[MANIFEST_NAME_MAX + 1] = {0};
    memcpy(cname, name.str, name.len);
    const char *detail = NULL;
    r = proc_create(cname, elf.ptr, elf.len, &q, c->caller, &sp->child,
                    &detail);
    if (r) {
        kfree(sp);
        return call_fail(c, r, detail ? detail : "cannot create the process");
    }
    if ((r = spawn_prepare(c, sp, items, &args))) {
        proc_exit(sp->child, -1, "spawn failed");
        kobj_put(&sp->child->obj);
        kfree(sp);
        return r;
    }
    c->result_obj = &sp->child->obj;    /* the creator's reference */
    c->result_iface = CAPOS_PROCESS_HANDLE_INTERFACE_ID;
    c->result_flags = 0;                /* ProcessHandle is not transferable */
    c->commit = spawn_commit;
    c->undo = spawn_undo;
    c->effect = sp;
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
