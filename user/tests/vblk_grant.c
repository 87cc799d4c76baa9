/*
 * vblk_grant.c - DEV0003 and the child of DEV0004.
 *
 * DEV0003 (no arguments after expect): a driver granted by the manifest
 * exactly one PCI function (source = device) holds nothing else of the
 * machine: its table has only its grants, and the device works through
 * that one capability.
 *
 * As DEV0004's child (argv[1] = "crash"): bring the device up, put 8
 * writes in flight and die of a page fault before they complete; the
 * parent checks that the device comes back.
 */
#include "../drivers/devcall.h"
#include "../drivers/virtio_blk.h"
#include "t.h"

static uint8_t bufs[VBLK_SLOTS][VBLK_SLOT_BYTES];

static void crash(void)
{
    struct vblk b;
    CHECK_EQ(vblk_init(&b, t_cap("disk"), t_cap("notifications")), ERR_OK);
    struct vblk_req r[VBLK_SLOTS];
    for (uint32_t i = 0; i < VBLK_SLOTS; i++) {
        memset(bufs[i], 0xa5, sizeof bufs[i]);
        r[i] = (struct vblk_req){.write = true, .sector = i * 128, .count = 128,
                                 .buf = bufs[i]};
    }
    CHECK_EQ(vblk_start(&b, r, VBLK_SLOTS), (1u << VBLK_SLOTS) - 1);
    *(volatile int *)0 = 1;     /* dies with the requests in flight */
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "crash"))
        crash();
    struct devcall dc;
    capos_capability_manager_list_params_init_root(dc_begin(&dc));
    CHECK_EQ(dc_call(&dc, t_cap("caps"), CAPOS_CAPABILITY_MANAGER_METHOD_LIST,
                     NULL, 0), ERR_OK);
    capos_capability_info_rlist l = capos_capability_manager_list_results_get_capabilities(
        capos_capability_manager_list_results_read_root(&dc.res));
    CHECK_EQ(capos_capability_info_rlist_len(l), 4);
    int pci = 0;
    for (uint32_t i = 0; i < capos_capability_info_rlist_len(l); i++) {
        uint64_t id = capos_capability_info_get_interface_id(
            capos_capability_info_rlist_get(l, i));
        pci += id == CAPOS_PCI_DEVICE_INTERFACE_ID;
        CHECK(id != CAPOS_DEVICE_MANAGER_INTERFACE_ID);
    }
    CHECK_EQ(pci, 1);
    struct vblk b;
    CHECK_EQ(vblk_init(&b, t_cap("disk"), t_cap("notifications")), ERR_OK);
    struct vblk_req r = {.sector = b.sectors - 1, .count = 1, .buf = bufs[0]};
    CHECK_EQ(vblk_run(&b, &r, 1), ERR_OK);
    return t_result();
}
