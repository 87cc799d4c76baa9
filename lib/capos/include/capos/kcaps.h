/* SPDX-License-Identifier: MIT */
/*
 * kcaps.h - conveniences over the generated stubs of capos.capnp.rpc.h
 * for kernel capabilities: Console writes of any length and C strings,
 * and copy-out forms of BootPackage.readManifest and
 * CapabilityManager.list.  Every other method is called through its
 * generated stub directly.  Outputs are written only on success.
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

#include <capos.capnp.rpc.h>

/* Bytes sent per Console.write call by capos_console_write_all (longer
 * writes are split). */
#define CAPOS_CONSOLE_CHUNK 1024u

/* Console.write of data[len], split into CAPOS_CONSOLE_CHUNK pieces. */
err_t capos_console_write_all(struct capos_console con, const void *data,
                              size_t len);
/* Console.write of the NUL-terminated string s (no newline added). */
err_t capos_console_puts(struct capos_console con, const char *s);
/* Console.writeLine of the NUL-terminated string s. */
err_t capos_console_puts_line(struct capos_console con, const char *s);

/* BootPackage.readManifest: up to max bytes at offset into buf; *got gets
 * the count (0 at the end).  ERR_RANGE from the kernel past the end. */
err_t capos_boot_read_manifest(struct capos_boot_package boot, uint64_t offset,
                               void *buf, uint32_t max, uint32_t *got);

/* One CapabilityManager.list entry; name copied and NUL-terminated. */
struct capos_cap_info {
    uint32_t cap_id;
    uint64_t interface_id;
    char name[32];
};
/* CapabilityManager.list: up to max entries into out[]; *count gets the
 * number of caps the kernel reported (may exceed max: the rest are not
 * copied). */
err_t capos_capmgr_list(struct capos_capability_manager mgr,
                        struct capos_cap_info *out, uint32_t max,
                        uint32_t *count);
