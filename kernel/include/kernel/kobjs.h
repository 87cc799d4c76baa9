/*
 * kobjs.h - the kernel's capability objects and their interfaces.
 *
 * Console, Timer, BootPackage, CapabilityManager and Serial are
 * singletons (one static object each; CapabilityManager acts on the
 * caller's own table).
 * ProcessHandle is the process object itself (kernel/proc/handle.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <kernel/call.h>
#include <kernel/kobj.h>

extern const struct kiface console_iface, timer_iface, bootpkg_iface,
    capmgr_iface, process_handle_iface, spawner_iface, threadctl_iface,
    notification_iface, notification_factory_iface, devmgr_iface,
    pcidev_iface, interrupt_iface, serial_iface;

struct kobj *console_obj(void);
struct kobj *timer_obj(void);
struct kobj *capmgr_obj(void);
struct kobj *spawner_obj(void);
struct kobj *threadctl_obj(void);
/* The serial line; the first call turns on its receive interrupt. */
struct kobj *serialport_obj(void);
/* The BootPackage over the manifest bytes (kernel memory, kept for ever). */
struct kobj *bootpkg_obj(const void *manifest, size_t len);

#define CONSOLE_WRITE_MAX 4096u
#define BOOTPKG_READ_MAX  (32u * 1024)
