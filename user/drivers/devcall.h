/*
 * devcall.h - client calls for the device capabilities (DeviceManager,
 * PciDevice, Interrupt, Notification) used by drivers and their tests.
 *
 * Each function frames its params with the generated builders, makes one
 * synchronous CALL and opens the results; it returns the capOS error
 * (cqe.aux for exceptions).  Hand-written until the generated typed
 * clients of the typed-clients issue replace them.
 */
#pragma once

#include <capos/capos.h>
#include <capos/ipc.h>
#include <string.h>

#define DEVCALL_WORDS 64

struct devcall {
    uint64_t p[DEVCALL_WORDS];
    uint64_t r[DEVCALL_WORDS * 4];
    struct capos_msgbuf m;
    struct capnp_msg res;
    struct ring_cqe cqe;
};

/* Start a params message in dc. */
static inline struct capnp_builder *dc_begin(struct devcall *dc)
{
    return capos_msg_begin(&dc->m, dc->p, DEVCALL_WORDS);
}

/* Call method of cap with the params built in dc and transfers x[n];
 * opens the results in dc->res.  Returns the capOS error. */
static inline err_t dc_call(struct devcall *dc, uint32_t cap, uint16_t method,
                            const struct ring_xfer *x, uint32_t n)
{
    err_t e = capos_msg_finish(&dc->m);
    if (e)
        return e;
    e = capos_call_xfer(cap, method, dc->m.words, dc->m.len, x, n, dc->r,
                        sizeof dc->r, &dc->cqe);
    if (e)
        return e;
    return capos_msg_read(&dc->res, dc->r, (size_t)dc->cqe.result);
}

/* The result capability of the last call. */
static inline uint32_t dc_cap(const struct devcall *dc)
{
    return dc->cqe.cap_count ? dc->cqe.cap0.cap_id : 0;
}

static inline err_t dev_open(uint32_t mgr, uint16_t vendor, uint16_t device,
                             uint32_t index, uint32_t *dev)
{
    struct devcall dc;
    capos_device_manager_open_params_b p =
        capos_device_manager_open_params_init_root(dc_begin(&dc));
    capos_device_manager_open_params_set_vendor_id(p, vendor);
    capos_device_manager_open_params_set_device_id(p, device);
    capos_device_manager_open_params_set_index(p, index);
    err_t e = dc_call(&dc, mgr, CAPOS_DEVICE_MANAGER_METHOD_OPEN, NULL, 0);
    if (!e)
        *dev = dc_cap(&dc);
    return e;
}

static inline err_t dev_cfg_read(uint32_t dev, uint16_t off, uint8_t width,
                                 uint32_t *v)
{
    struct devcall dc;
    capos_pci_device_config_read_params_b p =
        capos_pci_device_config_read_params_init_root(dc_begin(&dc));
    capos_pci_device_config_read_params_set_offset(p, off);
    capos_pci_device_config_read_params_set_width(p, width);
    err_t e = dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_CONFIG_READ, NULL, 0);
    if (!e)
        *v = capos_pci_device_config_read_results_get_value(
            capos_pci_device_config_read_results_read_root(&dc.res));
    return e;
}

static inline err_t dev_cfg_write(uint32_t dev, uint16_t off, uint8_t width,
                                  uint32_t v)
{
    struct devcall dc;
    capos_pci_device_config_write_params_b p =
        capos_pci_device_config_write_params_init_root(dc_begin(&dc));
    capos_pci_device_config_write_params_set_offset(p, off);
    capos_pci_device_config_write_params_set_width(p, width);
    capos_pci_device_config_write_params_set_value(p, v);
    return dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_CONFIG_WRITE, NULL, 0);
}

static inline err_t dev_bar(uint32_t dev, uint8_t index, uint32_t *mo)
{
    struct devcall dc;
    capos_pci_device_bar_params_set_index(
        capos_pci_device_bar_params_init_root(dc_begin(&dc)), index);
    err_t e = dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_BAR, NULL, 0);
    if (!e)
        *mo = dc_cap(&dc);
    return e;
}

/* Route MSI-X `entry` to `bits` of notification n (sent by copy). */
static inline err_t dev_interrupt(uint32_t dev, uint16_t entry, uint32_t n,
                                  uint64_t bits, uint32_t *irq)
{
    struct devcall dc;
    capos_pci_device_interrupt_params_b p =
        capos_pci_device_interrupt_params_init_root(dc_begin(&dc));
    capos_pci_device_interrupt_params_set_entry(p, entry);
    capos_pci_device_interrupt_params_set_bits(p, bits);
    capos_pci_device_interrupt_params_set_notification(p, 0);
    struct ring_xfer x = {.cap_id = n, .mode = XFER_COPY};
    err_t e = dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_INTERRUPT, &x, n ? 1 : 0);
    if (!e)
        *irq = dc_cap(&dc);
    return e;
}

static inline err_t dev_dma_alloc(uint32_t dev, uint32_t pages, uint32_t *mo,
                                  uint64_t *dev_addr)
{
    struct devcall dc;
    capos_pci_device_dma_alloc_params_set_pages(
        capos_pci_device_dma_alloc_params_init_root(dc_begin(&dc)), pages);
    err_t e = dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_DMA_ALLOC, NULL, 0);
    if (!e) {
        *mo = dc_cap(&dc);
        *dev_addr = capos_pci_device_dma_alloc_results_get_device_addr(
            capos_pci_device_dma_alloc_results_read_root(&dc.res));
    }
    return e;
}

static inline err_t dev_reset(uint32_t dev)
{
    struct devcall dc;
    capos_pci_device_reset_params_init_root(dc_begin(&dc));
    return dc_call(&dc, dev, CAPOS_PCI_DEVICE_METHOD_RESET, NULL, 0);
}

static inline err_t irq_ack(uint32_t irq)
{
    struct devcall dc;
    capos_interrupt_ack_params_init_root(dc_begin(&dc));
    return dc_call(&dc, irq, CAPOS_INTERRUPT_METHOD_ACK, NULL, 0);
}

static inline err_t irq_stats(uint32_t irq, uint64_t *delivered, bool *masked)
{
    struct devcall dc;
    capos_interrupt_stats_params_init_root(dc_begin(&dc));
    err_t e = dc_call(&dc, irq, CAPOS_INTERRUPT_METHOD_STATS, NULL, 0);
    if (!e) {
        capos_interrupt_stats_results_r r =
            capos_interrupt_stats_results_read_root(&dc.res);
        *delivered = capos_interrupt_stats_results_get_delivered(r);
        *masked = capos_interrupt_stats_results_get_masked(r);
    }
    return e;
}

static inline err_t notif_create(uint32_t factory, uint32_t *n)
{
    struct devcall dc;
    capos_notification_factory_create_params_init_root(dc_begin(&dc));
    err_t e = dc_call(&dc, factory, CAPOS_NOTIFICATION_FACTORY_METHOD_CREATE,
                      NULL, 0);
    if (!e)
        *n = dc_cap(&dc);
    return e;
}

static inline err_t notif_wait(uint32_t n, uint64_t timeout_ns, uint64_t *bits)
{
    struct devcall dc;
    capos_notification_wait_params_set_timeout_ns(
        capos_notification_wait_params_init_root(dc_begin(&dc)), timeout_ns);
    err_t e = dc_call(&dc, n, CAPOS_NOTIFICATION_METHOD_WAIT, NULL, 0);
    if (!e)
        *bits = capos_notification_wait_results_get_bits(
            capos_notification_wait_results_read_root(&dc.res));
    return e;
}
