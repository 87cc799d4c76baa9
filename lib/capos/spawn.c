/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - ProcessSpawner and Endpoint wrappers (see capos/spawn.h).
 *
 * Theory of operation: spawn puts grant i's cap at index i of the CALL's
 * transfer list and points SpawnGrant i's `cap` field at that index.  A
 * method that returns a cap (spawn, newEndpoint, makeClient) reads the
 * capability field of its result, adopts that record after checking the
 * interface and releases anything else the result delivered.
 */
#include <capos.capnp.h>
#include <capos/ipc.h>
#include <capos/msg.h>
#include <capos/rt.h>
#include <capos/spawn.h>
#include <common/string.h>

#define SPAWN_PARAM_WORDS 512
#define SMALL_WORDS 8
#define RESULT_WORDS 64

/* Call method on cap with params m (finished here), then adopt the result
 * cap read by `field` as iface into *out. */
static err_t call_for_cap(uint32_t cap, uint16_t method,
                          struct capos_msgbuf *m, const struct ring_xfer *x,
                          uint32_t nx, uint64_t iface,
                          uint32_t (*field)(struct capnp_msg *),
                          uint32_t *out)
{
    uint64_t res[RESULT_WORDS];
    struct capos_msg_caps rc;
    struct ring_cqe cqe;
    uint32_t idx, id = 0;
    err_t e;

    if ((e = capos_msg_finish(m)) != ERR_OK)
        return e;
    e = capos_call_xfer(cap, method, m->words, m->len, x, nx, res,
                        sizeof(res), &cqe);
    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_caps_open_result(&rc, &cqe, res, sizeof(res))) !=
        ERR_OK)
        return e;
    idx = field(&rc.msg);
    /* A null field with exactly one cap: the kernel's single result cap. */
    if (idx == CAPNP_CAP_NULL && rc.ncaps == 1)
        idx = 0;
    e = capos_msg_caps_take(&rc, idx, iface, &id);
    (void)capos_msg_caps_release_rest(&rc);
    if (e == ERR_OK)
        *out = id;
    return e;
}

static uint32_t spawn_handle(struct capnp_msg *msg)
{
    return capos_process_spawner_spawn_results_get_handle(
        capos_process_spawner_spawn_results_read_root(msg));
}

static uint32_t new_endpoint_ep(struct capnp_msg *msg)
{
    return capos_process_spawner_new_endpoint_results_get_endpoint(
        capos_process_spawner_new_endpoint_results_read_root(msg));
}

static uint32_t make_client_client(struct capnp_msg *msg)
{
    return capos_endpoint_make_client_results_get_client(
        capos_endpoint_make_client_results_read_root(msg));
}

/* Fill the grants list and the transfer list. */
static void build_grants(capos_process_spawner_spawn_params_b p,
                         const struct capos_spawn_grant *g, uint32_t n,
                         struct ring_xfer *x)
{
    capos_spawn_grant_blist l =
        capos_process_spawner_spawn_params_init_grants(p, n);

    for (uint32_t i = 0; i < n; i++) {
        capos_spawn_grant_b b = capos_spawn_grant_blist_at(l, i);
        struct capnp_ptr_builder slot = capos_spawn_grant_slot_cap(b);

        capos_spawn_grant_set_name(b, g[i].name, (uint32_t)strlen(g[i].name));
        capos_spawn_grant_set_interface_id(b, g[i].iface);
        capnp_ptr_set_cap_index(&slot, i);
        x[i].cap_id = g[i].cap;
        x[i].mode = g[i].mode;
    }
}

/* ProcessSpawner.spawn. */
err_t capos_spawner_spawn(uint32_t spawner, const char *name,
                          const char *binary,
                          const struct capos_spawn_grant *grants, uint32_t n,
                          uint32_t *handle)
{
    return capos_spawner_spawn_args(spawner, name, binary, grants, n, NULL, 0,
                                    NULL, handle);
}

/* Fill the argument list. */
static void build_args(capos_process_spawner_spawn_params_b p,
                       const char *const *args, uint32_t nargs)
{
    if (!nargs)
        return;
    struct capnp_list_builder l =
        capos_process_spawner_spawn_params_init_args(p, nargs);
    for (uint32_t i = 0; i < nargs; i++) {
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_text(&pb, args[i], (uint32_t)strlen(args[i]));
    }
}

