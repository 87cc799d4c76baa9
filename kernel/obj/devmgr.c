/*
 * devmgr.c - the DeviceManager capability: the PCI functions found at boot
 * and the one-open-per-function rule.
 *
 * list describes every function; open makes a struct pcidev (pcidev.c)
 * for one of them if nobody holds it.  `opened[]` is set by pcidev_open
 * and cleared by the open's destroy hook (devmgr_closed), under devmgr_lock,
 * which nests inside nothing and guards only that array.
 */
#include <arch/pci.h>
#include <capos.capnp.h>
#include <kernel/devices.h>
#include <kernel/kmem.h>
#include <kernel/kobjs.h>
#include <kernel/cap_table.h>

static const struct kobj_ops devmgr_ops = {.name = "devmgr",
                                           .type = KOBJ_DEVMGR};
static struct kobj devmgr;
static struct spinlock devmgr_lock = SPINLOCK_INIT("devmgr");
static bool opened[PCI_MAX_FUNCS];

struct kobj *devmgr_obj(void)
{
    if (!devmgr.ops)
        kobj_init(&devmgr, &devmgr_ops);
    return &devmgr;
}

/* Claim function `index` for a new open; false if it is held. */
static bool claim(uint32_t index)
{
    uint64_t f = spin_lock_irqsave(&devmgr_lock);
    bool ok = !opened[index];
    opened[index] = true;
    spin_unlock_irqrestore(&devmgr_lock, f);
    return ok;
}

void devmgr_closed(uint32_t index)
{
    uint64_t f = spin_lock_irqsave(&devmgr_lock);
    opened[index] = false;
    spin_unlock_irqrestore(&devmgr_lock, f);
}

err_t pcidev_open(uint32_t index, struct pcidev **out)
{
    if (!claim(index))
        return ERR_BUSY;
    err_t r = pcidev_create(index, out);
    if (r)
        devmgr_closed(index);
    return r;
}

static int dm_list(void *ctx, capos_device_manager_list_params_r params,
                   capos_device_manager_list_results_b results)
{
    (void)ctx;
    (void)params;
    uint32_t n = pci_count();
    capos_pci_info_blist l = capos_device_manager_list_results_init_devices(results, n);
    for (uint32_t i = 0; i < n; i++)
        pcidev_describe(pci_get(i), capos_pci_info_blist_at(l, i));
    return ERR_OK;
}

static int dm_open(void *ctx, capos_device_manager_open_params_r params,
                   capos_device_manager_open_results_b results)
{
    struct call_ctx *c = ctx;
    uint16_t vendor = capos_device_manager_open_params_get_vendor_id(params);
    uint16_t device = capos_device_manager_open_params_get_device_id(params);
    uint32_t want = capos_device_manager_open_params_get_index(params), seen = 0;
    for (uint32_t i = 0; i < pci_count(); i++) {
        const struct pci_func *pf = pci_get(i);
        if (pf->vendor != vendor || pf->device != device || seen++ != want)
            continue;
        struct pcidev *d;
        err_t r = pcidev_open(i, &d);
        if (r)
            return call_fail(c, r, r == ERR_BUSY ? "the device is open"
                                                 : "no memory for the device");
        capos_device_manager_open_results_set_device(results, 0);
        c->result_obj = &d->obj;
        c->result_iface = CAPOS_PCI_DEVICE_INTERFACE_ID;
        c->result_flags = CAP_F_TRANSFERABLE;
        return ERR_OK;
    }
    return call_fail(c, ERR_NOTFOUND, "no such PCI function");
}

static const capos_device_manager_server_t devmgr_server = {
    .list = dm_list,
    .open = dm_open,
};

static int devmgr_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_device_manager_dispatch(&devmgr_server, c, m, params, res);
}

const struct kiface devmgr_iface = {
    .id = CAPOS_DEVICE_MANAGER_INTERFACE_ID, .name = "DeviceManager",
    .dispatch = devmgr_dispatch};
