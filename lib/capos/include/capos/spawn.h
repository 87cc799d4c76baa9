/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - ProcessSpawner.spawn with the grants as a C array (see
 * docs/ipc.md); a convenience over the generated
 * capos_process_spawner_spawn.  Every other ProcessSpawner and Endpoint
 * method is called through its generated stub.
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
 * over 255 bytes or 1,024 bytes in all (RANGE). */
err_t capos_spawner_spawn_args(uint32_t spawner, const char *name,
                               const char *binary,
                               const struct capos_spawn_grant *grants,
                               uint32_t n, const char *const *args,
                               uint32_t nargs, uint32_t *handle);

/* The child's quota (ProcessSpawner.spawn's Quota): frames, processes
 * and threads are carved out of the caller's; a 0 field takes the
 * kernel's default for a child (docs/capabilities.md, "Quotas"). */
struct capos_quota {
    uint64_t frames;
    uint32_t cap_slots, processes, threads, waits;
};

/* capos_spawner_spawn_args with the child's quota q (NULL: defaults).
 * The kernel refuses a quota field over its limit (RANGE: capSlots over
 * 256, waits over 64) or one the caller's own cannot hold (QUOTA). */
err_t capos_spawner_spawn_quota(uint32_t spawner, const char *name,
                                const char *binary,
                                const struct capos_spawn_grant *grants,
                                uint32_t n, const char *const *args,
                                uint32_t nargs, const struct capos_quota *q,
                                uint32_t *handle);
