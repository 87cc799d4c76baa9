/* SPDX-License-Identifier: MIT */
/*
 * serialc.h - a small client of the kernel's Serial capability
 * (schema/capos.capnp Serial): an asynchronous read (submit now, parse
 * the completion when it arrives, so a program can wait for serial input
 * and other calls at once) and synchronous write and stats.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <stdint.h>

/* Result buffer of one read: enough for the kernel's 256-byte maximum. */
#define SERIALC_RESULT_WORDS 48

struct serialc_read {
    uint64_t params[8];
    uint64_t result[SERIALC_RESULT_WORDS];
    uint64_t user_data;
};

/* Submit Serial.read(max, timeout_ns) on cap with user_data ud (no wait).
 * Errors as capos_ring_submit. */
err_t serialc_read_submit(struct serialc_read *rd, uint32_t cap, uint32_t max,
                          uint64_t timeout_ns, uint64_t ud);
/* Parse the completion of rd: the bytes into out[cap] (*n gets the count,
 * never above cap), the kernel's dropped counter into *dropped (may be
 * NULL).  The call's error (capos_cqe_err), or ERR_BADFORMAT. */
err_t serialc_read_parse(struct serialc_read *rd, const struct ring_cqe *cqe,
                         uint8_t *out, uint32_t cap, uint32_t *n,
                         uint64_t *dropped);
/* Serial.write of data[len] (split into 4,096-byte calls). */
err_t serialc_write(uint32_t cap, const void *data, uint32_t len);
/* Serial.stats. */
err_t serialc_stats(uint32_t cap, uint64_t *received, uint64_t *dropped,
                    uint32_t *buffered);
