/*
 * interrupt.c - the Interrupt capability: one MSI-X entry of an open PCI
 * function routed to bits of a Notification.
 *
 * Routing takes a free IDT vector (VEC_DEV_FIRST..VEC_DEV_LAST) and
 * writes the entry (LAPIC of the boot CPU, fixed delivery, edge).  When
 * the interrupt arrives the handler masks the entry, signals the bits and
 * counts it; the entry stays masked until Interrupt.ack, so a storming
 * device costs one interrupt per ack, never the whole CPU.  An interrupt
 * raised while masked is kept pending by the device (MSI-X PBA) and
 * delivered at ack: nothing is lost.
 *
 * Locking: irq_lock guards vec_owner[] and each entry's mask state; it
 * nests inside a pcidev's lock and is dropped before the notification is
 * signalled (the handler holds a reference on it meanwhile).
 */
#include <arch/hw.h>
#include <arch/trap.h>
#include <arch/pci.h>
#include <capos.capnp.h>
#include <kernel/devices.h>
#include <kernel/kmem.h>
#include <kernel/kobjs.h>
#include <kernel/notification.h>

#define VEC_DEV_FIRST 0x50
#define VEC_DEV_LAST  0xef
#define MSI_ADDR_BASE 0xfee00000u
#define MSIX_CTRL_OFF 3             /* words into a table entry */

struct irqobj {
    struct kobj obj;                /* first */
    struct pcidev *dev;             /* ref held */
    struct notification *n;         /* ref held */
    uint64_t bits;
    uint16_t entry;
    uint8_t vector;
    uint32_t slot;                  /* index in dev->irq[] */
    /* guarded by irq_lock: */
    bool masked;
    uint64_t delivered;
};

static struct spinlock irq_lock = SPINLOCK_INIT("irq");
static struct irqobj *vec_owner[256];

/* The vector-control word of irq's entry. */
static volatile uint32_t *entry_ctrl(const struct irqobj *irq)
{
    return &irq->dev->msix[irq->entry * 4u + MSIX_CTRL_OFF];
}

/* Mask or unmask irq's entry (irq_lock held). */
static void set_mask(struct irqobj *irq, bool masked)
{
    *entry_ctrl(irq) = masked ? 1u : 0u;
    irq->masked = masked;
}

void irq_mask(struct irqobj *irq)
{
    uint64_t f = spin_lock_irqsave(&irq_lock);
    set_mask(irq, true);
    spin_unlock_irqrestore(&irq_lock, f);
}

/* Every device vector lands here. */
static void irq_device(struct trap_frame *tf)
{
    struct notification *n = NULL;
    uint64_t bits = 0;
    spin_lock(&irq_lock);
    struct irqobj *irq = vec_owner[tf->vector & 0xff];
    if (irq) {
        set_mask(irq, true);
        irq->delivered++;
        n = irq->n;
        bits = irq->bits;
        kobj_get(&n->obj);
    }
    spin_unlock(&irq_lock);
    lapic_eoi();
    if (n) {
        notification_signal(n, bits);
        kobj_put(&n->obj);
    }
}

static void irqobj_destroy(struct kobj *o)
{
    struct irqobj *irq = (struct irqobj *)o;
    struct pcidev *d = irq->dev;
    uint64_t f = spin_lock_irqsave(&d->lock);
    d->irq[irq->slot] = NULL;
    spin_lock(&irq_lock);
    set_mask(irq, true);
    vec_owner[irq->vector] = NULL;
    spin_unlock(&irq_lock);
    spin_unlock_irqrestore(&d->lock, f);
    kobj_put(&irq->n->obj);
    kobj_put(&d->obj);
    kfree(irq);
}

static const struct kobj_ops irqobj_ops = {
    .name = "interrupt", .type = KOBJ_INTERRUPT, .destroy = irqobj_destroy};

/* A free device vector for irq (irq_lock held), or 0. */
static uint8_t take_vector(struct irqobj *irq)
{
    for (uint32_t v = VEC_DEV_FIRST; v <= VEC_DEV_LAST; v++)
        if (!vec_owner[v]) {
            vec_owner[v] = irq;
            return (uint8_t)v;
        }
    return 0;
}

/* Which slot of d->irq[] is free, or BUSY if `entry` is routed already
 * (d->lock held); PCIDEV_IRQ_MAX if every slot is used. */
