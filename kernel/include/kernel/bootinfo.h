/*
 * bootinfo.h - what the boot loader told us, in one loader-neutral form.
 *
 * Two protocols are supported: Multiboot2 (GRUB, ISO images) and PVH
 * (QEMU `-kernel` with qboot or SeaBIOS).  Both parsers copy everything into
 * struct boot_info, bounds-checked, so nothing refers to loader memory
 * afterwards except the module contents themselves.
 */
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <abi/errors.h>

#define BOOT_MAGIC_MB2 0x36d76289u
#define BOOT_MAGIC_PVH 0x336ec578u

#define BOOT_MAX_MEM  64
#define BOOT_MAX_MODS 8
#define BOOT_CMDLINE  256
#define BOOT_MODNAME  32

enum boot_mem_type {
    BOOT_MEM_USABLE = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI = 3,
    BOOT_MEM_NVS = 4,
    BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
    uint64_t base, len;
    uint32_t type;
};

struct boot_module {
    uint64_t base, len;
    char name[BOOT_MODNAME];
};

struct boot_info {
    const char *protocol;          /* "multiboot2" or "pvh" */
    char cmdline[BOOT_CMDLINE];
    char loader[BOOT_MODNAME];
    struct boot_mem_range mem[BOOT_MAX_MEM];
    uint32_t nmem;
    struct boot_module mods[BOOT_MAX_MODS];
    uint32_t nmods;
    uint64_t rsdp;                 /* physical address, 0 if unknown */
    uint64_t info_base, info_len;  /* loader's structure, for reservation */
};

/*
 * Map `len` bytes of physical memory at `pa` for reading, or NULL if the
 * range is not accessible; supplied by the caller (kernel: boot mapping,
 * host tests: a fake memory).
 */
typedef const void *(*boot_phys_fn)(uint64_t pa, uint64_t len);

/* Parse the loader's information for boot `magic` at physical `info`. */
err_t bootinfo_parse(struct boot_info *bi, uint32_t magic, uint64_t info,
                     boot_phys_fn phys);

/* Value of "key=value" in the command line, copied into buf; 0 or ERR_NOTFOUND. */
err_t bootinfo_arg(const struct boot_info *bi, const char *key, char *buf,
                   size_t buflen);

/* Highest end address of usable RAM. */
uint64_t bootinfo_max_usable(const struct boot_info *bi);
