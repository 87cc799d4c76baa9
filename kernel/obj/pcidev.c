/*
 * pcidev.c - the PciDevice capability: one driver's open of one PCI
 * function (see kernel/include/kernel/devices.h).
 *
 * Config space: reads anywhere in the first 256 bytes; writes only to the
 * command register's memory / bus-master / INTx-disable bits and to the
 * device-specific area from 0x40, except the MSI and MSI-X capabilities,
 * which the kernel programs.  BARs become device MemoryObjects (uncached,
 * not RAM); the BAR holding the MSI-X table is refused, so the table stays
 * the kernel's.  DMA memory is ordinary charged, zeroed, contiguous frames
 * whose physical address is the device address (no IOMMU yet: a driver
 * with bus mastering can reach any memory, see docs/devices.md); the open
 * pins them until it is reset or destroyed.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/pci.h>
#include <kernel/cap_table.h>
#include <kernel/devices.h>
#include <kernel/kmem.h>
#include <kernel/kobjs.h>
#include <kernel/memcaps.h>
#include <kernel/notification.h>
#include <kernel/pmm.h>
#include <kernel/xfer.h>

#define PAGE_MASK   ((uint64_t)PAGE_SIZE - 1)
#define MSI_CAP_LEN  24u             /* the longest MSI capability */
#define MSIX_CAP_LEN 12u

/* Kernel mappings of MSI-X tables, made once per function and kept. */
static volatile uint32_t *msix_map[PCI_MAX_FUNCS];

static void pcidev_destroy(struct kobj *o)
{
    struct pcidev *d = (struct pcidev *)o;
    pcidev_reset(d);
    devmgr_closed(d->index);
    kfree(d);
}

static const struct kobj_ops pcidev_ops = {
    .name = "pcidev", .type = KOBJ_PCIDEV, .destroy = pcidev_destroy};

/* The MSI-X table of function index, mapped on first use; NULL if none. */
static volatile uint32_t *msix_table(uint32_t index, const struct pci_func *pf)
{
    if (!pf->msix_cap || msix_map[index])
        return msix_map[index];
    const struct pci_bar *b = &pf->bar[pf->msix_bir];
    uint64_t len = (uint64_t)pf->msix_entries * 16;
    if (pf->msix_bir > 5 || (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64) ||
        !b->base || pf->msix_offset + len > b->size)
        return NULL;
    msix_map[index] = paging_map_mmio(b->base + pf->msix_offset, len);
    return msix_map[index];
}

err_t pcidev_create(uint32_t index, struct pcidev **out)
{
    struct pcidev *d = kzalloc(sizeof *d);
    if (!d)
        return ERR_NOMEM;
    d->fn = pci_get(index);
    d->index = index;
    d->msix = msix_table(index, d->fn);
    d->lock = (struct spinlock)SPINLOCK_INIT("pcidev");
    kobj_init(&d->obj, &pcidev_ops);
    *out = d;
    return ERR_OK;
}

void pcidev_reset(struct pcidev *d)
{
    const struct pci_func *pf = d->fn;
    struct memobj *dma[PCIDEV_DMA_MAX];
    uint16_t cmd = (uint16_t)pci_cfg_read(pf, PCI_COMMAND, 2);
    pci_cfg_write(pf, PCI_COMMAND, 2, cmd & ~PCI_COMMAND_MASTER);
    uint64_t f = spin_lock_irqsave(&d->lock);
    if (pf->msix_cap) {
        uint16_t ctl = (uint16_t)pci_cfg_read(pf, (uint16_t)(pf->msix_cap + 2), 2);
        pci_cfg_write(pf, (uint16_t)(pf->msix_cap + 2), 2,
                      (ctl & ~PCI_MSIX_CTRL_ENABLE) | PCI_MSIX_CTRL_MASKALL);
    }
    for (uint32_t i = 0; i < PCIDEV_IRQ_MAX; i++)
        if (d->irq[i])
            irq_mask(d->irq[i]);
    uint32_t n = d->ndma;
    for (uint32_t i = 0; i < n; i++) {
        dma[i] = d->dma[i];
        d->dma[i] = NULL;
    }
    d->ndma = 0;
    spin_unlock_irqrestore(&d->lock, f);
    for (uint32_t i = 0; i < n; i++)
        kobj_put(&dma[i]->obj);
}