/* ProcessSpawner.spawn with arguments. */
err_t capos_spawner_spawn_args(uint32_t spawner, const char *name,
                               const char *binary,
                               const struct capos_spawn_grant *grants,
                               uint32_t n, const char *const *args,
                               uint32_t nargs, const struct capos_quota *q,
                               uint32_t *handle)
{
    static uint64_t pw[SPAWN_PARAM_WORDS];   /* one thread: static */
    struct ring_xfer x[RING_MAX_XFER];
    struct capos_msgbuf m;
    capos_process_spawner_spawn_params_b p;

    if (n > RING_MAX_XFER)
        return ERR_RANGE;
    p = capos_process_spawner_spawn_params_init_root(
        capos_msg_begin(&m, pw, SPAWN_PARAM_WORDS));
    capos_process_spawner_spawn_params_set_name(p, name,
                                                (uint32_t)strlen(name));
    capos_process_spawner_spawn_params_set_binary(p, binary,
                                                  (uint32_t)strlen(binary));
    build_grants(p, grants, n, x);
    build_args(p, args, nargs);
    if (q) {
        capos_quota_b qb = capos_process_spawner_spawn_params_init_quota(p);
        capos_quota_set_frames(qb, q->frames);
        capos_quota_set_cap_slots(qb, q->cap_slots);
        capos_quota_set_processes(qb, q->processes);
        capos_quota_set_threads(qb, q->threads);
        capos_quota_set_waits(qb, q->waits);
    }
    return call_for_cap(spawner, CAPOS_PROCESS_SPAWNER_METHOD_SPAWN, &m, x, n,
                        CAPOS_PROCESS_HANDLE_INTERFACE_ID, spawn_handle,
                        handle);
}

/* ProcessSpawner.newEndpoint. */
err_t capos_spawner_new_endpoint(uint32_t spawner, uint32_t *ep)
{
    uint64_t pw[SMALL_WORDS];
    struct capos_msgbuf m;

    capos_process_spawner_new_endpoint_params_init_root(
        capos_msg_begin(&m, pw, SMALL_WORDS));
    return call_for_cap(spawner, CAPOS_PROCESS_SPAWNER_METHOD_NEW_ENDPOINT,
                        &m, NULL, 0, CAPOS_ENDPOINT_INTERFACE_ID,
                        new_endpoint_ep, ep);
}

/* Endpoint.makeClient. */
err_t capos_endpoint_make_client(uint32_t ep, uint32_t *client)
{
    uint64_t pw[SMALL_WORDS];
    struct capos_msgbuf m;

    capos_endpoint_make_client_params_init_root(
        capos_msg_begin(&m, pw, SMALL_WORDS));
    return call_for_cap(ep, CAPOS_ENDPOINT_METHOD_MAKE_CLIENT, &m, NULL, 0,
                        CAPOS_CLIENT_ENDPOINT_INTERFACE_ID,
                        make_client_client, client);
}

/* Endpoint.pending. */
err_t capos_endpoint_pending(uint32_t ep, uint32_t *count)
{
    uint64_t pw[SMALL_WORDS], res[RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    uint32_t v;
    err_t e;

    capos_endpoint_pending_params_init_root(
        capos_msg_begin(&m, pw, SMALL_WORDS));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    e = capos_call(ep, CAPOS_ENDPOINT_METHOD_PENDING, m.words, m.len, res,
                   sizeof(res), &cqe);
    if (e != ERR_OK)
        return e;
    if ((e = capos_msg_read(&msg, res, (size_t)cqe.result)) != ERR_OK)
        return e;
    v = capos_endpoint_pending_results_get_count(
        capos_endpoint_pending_results_read_root(&msg));
    if (capnp_msg_error(&msg) != CAPNP_OK)
        return ERR_BADFORMAT;
    *count = v;
    return ERR_OK;
}

/* Endpoint.revokeClients. */
err_t capos_endpoint_revoke_clients(uint32_t ep)
{
    uint64_t pw[SMALL_WORDS], res[RESULT_WORDS];
    struct capos_msgbuf m;

    capos_endpoint_revoke_clients_params_init_root(
        capos_msg_begin(&m, pw, SMALL_WORDS));
    if (capos_msg_finish(&m) != ERR_OK)
        return ERR_BADFORMAT;
    return capos_call(ep, CAPOS_ENDPOINT_METHOD_REVOKE_CLIENTS, m.words, m.len,
                      res, sizeof(res), NULL);
}
