/*
 * pci.h - PCI configuration space and the functions found at boot.
 *
 * pci_scan() walks every bus/slot/function through the legacy 0xCF8/0xCFC
 * mechanism once, before any user code runs, and records each function's
 * ids, class, BARs (sized at scan time, with decoding off) and its MSI-X
 * capability; memory BARs the firmware left at 0 get an address in the
 * kernel's MMIO window.  The table never changes afterwards, so readers need no
 * lock; config-space accesses are serialised by pci_lock inside pci.c.
 * Drivers reach a function only through a PciDevice capability
 * (kernel/obj/pcidev.c).  Design: docs/devices.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_FUNCS 64
#define PCI_CFG_SIZE  256u        /* the legacy mechanism reaches 256 bytes */

enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_MEM32, PCI_BAR_MEM64, PCI_BAR_IO };

struct pci_bar {
    uint64_t base;
    uint64_t size;
    uint8_t kind;               /* enum pci_bar_kind */
    bool prefetchable;
};

struct pci_func {
    uint8_t bus, slot, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if;
    struct pci_bar bar[6];
    uint8_t msix_cap;           /* config offset of MSI-X, 0 if none */
    uint16_t msix_entries;      /* table size */
    uint8_t msix_bir;           /* BAR holding the table */
    uint32_t msix_offset;       /* table offset in that BAR */
    uint8_t msi_cap;            /* config offset of MSI, 0 if none */
};

/* Find every PCI function (boot, once). */
void pci_scan(void);
/* Functions found, and the i-th of them (NULL past the end). */
uint32_t pci_count(void);
const struct pci_func *pci_get(uint32_t i);

/* Config space of f at `off` (width 1, 2 or 4, naturally aligned,
 * off + width <= PCI_CFG_SIZE; the caller checks). */
uint32_t pci_cfg_read(const struct pci_func *f, uint16_t off, uint8_t width);
void pci_cfg_write(const struct pci_func *f, uint16_t off, uint8_t width,
                   uint32_t v);

/* Config-space registers and bits used by the kernel. */
#define PCI_COMMAND           0x04
#define PCI_COMMAND_IO        0x0001u
#define PCI_COMMAND_MEMORY    0x0002u
#define PCI_COMMAND_MASTER    0x0004u
#define PCI_COMMAND_INTX_OFF  0x0400u
#define PCI_STATUS            0x06
#define PCI_STATUS_CAPS       0x0010u
#define PCI_BAR0              0x10
#define PCI_CAP_PTR           0x34
#define PCI_CAP_MSI           0x05
#define PCI_CAP_MSIX          0x11
#define PCI_MSIX_CTRL_ENABLE  0x8000u
#define PCI_MSIX_CTRL_MASKALL 0x4000u
