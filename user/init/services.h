/* SPDX-License-Identifier: MIT */
/*
 * services.h - init's service manager: start InitConfig.services through
 * ProcessSpawner and wait for them (see services.c and docs/ipc.md).
 */
#pragma once

#include <capos.capnp.h>
#include <stdint.h>

/* Validate the service graph of manifest m, start every valid service in
 * order (wiring endpoints, exports and kernel caps), release init's
 * endpoint copies, wait for every started service and print its exit code.
 * `spawner` is init's ProcessSpawner cap (0: none; then every service is
 * reported and skipped).  Returns 0 iff every service was valid, started
 * and exited with 0. */
int services_run(capos_system_manifest_r m, uint32_t spawner);
