/*
 * dev.c - DEV0001: device authority through DeviceManager, PciDevice and
 * Interrupt, with the exact error of every refusal.
 *
 * The test machine has a modern virtio-blk function (1af4:1042, MSI-X).
 * Checked: list and open (NOTFOUND, BUSY: one open at a time); config
 * reads and the write filter (INVAL, RANGE, PERM for BARs, command bits
 * and the MSI-X capability); BARs as device MemoryObjects (RANGE,
 * NOTFOUND, PERM for the MSI-X table BAR; mapped uncached and readable;
 * kernel read/write refused with PERM); dmaAlloc (INVAL, RANGE; the
 * device address is the frames' physical address); interrupt routing
 * (NOSYS-free device: RANGE, INVAL, WRONGTYPE, BUSY) and stats; release
 * of the open makes the function openable again, and the driver's leak
 * check shows the DMA frames and objects came back.
 */
#include "../drivers/devcall.h"
#include "t.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_BLK    0x1042

/* The config offset of dev's MSI-X capability, or -1. */
static int find_msix_cap(uint32_t dev)
{
    uint32_t p = 0, id = 0;
    CHECK_EQ(dev_cfg_read(dev, 0x34, 1, &p), ERR_OK);
    for (int n = 0; p >= 0x40 && n < 48; n++) {
        CHECK_EQ(dev_cfg_read(dev, (uint16_t)p, 1, &id), ERR_OK);
        if (id == 0x11)
            return (int)p;
        CHECK_EQ(dev_cfg_read(dev, (uint16_t)(p + 1), 1, &p), ERR_OK);
        p &= 0xfc;
    }
    return -1;
}

static void listing(uint32_t mgr)
{
    struct devcall dc;
    capos_device_manager_list_params_init_root(dc_begin(&dc));
    CHECK_EQ(dc_call(&dc, mgr, CAPOS_DEVICE_MANAGER_METHOD_LIST, NULL, 0), ERR_OK);
    capos_pci_info_rlist l = capos_device_manager_list_results_get_devices(
        capos_device_manager_list_results_read_root(&dc.res));
    int blk = 0;
    for (uint32_t i = 0; i < capos_pci_info_rlist_len(l); i++) {
        capos_pci_info_r d = capos_pci_info_rlist_get(l, i);
        if (capos_pci_info_get_vendor_id(d) == VIRTIO_VENDOR &&
            capos_pci_info_get_device_id(d) == VIRTIO_BLK) {
            blk++;
            CHECK(capos_pci_info_get_msix_entries(d) >= 2);
            CHECK_EQ(capos_pci_bar_rlist_len(capos_pci_info_get_bars(d)), 6);
            CHECK_EQ(capos_pci_info_get_class_code(d), 1);   /* storage */
        }
    }
    CHECK_EQ(blk, 1);
}

static void config(uint32_t dev, int msix)
{
    uint32_t v = 0;
    CHECK_EQ(dev_cfg_read(dev, 0, 4, &v), ERR_OK);
    CHECK_EQ(v, VIRTIO_BLK << 16 | VIRTIO_VENDOR);
    CHECK_EQ(dev_cfg_read(dev, 0, 3, &v), ERR_INVAL);
    CHECK_EQ(dev_cfg_read(dev, 1, 2, &v), ERR_INVAL);
    CHECK_EQ(dev_cfg_read(dev, 256, 1, &v), ERR_RANGE);
    CHECK_EQ(dev_cfg_read(dev, 254, 4, &v), ERR_INVAL);
    CHECK_EQ(dev_cfg_write(dev, 0x10, 4, 0), ERR_PERM);        /* BAR0 */
    CHECK_EQ(dev_cfg_write(dev, 0x3c, 1, 5), ERR_PERM);        /* header */
    uint32_t cmd = 0;
    CHECK_EQ(dev_cfg_read(dev, 0x04, 2, &cmd), ERR_OK);
    CHECK_EQ(dev_cfg_write(dev, 0x04, 2, cmd ^ 0x0100u), ERR_PERM);  /* SERR */
    CHECK_EQ(dev_cfg_write(dev, 0x04, 2, cmd | 0x6u), ERR_OK);  /* mem+master */
    CHECK_EQ(dev_cfg_read(dev, 0x04, 2, &v), ERR_OK);
    CHECK_EQ(v & 0x6u, 0x6u);
    CHECK(msix >= 0x40);
    CHECK_EQ(dev_cfg_write(dev, (uint16_t)(msix + 2), 2, 0x8000), ERR_PERM);
    CHECK_EQ(dev_cfg_write(dev, 0x04, 4, cmd), ERR_PERM);       /* command+status */
}

/* BAR errors; the MSI-X table BAR (bits 0..2 of the table register) is
 * refused; BAR4 maps uncached and reads the device's registers. */