static err_t find_slot(struct pcidev *d, uint16_t entry, uint32_t *slot)
{
    *slot = PCIDEV_IRQ_MAX;
    for (uint32_t i = 0; i < PCIDEV_IRQ_MAX; i++) {
        if (d->irq[i] && d->irq[i]->entry == entry)
            return ERR_BUSY;
        if (!d->irq[i] && *slot == PCIDEV_IRQ_MAX)
            *slot = i;
    }
    return *slot == PCIDEV_IRQ_MAX ? ERR_FULL : ERR_OK;
}

/* Write irq's table entry (unmasked) and enable MSI-X on the function. */
static void program_entry(struct irqobj *irq)
{
    const struct pci_func *pf = irq->dev->fn;
    volatile uint32_t *e = &irq->dev->msix[irq->entry * 4u];
    uint16_t cmd = (uint16_t)pci_cfg_read(pf, PCI_COMMAND, 2);
    pci_cfg_write(pf, PCI_COMMAND, 2, cmd | PCI_COMMAND_MEMORY);
    uint16_t ctl = (uint16_t)pci_cfg_read(pf, (uint16_t)(pf->msix_cap + 2), 2);
    pci_cfg_write(pf, (uint16_t)(pf->msix_cap + 2), 2,
                  ctl | PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL);
    e[MSIX_CTRL_OFF] = 1;
    e[0] = MSI_ADDR_BASE | (lapic_id() & 0xff) << 12;
    e[1] = 0;
    e[2] = irq->vector;
    set_mask(irq, false);
    pci_cfg_write(pf, (uint16_t)(pf->msix_cap + 2), 2,
                  (ctl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_MASKALL);
}

err_t irq_route(struct pcidev *d, uint16_t entry, struct notification *n,
                uint64_t bits, struct irqobj **out)
{
    struct irqobj *irq = kzalloc(sizeof *irq);
    if (!irq)
        return ERR_NOMEM;
    *irq = (struct irqobj){.dev = d, .n = n, .bits = bits, .entry = entry,
                           .masked = true};
    uint64_t f = spin_lock_irqsave(&d->lock);
    err_t r = find_slot(d, entry, &irq->slot);
    if (!r) {
        spin_lock(&irq_lock);
        irq->vector = take_vector(irq);
        if (irq->vector) {
            irq_set_handler(irq->vector, irq_device);
            program_entry(irq);
        }
        spin_unlock(&irq_lock);
        r = irq->vector ? ERR_OK : ERR_FULL;
    }
    if (!r)
        d->irq[irq->slot] = irq;
    spin_unlock_irqrestore(&d->lock, f);
    if (r) {
        kfree(irq);
        return r;
    }
    kobj_get(&d->obj);
    kobj_get(&n->obj);
    kobj_init(&irq->obj, &irqobj_ops);
    *out = irq;
    return ERR_OK;
}

static int irq_ack(void *ctx, capos_interrupt_ack_params_r params,
                   capos_interrupt_ack_results_b results)
{
    (void)params;
    (void)results;
    struct call_ctx *c = ctx;
    struct irqobj *irq = (struct irqobj *)c->target;
    uint64_t f = spin_lock_irqsave(&irq_lock);
    set_mask(irq, false);
    spin_unlock_irqrestore(&irq_lock, f);
    return ERR_OK;
}

static int irq_stats(void *ctx, capos_interrupt_stats_params_r params,
                     capos_interrupt_stats_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    struct irqobj *irq = (struct irqobj *)c->target;
    uint64_t f = spin_lock_irqsave(&irq_lock);
    capos_interrupt_stats_results_set_delivered(results, irq->delivered);
    capos_interrupt_stats_results_set_masked(results, irq->masked);
    spin_unlock_irqrestore(&irq_lock, f);
    return ERR_OK;
}

static const capos_interrupt_server_t irq_server = {
    .ack = irq_ack,
    .stats = irq_stats,
};

static int irq_dispatch(struct call_ctx *c, uint16_t m,
                        struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_interrupt_dispatch(&irq_server, c, m, params, res);
}

const struct kiface interrupt_iface = {
    .id = CAPOS_INTERRUPT_INTERFACE_ID, .name = "Interrupt",
    .dispatch = irq_dispatch};
