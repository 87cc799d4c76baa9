/*
 * devcall.h - client calls for the device capabilities (DeviceManager,
 * PciDevice, Interrupt, Notification) used by drivers and their tests.
 *
 * Thin CapId-based wrappers over the generated typed clients
 * (capos.capnp.rpc.h), returning the capOS error.  dev_interrupt and
 * dc_call stay raw: the tests use them to send what a typed client
 * cannot (no capability, a capability of the wrong interface).
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
    struct capos_pci_device d = {0};
    err_t e = capos_device_manager_open(CAPOS_HANDLE(capos_device_manager, mgr),
                                        vendor, device, index, &d, NULL);
    *dev = d.cap;
    return e;
}

static inline err_t dev_cfg_read(uint32_t dev, uint16_t off, uint8_t width,
                                 uint32_t *v)
{
    return capos_pci_device_config_read(CAPOS_HANDLE(capos_pci_device, dev),
                                        off, width, v, NULL);
}

static inline err_t dev_cfg_write(uint32_t dev, uint16_t off, uint8_t width,
                                  uint32_t v)
{
    return capos_pci_device_config_write(CAPOS_HANDLE(capos_pci_device, dev),
                                         off, width, v, NULL);
}

static inline err_t dev_bar(uint32_t dev, uint8_t index, uint32_t *mo)
{
    struct capos_memory_object m = {0};
    err_t e = capos_pci_device_bar(CAPOS_HANDLE(capos_pci_device, dev), index,
                                   &m, NULL);
    *mo = m.cap;
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
    struct capos_memory_object m = {0};
    err_t e = capos_pci_device_dma_alloc(CAPOS_HANDLE(capos_pci_device, dev),
                                         pages, &m, dev_addr, NULL);
    *mo = m.cap;
    return e;
}

static inline err_t dev_reset(uint32_t dev)
{
    return capos_pci_device_reset(CAPOS_HANDLE(capos_pci_device, dev), NULL);
}

static inline err_t irq_ack(uint32_t irq)
{
    return capos_interrupt_ack(CAPOS_HANDLE(capos_interrupt, irq), NULL);
}

static inline err_t irq_stats(uint32_t irq, uint64_t *delivered, bool *masked)
{
    return capos_interrupt_stats(CAPOS_HANDLE(capos_interrupt, irq), delivered,
                                 masked, NULL);
}

static inline err_t notif_create(uint32_t factory, uint32_t *n)
{
    struct capos_notification h = {0};
    err_t e = capos_notification_factory_create(
        CAPOS_HANDLE(capos_notification_factory, factory), &h, NULL);
    *n = h.cap;
    return e;
}

static inline err_t notif_wait(uint32_t n, uint64_t timeout_ns, uint64_t *bits)
{
    return capos_notification_wait(CAPOS_HANDLE(capos_notification, n),
                                   timeout_ns, bits, NULL);
}