static void bars(uint32_t dev, int msix)
{
    uint32_t mo = 0, tbl = 0;
    CHECK_EQ(dev_bar(dev, 6, &mo), ERR_RANGE);
    CHECK_EQ(dev_cfg_read(dev, (uint16_t)(msix + 4), 4, &tbl), ERR_OK);
    CHECK_EQ(dev_bar(dev, (uint8_t)(tbl & 7), &mo), ERR_PERM);
    CHECK_EQ(dev_bar(dev, 2, &mo), ERR_NOTFOUND);   /* virtio-blk: BAR1, BAR4 */
    CHECK_EQ(dev_bar(dev, 4, &mo), ERR_OK);
    uint64_t pages = 0, size = 0, addr = 0;
    CHECK_EQ(capos_memory_object_info(CAPOS_HANDLE(capos_memory_object, mo), &pages, &size, NULL, NULL), ERR_OK);
    CHECK(size >= 4096);
    CHECK_EQ(capos_memory_object_map(CAPOS_HANDLE(capos_memory_object, mo), 0, 0, size, 3, &addr, NULL), ERR_OK);
    /* Common config at BAR4 offset 0 in QEMU: num_queues >= 1. */
    volatile uint16_t *numq = (volatile uint16_t *)(uintptr_t)(addr + 0x12);
    CHECK(*numq >= 1);
    CHECK_EQ(capos_memory_object_map(CAPOS_HANDLE(capos_memory_object, mo), 0, 0, size, 5, &addr, NULL), ERR_PERM); /* exec */
    struct devcall dc;
    capos_memory_object_read_params_b rp =
        capos_memory_object_read_params_init_root(dc_begin(&dc));
    capos_memory_object_read_params_set_len(rp, 4);
    CHECK_EQ(dc_call(&dc, mo, CAPOS_MEMORY_OBJECT_METHOD_READ, NULL, 0), ERR_PERM);
    CHECK_EQ(capos_release(mo), ERR_OK);
}

static void dma(uint32_t dev)
{
    uint32_t mo = 0;
    uint64_t da = 0, pages = 0, size = 0;
    CHECK_EQ(dev_dma_alloc(dev, 0, &mo, &da), ERR_INVAL);
    CHECK_EQ(dev_dma_alloc(dev, 513, &mo, &da), ERR_RANGE);
    CHECK_EQ(dev_dma_alloc(dev, 4, &mo, &da), ERR_OK);
    CHECK(da != 0 && (da & 4095) == 0);
    CHECK_EQ(capos_memory_object_info(CAPOS_HANDLE(capos_memory_object, mo), &pages, &size, NULL, NULL), ERR_OK);
    CHECK_EQ(pages, 4);
    CHECK_EQ(capos_release(mo), ERR_OK);    /* still pinned by the open */
}

static void interrupts(uint32_t dev, uint32_t factory, uint32_t timer)
{
    uint32_t n = 0, irq = 0, irq2 = 0;
    CHECK_EQ(notif_create(factory, &n), ERR_OK);
    CHECK_EQ(dev_interrupt(dev, 2047, n, 1, &irq), ERR_RANGE);
    CHECK_EQ(dev_interrupt(dev, 0, n, 0, &irq), ERR_INVAL);
    CHECK_EQ(dev_interrupt(dev, 0, 0, 1, &irq), ERR_INVAL);    /* no cap */
    CHECK_EQ(dev_interrupt(dev, 0, timer, 1, &irq), ERR_WRONGTYPE);
    CHECK_EQ(dev_interrupt(dev, 0, n, 1, &irq), ERR_OK);
    CHECK_EQ(dev_interrupt(dev, 0, n, 2, &irq2), ERR_BUSY);
    CHECK_EQ(dev_interrupt(dev, 1, n, 2, &irq2), ERR_OK);
    uint64_t delivered = 9;
    bool masked = true;
    CHECK_EQ(irq_stats(irq, &delivered, &masked), ERR_OK);
    CHECK_EQ(delivered, 0);
    CHECK_EQ(masked, false);
    CHECK_EQ(irq_ack(irq), ERR_OK);
    CHECK_EQ(capos_release(irq2), ERR_OK);
    CHECK_EQ(dev_interrupt(dev, 1, n, 2, &irq2), ERR_OK);   /* free again */
    CHECK_EQ(capos_release(irq2), ERR_OK);
    CHECK_EQ(capos_release(irq), ERR_OK);
    CHECK_EQ(capos_release(n), ERR_OK);
}

int main(void)
{
    uint32_t mgr = t_cap("devices"), factory = t_cap("notifications");
    uint32_t timer = t_cap("timer");
    uint32_t dev = 0, dev2 = 0;
    listing(mgr);
    CHECK_EQ(dev_open(mgr, 0xdead, 0xbeef, 0, &dev), ERR_NOTFOUND);
    CHECK_EQ(dev_open(mgr, VIRTIO_VENDOR, VIRTIO_BLK, 1, &dev), ERR_NOTFOUND);
    CHECK_EQ(dev_open(mgr, VIRTIO_VENDOR, VIRTIO_BLK, 0, &dev), ERR_OK);
    CHECK_EQ(dev_open(mgr, VIRTIO_VENDOR, VIRTIO_BLK, 0, &dev2), ERR_BUSY);
    int msix = find_msix_cap(dev);
    config(dev, msix);
    bars(dev, msix);
    dma(dev);
    interrupts(dev, factory, timer);
    CHECK_EQ(dev_reset(dev), ERR_OK);
    uint32_t cmd = 0;
    CHECK_EQ(dev_cfg_read(dev, 0x04, 2, &cmd), ERR_OK);
    CHECK_EQ(cmd & 0x4u, 0);                    /* bus mastering off */
    CHECK_EQ(capos_release(dev), ERR_OK);
    CHECK_EQ(dev_open(mgr, VIRTIO_VENDOR, VIRTIO_BLK, 0, &dev), ERR_OK);
    CHECK_EQ(capos_release(dev), ERR_OK);
    return t_result();
}
