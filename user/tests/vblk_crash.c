/*
 * vblk_crash.c - DEV0004: a driver that dies with requests in flight.
 *
 * The parent opens the virtio-blk function and moves it to a child driver
 * (vblk_grant "crash"), which puts 8 writes in flight and faults.  Its
 * death releases the open: the kernel resets the function (bus mastering
 * off) and unpins its DMA memory, so the function can be opened again at
 * once, and a fresh driver brings it up and reads and writes normally.
 * The driver's leak check then shows the child's frames, DMA and objects
 * all came back.
 */
#include "../drivers/devcall.h"
#include "../drivers/virtio_blk.h"
#include "tspawn.h"

static uint8_t buf[VBLK_SECTOR * 4];

int main(void)
{
    uint32_t mgr = t_cap("devices"), factory = t_cap("notifications");
    uint32_t spawner = t_cap("spawner"), console = t_cap("console");
    uint32_t dev = 0, h = 0, again = 0;
    CHECK_EQ(dev_open(mgr, 0x1af4, 0x1042, 0, &dev), ERR_OK);
    struct tgrant g[] = {
        {"console", console, CAPOS_CONSOLE_INTERFACE_ID, 0},
        {"disk", dev, CAPOS_PCI_DEVICE_INTERFACE_ID, 1},
        {"notifications", factory, CAPOS_NOTIFICATION_FACTORY_INTERFACE_ID, 2},
    };
    struct targ a[] = {{"crash", 5}};
    CHECK_EQ(t_spawn_args(spawner, "driver", "vblk_grant", g, 3, a, 1, &h), ERR_OK);
    CHECK_EQ(capos_release(dev), ERR_OK);       /* the child's copy is the open */
    CHECK_EQ(dev_open(mgr, 0x1af4, 0x1042, 0, &again), ERR_BUSY);
    CHECK_EQ(t_wait(h), -(128 + 14));           /* #PF */
    CHECK_EQ(dev_open(mgr, 0x1af4, 0x1042, 0, &again), ERR_OK);
    uint32_t cmd = 0;
    CHECK_EQ(dev_cfg_read(again, 0x04, 2, &cmd), ERR_OK);
    CHECK_EQ(cmd & 0x4u, 0);                    /* the kernel reset it */
    struct vblk b;
    CHECK_EQ(vblk_init(&b, again, factory), ERR_OK);
    memset(buf, 0x5a, sizeof buf);
    struct vblk_req w = {.write = true, .sector = 100, .count = 4, .buf = buf};
    CHECK_EQ(vblk_run(&b, &w, 1), ERR_OK);
    memset(buf, 0, sizeof buf);
    struct vblk_req r = {.sector = 100, .count = 4, .buf = buf};
    CHECK_EQ(vblk_run(&b, &r, 1), ERR_OK);
    CHECK_EQ(buf[0], 0x5a);
    CHECK_EQ(buf[sizeof buf - 1], 0x5a);
    return t_result();
}
