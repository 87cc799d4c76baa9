/*
 * virtio_blk.h - a virtio-blk driver (virtio 1.x, modern PCI transport,
 * one split virtqueue, MSI-X completion) over a PciDevice capability.
 *
 * The driver owns one DMA allocation holding the queue (descriptor table,
 * available and used rings), request headers and status bytes, and a
 * bounce buffer per request slot: the device only ever reads or writes
 * memory that the open pins (kernel/obj/pcidev.c), so a client's buffer
 * is copied in or out by the CPU, never handed to the device.  Requests
 * are submitted in batches (up to VBLK_SLOTS in flight) and completed by
 * interrupt: the driver waits on a Notification bit routed from MSI-X
 * entry 0, acknowledges the Interrupt, and reaps the used ring.
 * Design and limits: docs/devices.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>

#define VBLK_SECTOR     512u
#define VBLK_SLOTS      8u               /* requests in flight */
#define VBLK_SLOT_BYTES (64u * 1024)     /* largest single request */
#define VBLK_QSIZE      32u

struct vq_desc;

struct vblk_req {
    bool write;
    uint64_t sector;
    uint32_t count;              /* sectors, 1 .. VBLK_SLOT_BYTES / 512 */
    void *buf;                   /* count * 512 bytes */
    err_t result;                /* filled by vblk_run */
};

struct vblk {
    uint32_t dev, irq, notif;    /* caps */
    volatile uint8_t *common, *notify, *devcfg;
    uint32_t notify_mult;
    uint16_t notify_off;
    uint8_t *dma;                /* our mapping of the DMA allocation */
    uint64_t dma_addr;           /* the device's address of it */
    struct vq_desc *desc;
    volatile uint16_t *avail;    /* flags, idx, ring[] */
    volatile uint8_t *used;      /* flags, idx, ring[] of {id, len} */
    uint16_t avail_idx, used_idx;
    uint64_t sectors;            /* capacity */
    bool read_only, has_flush;
    uint64_t interrupts;         /* waits that ended by a signal */
};

/*
 * Bring up the virtio-blk function behind PciDevice cap `dev`: map its
 * registers, reset, negotiate VERSION_1 (+ RO, FLUSH), set up the queue
 * and route MSI-X entry 0 to a fresh Notification from `factory`.
 * NOSYS (not a modern virtio-blk), BADFORMAT (capabilities missing or
 * malformed), NOMEM, or the error of the failing call.
 */
err_t vblk_init(struct vblk *b, uint32_t dev, uint32_t factory);

/* Run reqs[n] (n <= VBLK_SLOTS) in flight at once; each gets its own
 * result: RANGE (beyond the disk), PERM (write to a read-only disk),
 * INVAL (count 0 or too large), FAULT (the device reported an I/O error),
 * TIMEOUT (no completion within 5 s).  Returns the first failure. */
err_t vblk_run(struct vblk *b, struct vblk_req *reqs, uint32_t n);

/* vblk_run in two halves: check and submit reqs[n] (the first
 * VBLK_SLOTS) and return the mask of slots in flight; then wait for them
 * and fill every result. */
uint32_t vblk_start(struct vblk *b, struct vblk_req *reqs, uint32_t n);
err_t vblk_finish(struct vblk *b, struct vblk_req *reqs, uint32_t n,
                  uint32_t busy);

/* Flush the device's write cache (OK at once without the FLUSH feature). */
err_t vblk_flush(struct vblk *b);