void pcidev_describe(const struct pci_func *pf, capos_pci_info_b b)
{
    capos_pci_info_set_bus(b, pf->bus);
    capos_pci_info_set_slot(b, pf->slot);
    capos_pci_info_set_function(b, pf->fn);
    capos_pci_info_set_vendor_id(b, pf->vendor);
    capos_pci_info_set_device_id(b, pf->device);
    capos_pci_info_set_class_code(b, pf->class_code);
    capos_pci_info_set_subclass(b, pf->subclass);
    capos_pci_info_set_prog_if(b, pf->prog_if);
    capos_pci_info_set_msix_entries(b, pf->msix_cap ? pf->msix_entries : 0);
    capos_pci_bar_blist bl = capos_pci_info_init_bars(b, 6);
    for (uint32_t i = 0; i < 6; i++) {
        capos_pci_bar_b e = capos_pci_bar_blist_at(bl, i);
        capos_pci_bar_set_kind(e, pf->bar[i].kind);
        capos_pci_bar_set_base(e, pf->bar[i].base);
        capos_pci_bar_set_size(e, pf->bar[i].size);
        capos_pci_bar_set_prefetchable(e, pf->bar[i].prefetchable);
    }
}

static int pd_info(void *ctx, capos_pci_device_info_params_r params,
                   capos_pci_device_info_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    pcidev_describe(((struct pcidev *)c->target)->fn,
                    capos_pci_device_info_results_init_info(results));
    return ERR_OK;
}

/* INVAL / RANGE for a config access of `width` at `off`. */
static err_t cfg_check(struct call_ctx *c, uint16_t off, uint8_t width)
{
    if ((width != 1 && width != 2 && width != 4) || off % width)
        return call_fail(c, ERR_INVAL, "width not 1, 2 or 4, or unaligned");
    if (off + width > PCI_CFG_SIZE)
        return call_fail(c, ERR_RANGE, "beyond the configuration space");
    return ERR_OK;
}

static int pd_config_read(void *ctx, capos_pci_device_config_read_params_r params,
                          capos_pci_device_config_read_results_b results)
{
    struct call_ctx *c = ctx;
    uint16_t off = capos_pci_device_config_read_params_get_offset(params);
    uint8_t width = capos_pci_device_config_read_params_get_width(params);
    err_t r = cfg_check(c, off, width);
    if (r)
        return r;
    capos_pci_device_config_read_results_set_value(
        results, pci_cfg_read(((struct pcidev *)c->target)->fn, off, width));
    return ERR_OK;
}

static bool overlaps(uint16_t off, uint8_t width, uint8_t cap, uint32_t len)
{
    return cap && off < cap + len && off + width > cap;
}

/* PERM unless a write of `width` bytes of v at off is one a driver may do. */
static err_t cfg_write_allowed(struct call_ctx *c, const struct pci_func *pf,
                               uint16_t off, uint8_t width, uint32_t v)
{
    const uint32_t ok_bits = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                             PCI_COMMAND_INTX_OFF;
    if (off == PCI_COMMAND && width == 2) {
        uint32_t cur = pci_cfg_read(pf, PCI_COMMAND, 2);
        if ((v ^ cur) & ~ok_bits)
            return call_fail(c, ERR_PERM, "command bits a driver may not change");
        return ERR_OK;
    }
    if (off < 0x40)
        return call_fail(c, ERR_PERM, "the header and BARs are the kernel's");
    if (overlaps(off, width, pf->msi_cap, MSI_CAP_LEN) ||
        overlaps(off, width, pf->msix_cap, MSIX_CAP_LEN))
        return call_fail(c, ERR_PERM, "MSI and MSI-X are programmed by the kernel");
    return ERR_OK;
}

static int pd_config_write(void *ctx, capos_pci_device_config_write_params_r params,
                           capos_pci_device_config_write_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    const struct pci_func *pf = ((struct pcidev *)c->target)->fn;
    uint16_t off = capos_pci_device_config_write_params_get_offset(params);
    uint8_t width = capos_pci_device_config_write_params_get_width(params);
    uint32_t v = capos_pci_device_config_write_params_get_value(params);
    err_t r = cfg_check(c, off, width);
    if (!r)
        r = cfg_write_allowed(c, pf, off, width, v);
    if (r)
        return r;
    pci_cfg_write(pf, off, width, v);
    return ERR_OK;
}

