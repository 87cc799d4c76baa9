/*
 * bootcount.c - the "disk" service of the default manifest: brings up the
 * virtio-blk disk through the PciDevice capability it is granted (and
 * nothing else of the machine), then keeps a boot counter in sector 0 so
 * that every boot shows the disk persists:
 *
 *     disk: 2048 sectors (1 MiB), boot 3
 *
 * Sector 0 holds "capOS-bootcount" (16 bytes, NUL padded) and a 64-bit
 * little-endian count; anything else there is overwritten with a fresh
 * count of 1.  The sector is flushed before the line is printed, so the
 * count shown has reached the disk.
 */
#include <stdio.h>
#include <string.h>
#include "devcall.h"
#include "virtio_blk.h"

static const char magic[16] = "capOS-bootcount";
static uint8_t sector[VBLK_SECTOR];

/* The cap named `name` in the CapSet, or 0. */
static uint32_t cap(const char *name)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++)
        if (!strcmp(capos_capset_entry(i)->name, name))
            return capos_capset_entry(i)->cap_id;
    return 0;
}

int main(void)
{
    struct vblk b;
    err_t e = vblk_init(&b, cap("disk"), cap("notifications"));
    if (e) {
        printf("disk: cannot start the virtio-blk driver: %s\n", err_name(e));
        return 1;
    }
    struct vblk_req r = {.sector = 0, .count = 1, .buf = sector};
    if ((e = vblk_run(&b, &r, 1))) {
        printf("disk: read of sector 0 failed: %s\n", err_name(e));
        return 1;
    }
    uint64_t count = 0;
    if (!memcmp(sector, magic, sizeof magic))
        memcpy(&count, sector + sizeof magic, sizeof count);
    count++;
    memset(sector, 0, sizeof sector);
    memcpy(sector, magic, sizeof magic);
    memcpy(sector + sizeof magic, &count, sizeof count);
    r.write = true;
    if ((e = vblk_run(&b, &r, 1)) || (e = vblk_flush(&b))) {
        printf("disk: write of sector 0 failed: %s\n", err_name(e));
        return 1;
    }
    printf("disk: %llu sectors (%llu KiB), boot %llu\n",
           (unsigned long long)b.sectors, (unsigned long long)(b.sectors / 2),
           (unsigned long long)count);
    return 0;
}
