/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - ProcessSpawner.spawn with the grants as a plain C array (see
 * capos/spawn.h), over the generated stub: grant i's cap goes to index i
 * of the CALL's transfer list and SpawnGrant i's `cap` field points at it.
 */
#include <capos/capos.h>
#include <common/string.h>

#define SPAWN_WORDS 512         /* names, grants and arguments (4 KiB) */

/* Fill SpawnGrant i from grants[i] (the fill callback of the stub). */
static void fill_grant(capos_spawn_grant_b b, uint32_t i,
                       struct capos_reply *rep, const void *arg)
{
    const struct capos_spawn_grant *g = (const struct capos_spawn_grant *)arg + i;

    capos_spawn_grant_set_name(b, g->name, (uint32_t)strlen(g->name));
    capos_spawn_grant_set_interface_id(b, g->iface);
    struct capnp_ptr_builder slot = capos_spawn_grant_slot_cap(b);

    capnp_ptr_set_cap_index(&slot, capos_reply_cap(rep, g->cap, g->mode));
}

/* ProcessSpawner.spawn. */
err_t capos_spawner_spawn(uint32_t spawner, const char *name,
                          const char *binary,
                          const struct capos_spawn_grant *grants, uint32_t n,
                          uint32_t *handle)
{
    return capos_spawner_spawn_args(spawner, name, binary, grants, n, NULL, 0,
                                    handle);
}

/* ProcessSpawner.spawn with arguments. */
err_t capos_spawner_spawn_args(uint32_t spawner, const char *name,
                               const char *binary,
                               const struct capos_spawn_grant *grants,
                               uint32_t n, const char *const *args,
                               uint32_t nargs, uint32_t *handle)
{
    return capos_spawner_spawn_quota(spawner, name, binary, grants, n, args,
                                     nargs, NULL, handle);
}

/* Fill the Quota struct from a struct capos_quota (the stub's callback). */
static void fill_quota(capos_quota_b b, struct capos_reply *rep, const void *arg)
{
    const struct capos_quota *q = arg;

    (void)rep;
    capos_quota_set_frames(b, q->frames);
    capos_quota_set_cap_slots(b, q->cap_slots);
    capos_quota_set_processes(b, q->processes);
    capos_quota_set_threads(b, q->threads);
    capos_quota_set_waits(b, q->waits);
}

/* ProcessSpawner.spawn with arguments and a quota. */
err_t capos_spawner_spawn_quota(uint32_t spawner, const char *name,
                                const char *binary,
                                const struct capos_spawn_grant *grants,
                                uint32_t n, const char *const *args,
                                uint32_t nargs, const struct capos_quota *q,
                                uint32_t *handle)
{
    static CAPOS_REPLY(rep, SPAWN_WORDS);   /* one thread: static */
    struct capos_process_handle h = {0};
    err_t e;

    if (n > RING_MAX_XFER)
        return ERR_RANGE;
    e = capos_process_spawner_spawn(
        CAPOS_HANDLE(capos_process_spawner, spawner), name, strlen(name),
        binary, strlen(binary), n, fill_grant, grants, args, nargs,
        q ? fill_quota : NULL, q, &h, &rep);
    if (e == ERR_OK)
        *handle = h.cap;
    return e;
}