static int pd_bar(void *ctx, capos_pci_device_bar_params_r params,
                  capos_pci_device_bar_results_b results)
{
    struct call_ctx *c = ctx;
    const struct pci_func *pf = ((struct pcidev *)c->target)->fn;
    uint8_t i = capos_pci_device_bar_params_get_index(params);
    if (i > 5)
        return call_fail(c, ERR_RANGE, "BAR index above 5");
    const struct pci_bar *b = &pf->bar[i];
    if (b->kind == PCI_BAR_NONE || !b->size)
        return call_fail(c, ERR_NOTFOUND, "the BAR is not implemented");
    if (b->kind == PCI_BAR_IO)
        return call_fail(c, ERR_NOSYS, "I/O BARs are not supported");
    if ((b->base | b->size) & PAGE_MASK || !b->base)
        return call_fail(c, ERR_INVAL, "the BAR is not page aligned");
    if (pf->msix_cap && pf->msix_bir == i)
        return call_fail(c, ERR_PERM, "the BAR holds the MSI-X table");
    if (pmm_range_known(b->base, b->size))
        return call_fail(c, ERR_PERM, "the BAR overlaps RAM");
    struct memobj *mo;
    if (memobj_create_device(b->base, b->size / PAGE_SIZE, &mo))
        return call_fail(c, ERR_NOMEM, "no memory for the object");
    capos_pci_device_bar_results_set_mmio(results, 0);
    c->result_obj = &mo->obj;
    c->result_iface = CAPOS_MEMORY_OBJECT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static int pd_interrupt(void *ctx, capos_pci_device_interrupt_params_r params,
                        capos_pci_device_interrupt_results_b results)
{
    struct call_ctx *c = ctx;
    struct pcidev *d = (struct pcidev *)c->target;
    uint16_t entry = capos_pci_device_interrupt_params_get_entry(params);
    uint64_t bits = capos_pci_device_interrupt_params_get_bits(params);
    uint32_t k = capos_pci_device_interrupt_params_get_notification(params);
    if (!d->fn->msix_cap || !d->msix)
        return call_fail(c, ERR_NOSYS, "the function has no usable MSI-X");
    if (entry >= d->fn->msix_entries)
        return call_fail(c, ERR_RANGE, "entry beyond the MSI-X table");
    if (!bits || k >= c->xfer->n)
        return call_fail(c, ERR_INVAL, "no bits or no Notification passed");
    if (c->xfer->g[k].obj->ops->type != KOBJ_NOTIFICATION)
        return call_fail(c, ERR_WRONGTYPE, "not a Notification");
    struct irqobj *irq;
    err_t r = irq_route(d, entry, (struct notification *)c->xfer->g[k].obj,
                        bits, &irq);
    if (r)
        return call_fail(c, r, r == ERR_BUSY ? "entry already routed"
                               : r == ERR_FULL ? "no free interrupt vector"
                                               : "cannot route the interrupt");
    capos_pci_device_interrupt_results_set_irq(results, 0);
    c->result_obj = (struct kobj *)irq;
    c->result_iface = CAPOS_INTERRUPT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static int pd_dma_alloc(void *ctx, capos_pci_device_dma_alloc_params_r params,
                        capos_pci_device_dma_alloc_results_b results)
{
    struct call_ctx *c = ctx;
    struct pcidev *d = (struct pcidev *)c->target;
    uint32_t pages = capos_pci_device_dma_alloc_params_get_pages(params);
    if (!pages)
        return call_fail(c, ERR_INVAL, "zero pages");
    if (pages > PCIDEV_DMA_PAGES)
        return call_fail(c, ERR_RANGE, "more than 512 pages");
    struct memobj *mo;
    err_t r = memobj_create(c->caller, pages, &mo);
    if (r)
        return call_fail(c, r, r == ERR_QUOTA ? "frame quota exceeded"
                                              : "out of physical memory");
    uint64_t f = spin_lock_irqsave(&d->lock);
    bool room = d->ndma < PCIDEV_DMA_MAX;
    if (room) {
        d->dma[d->ndma++] = mo;         /* the creation reference pins it */
        kobj_get(&mo->obj);             /* and this one is the caller's */
    }
    spin_unlock_irqrestore(&d->lock, f);
    if (!room) {
        kobj_put(&mo->obj);
        return call_fail(c, ERR_RANGE, "more than 64 DMA allocations");
    }
    capos_pci_device_dma_alloc_results_set_device_addr(results, mo->pa);
    capos_pci_device_dma_alloc_results_set_memory(results, 0);
    c->result_obj = &mo->obj;
    c->result_iface = CAPOS_MEMORY_OBJECT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;
    return ERR_OK;
}

static int pd_reset(void *ctx, capos_pci_device_reset_params_r params,
                    capos_pci_device_reset_results_b results)
{
    (void)params;
    (void)results;
    struct call_ctx *c = ctx;
    pcidev_reset((struct pcidev *)c->target);
    return ERR_OK;
}

static const capos_pci_device_server_t pcidev_server = {
    .info = pd_info,
    .config_read = pd_config_read,
    .config_write = pd_config_write,
    .bar = pd_bar,
    .interrupt = pd_interrupt,
    .dma_alloc = pd_dma_alloc,
    .reset = pd_reset,
};

static int pcidev_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_pci_device_dispatch(&pcidev_server, c, m, params, res);
}

const struct kiface pcidev_iface = {
    .id = CAPOS_PCI_DEVICE_INTERFACE_ID, .name = "PciDevice",
    .dispatch = pcidev_dispatch};
