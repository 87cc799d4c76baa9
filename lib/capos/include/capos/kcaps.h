/* SPDX-License-Identifier: MIT */
/*
 * kcaps.h - typed wrappers for the kernel capabilities init uses.
 *
 * Theory of operation: each wrapper is one synchronous capos_call() on the
 * process ring.  Parameters are built with the generated builders of
 * build/gen/capos.capnp.h into a stack arena (capos/msg.h) and results are
 * read with the generated readers: no hand-computed offsets.  Every
 * wrapper returns ERR_OK or a capOS error (see capos_call); outputs are
 * written only on success.  The cap argument is a cap id from the CapSet
 * (capos_capset_find) or a result cap.
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes sent per Console.write call by capos_console_write (longer writes
 * are split). */
#define CAPOS_CONSOLE_CHUNK 1024u

/* Console.write of data[len], split into CAPOS_CONSOLE_CHUNK pieces. */
err_t capos_console_write(uint32_t cap, const void *data, size_t len);
/* Console.write of the NUL-terminated string s (no newline added). */
err_t capos_console_puts(uint32_t cap, const char *s);
/* Console.writeLine of s (at most CAPOS_CONSOLE_CHUNK bytes; ERR_RANGE
 * if longer). */
err_t capos_console_write_line(uint32_t cap, const char *s);

/* Timer.now: nanoseconds since boot into *ns. */
err_t capos_timer_now(uint32_t cap, uint64_t *ns);
/* Timer.sleep: block for at least ns nanoseconds. */
err_t capos_timer_sleep(uint32_t cap, uint64_t ns);

/* BootPackage.manifestSize into *size. */
err_t capos_boot_manifest_size(uint32_t cap, uint64_t *size);
/* BootPackage.readManifest: up to max bytes at offset into buf; *got gets
 * the count (0 at the end).  ERR_RANGE from the kernel past the end. */
err_t capos_boot_read_manifest(uint32_t cap, uint64_t offset, void *buf,
                               uint32_t max, uint32_t *got);

/* One CapabilityManager.list entry; name copied and NUL-terminated. */
struct capos_cap_info {
    uint32_t cap_id;
    uint64_t interface_id;
    char name[32];
};
/* CapabilityManager.list: up to max entries into out[]; *count gets the
 * number of caps the kernel reported (may exceed max: the rest are not
 * copied). */
err_t capos_capmgr_list(uint32_t cap, struct capos_cap_info *out,
                        uint32_t max, uint32_t *count);

/* ProcessHandle.wait: the exit code of the process into *code. */
err_t capos_process_wait(uint32_t cap, int64_t *code);
/* ProcessHandle.pid into *pid. */
err_t capos_process_pid(uint32_t cap, uint32_t *pid);
/* ProcessHandle.kill: the process exits with -137 wherever it is.
 * errors: INVAL (killing oneself). */
err_t capos_process_kill(uint32_t cap);
