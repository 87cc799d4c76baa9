/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - typed wrappers for ProcessSpawner and Endpoint (see
 * docs/ipc.md).
 *
 * Theory of operation: each wrapper is one capos_call_xfer() whose params
 * come from the generated builders; result caps are adopted with
 * capos_msg_caps_take() after an interface check, and any cap the wrapper
 * did not expect is released, so the caller's table never fills with
 * strays.  Outputs are written only on success.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <stdint.h>

/* One capability for a child's CapSet. */
struct capos_spawn_grant {
    const char *name;     /* CapSet name in the child (<= 27 bytes) */
    uint32_t cap;         /* the parent's CapId */
    uint64_t iface;       /* interface the child will look it up with */
    uint32_t mode;        /* XFER_COPY or XFER_MOVE */
};

/* The child's quota (ProcessSpawner.spawn's Quota): frames, processes
 * and threads are carved out of the caller's; a 0 field takes the
 * kernel's default for a child. */
struct capos_quota {
    uint64_t frames;
    uint32_t cap_slots, processes, threads, waits;
};

/* ProcessSpawner.spawn: start `binary` (a manifest binary name) as process
 * `name` with exactly grants[n] (n <= RING_MAX_XFER), in order; *handle
 * gets a ProcessHandle.  Errors from the kernel: NOTFOUND (no such
 * binary), BADFORMAT (bad ELF), INVAL (duplicate grant name, bad index),
 * WRONGTYPE (cap does not implement iface), PERM (cap not transferable),
 * BADCAP, NOMEM, QUOTA; ERR_RANGE (nothing sent) if n > RING_MAX_XFER;
 * ERR_TOOSMALL if the names do not fit the params arena. */
err_t capos_spawner_spawn(uint32_t spawner, const char *name,
                          const char *binary,
                          const struct capos_spawn_grant *grants, uint32_t n,
                          uint32_t *handle);

/* capos_spawner_spawn passing args[nargs] too: the child's main sees
 * argv = {name, args...}.  The kernel refuses more than 32 arguments, one
 * over 255 bytes or 1,024 bytes in all (RANGE).  q (NULL: defaults) is
 * the child's quota (RANGE for capSlots over 256 or waits over 64). */
err_t capos_spawner_spawn_args(uint32_t spawner, const char *name,
                               const char *binary,
                               const struct capos_spawn_grant *grants,
                               uint32_t n, const char *const *args,
                               uint32_t nargs, const struct capos_quota *q,
                               uint32_t *handle);

/* ProcessSpawner.newEndpoint: a fresh Endpoint (server side) into *ep.
 * errors: NOMEM, QUOTA. */
err_t capos_spawner_new_endpoint(uint32_t spawner, uint32_t *ep);

/* Endpoint.makeClient: a ClientEndpoint facet (one caller session) into
 * *client.  errors: QUOTA, REVOKED. */
err_t capos_endpoint_make_client(uint32_t ep, uint32_t *client);

/* Endpoint.pending: calls queued and not yet received, into *count. */
err_t capos_endpoint_pending(uint32_t ep, uint32_t *count);

/* Endpoint.revokeClients: every facet minted so far fails with REVOKED
 * from now on. */
err_t capos_endpoint_revoke_clients(uint32_t ep);
