/* SPDX-License-Identifier: MIT */
/*
 * caps.h - the POSIX layer's only contact with capabilities.
 *
 * Theory of operation: every capability call of lib/posix goes through
 * these functions, which use lib/capos's client API (kcaps.h wrappers
 * where they exist, capos_call with the generated builders otherwise).
 * When lib/capos's client API changes, only caps.c changes.  The caps a
 * POSIX program uses are found once at start by their CapSet names:
 *
 *   "console"  Console           descriptors 0, 1, 2
 *   "timer"    Timer             clocks and sleeps
 *   "vm"       VirtualMemory     mmap (and so malloc)
 *   "thread"   ThreadControl     the thread pointer (TLS, errno): required
 *   "boot"     BootPackage       the read-only mount /boot
 *
 * A cap that is absent is CAPS_NONE; the calls that need it fail.
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_NONE UINT32_MAX

struct posix_caps {
    uint32_t console, timer, vm, thread, boot;
};

/* The caps above from the process's CapSet (absent ones CAPS_NONE). */
void posix_caps_find(struct posix_caps *c);

err_t posix_cap_console_write(uint32_t cap, const void *buf, size_t n);
err_t posix_cap_timer_now(uint32_t cap, uint64_t *ns);
err_t posix_cap_timer_sleep(uint32_t cap, uint64_t ns);
/* VirtualMemory.reserve/commit/decommit/protect; prot as the schema's
 * protRead|protWrite|protExec bits. */
err_t posix_cap_vm_reserve(uint32_t cap, uint64_t size, uint64_t *addr);
err_t posix_cap_vm_commit(uint32_t cap, uint64_t addr, uint64_t size,
                          uint32_t prot);
err_t posix_cap_vm_decommit(uint32_t cap, uint64_t addr, uint64_t size);
err_t posix_cap_vm_protect(uint32_t cap, uint64_t addr, uint64_t size,
                           uint32_t prot);
/* BootPackage.manifestSize / readManifest (up to max bytes at off). */
err_t posix_cap_boot_size(uint32_t cap, uint64_t *size);
err_t posix_cap_boot_read(uint32_t cap, uint64_t off, void *buf, uint32_t max,
                          uint32_t *got);
/* ThreadControl.setFsBase. */
err_t posix_cap_set_fs_base(uint32_t cap, uint64_t base);
/* The pid the kernel passed at entry. */
uint64_t posix_cap_pid(void);
/* End the process (lib/capos runs its exit hooks first). */
_Noreturn void posix_cap_exit(int64_t code);
