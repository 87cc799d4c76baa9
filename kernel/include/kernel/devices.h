/*
 * devices.h - device authority as capabilities: DeviceManager, PciDevice
 * and Interrupt (kernel/obj/devmgr.c, pcidev.c, interrupt.c).
 *
 * An "open" (struct pcidev) is one driver's hold on one PCI function:
 * DeviceManager.open makes it, PciDevice caps and every Interrupt made
 * from it keep it alive, and its last reference resets the function (bus
 * mastering and MSI-X off, entries masked) and unpins its DMA memory.  A
 * function has at most one open at a time.  Design: docs/devices.md.
 *
 * Locking: dev->lock guards the DMA list and the routed entries; it is
 * taken before the interrupt lock (interrupt.c) and never while a process
 * lock is held.  The pci_func record is immutable after the boot scan.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>
#include <capos.capnp.h>
#include <kernel/kobj.h>
#include <kernel/spinlock.h>

struct pci_func;
struct memobj;
struct notification;
struct irqobj;

#define PCIDEV_DMA_MAX   64       /* dmaAlloc calls per open */
#define PCIDEV_DMA_PAGES 512      /* pages per dmaAlloc */
#define PCIDEV_IRQ_MAX   32       /* MSI-X entries routed per open */

struct pcidev {
    struct kobj obj;                    /* first */
    const struct pci_func *fn;          /* immutable */
    uint32_t index;                     /* in the scan table; immutable */
    volatile uint32_t *msix;            /* kernel view of the MSI-X table */
    struct spinlock lock;
    /* guarded by lock: */
    struct memobj *dma[PCIDEV_DMA_MAX]; /* pinned DMA memory (refs) */
    uint32_t ndma;
    struct irqobj *irq[PCIDEV_IRQ_MAX]; /* routed entries (no refs) */
};

/* The DeviceManager singleton. */
struct kobj *devmgr_obj(void);

/* Open scan-table function `index` (one reference); BUSY, NOMEM. */
err_t pcidev_open(uint32_t index, struct pcidev **out);
/* A new open of scan-table function `index` whose claim the caller holds
 * (pcidev.c); NOMEM. */
err_t pcidev_create(uint32_t index, struct pcidev **out);
/* Describe pf in a PciInfo builder. */
void pcidev_describe(const struct pci_func *pf, capos_pci_info_b b);
/* Bus mastering and MSI-X off, entries masked, DMA unpinned. */
void pcidev_reset(struct pcidev *d);
/* The open is gone: the function can be opened again (devmgr.c). */
void devmgr_closed(uint32_t index);

/* Route MSI-X entry `entry` of d to `bits` of n (takes its own refs on d
 * and n); RANGE, BUSY, FULL, NOMEM, NOSYS. */
err_t irq_route(struct pcidev *d, uint16_t entry, struct notification *n,
                uint64_t bits, struct irqobj **out);
/* Mask the MSI-X entry of irq (d->lock held by the caller or d dying). */
void irq_mask(struct irqobj *irq);
