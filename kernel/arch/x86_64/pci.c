/*
 * pci.c - PCI configuration access (mechanism #1) and the boot scan.
 *
 * Every access writes the address port then touches the data port, so the
 * pair is one critical section under pci_lock.  The scan sizes each BAR
 * the standard way (write all ones, read the mask back, restore) with
 * memory and I/O decoding disabled, and reads the capability list with a
 * bound on its length (a looping list cannot hang the boot).  See pci.h.
 */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/pci.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define CFG_ADDR 0xcf8
#define CFG_DATA 0xcfc
#define CAPS_MAX 48                 /* capability list entries followed */
/* Where the kernel places memory BARs that the firmware left unassigned
 * (qboot assigns none): above q35's ECAM window, below the IOAPIC. */
#define MMIO_WINDOW_BASE 0xc0000000ull
#define MMIO_WINDOW_END  0xfec00000ull

static struct spinlock pci_lock = SPINLOCK_INIT("pci");
static struct pci_func funcs[PCI_MAX_FUNCS];
static uint32_t nfuncs;
static uint64_t mmio_next = MMIO_WINDOW_BASE;

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static uint32_t cfg_addr(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)slot << 11 |
           (uint32_t)fn << 8 | (off & 0xfcu);
}

/* Raw access by address (pci_lock held). */
static uint32_t raw_read(uint32_t addr, uint16_t off, uint8_t width)
{
    outl(CFG_ADDR, addr);
    uint16_t port = (uint16_t)(CFG_DATA + (off & 3));
    return width == 4 ? inl(CFG_DATA) : width == 2 ? inw(port) : inb(port);
}

static void raw_write(uint32_t addr, uint16_t off, uint8_t width, uint32_t v)
{
    outl(CFG_ADDR, addr);
    uint16_t port = (uint16_t)(CFG_DATA + (off & 3));
    if (width == 4)
        outl(CFG_DATA, v);
    else if (width == 2)
        outw(port, (uint16_t)v);
    else
        outb(port, (uint8_t)v);
}

static uint32_t read_at(uint8_t bus, uint8_t slot, uint8_t fn, uint16_t off,
                        uint8_t width)
{
    uint64_t f = spin_lock_irqsave(&pci_lock);
    uint32_t v = raw_read(cfg_addr(bus, slot, fn, off), off, width);
    spin_unlock_irqrestore(&pci_lock, f);
    return v;
}

uint32_t pci_cfg_read(const struct pci_func *pf, uint16_t off, uint8_t width)
{
    return read_at(pf->bus, pf->slot, pf->fn, off, width);
}

void pci_cfg_write(const struct pci_func *pf, uint16_t off, uint8_t width,
                   uint32_t v)
{
    uint64_t f = spin_lock_irqsave(&pci_lock);
    raw_write(cfg_addr(pf->bus, pf->slot, pf->fn, off), off, width, v);
    spin_unlock_irqrestore(&pci_lock, f);
}

/* Size BAR i of pf (decoding off); returns how many BAR slots it uses. */
static int size_bar(struct pci_func *pf, int i)
{
    uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
    uint32_t lo = pci_cfg_read(pf, off, 4);
    pci_cfg_write(pf, off, 4, 0xffffffffu);
    uint32_t mask = pci_cfg_read(pf, off, 4);
    pci_cfg_write(pf, off, 4, lo);
    struct pci_bar *b = &pf->bar[i];
    if (lo & 1) {                                   /* I/O space */
        uint32_t m = mask & ~3u;
        if (m) {
            *b = (struct pci_bar){.base = lo & ~3u, .kind = PCI_BAR_IO,
                                  .size = (~m + 1) & 0xffffu};
        }
        return 1;
    }
    uint64_t base = lo & ~0xfull, m = mask & ~0xfull;
    bool is64 = ((lo >> 1) & 3) == 2 && i < 5;
    if (is64) {
        uint16_t hoff = (uint16_t)(off + 4);
        uint32_t hi = pci_cfg_read(pf, hoff, 4);
        pci_cfg_write(pf, hoff, 4, 0xffffffffu);
        uint32_t hmask = pci_cfg_read(pf, hoff, 4);
        pci_cfg_write(pf, hoff, 4, hi);
        base |= (uint64_t)hi << 32;
        m |= (uint64_t)hmask << 32;
    } else if (m) {
        m |= 0xffffffff00000000ull;
    }
    if (m)
        *b = (struct pci_bar){.base = base, .size = ~m + 1,
                              .kind = is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32,
                              .prefetchable = (lo & 8) != 0};
    return is64 ? 2 : 1;
}

/* Give BAR i of pf (memory, sized, base 0) an address in the window. */
static void assign_bar(struct pci_func *pf, int i)
{
    struct pci_bar *b = &pf->bar[i];
    uint64_t align = b->size < 4096 ? 4096 : b->size;
    uint64_t base = (mmio_next + align - 1) & ~(align - 1);
    if (base + b->size > MMIO_WINDOW_END || base + b->size < base) {
        printk("pci: no room for bar%d of %02x:%02x.%u (%#llx bytes)\n", i,
               pf->bus, pf->slot, pf->fn, (unsigned long long)b->size);
        b->kind = PCI_BAR_NONE;
        return;
    }
    uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
    uint32_t lo = pci_cfg_read(pf, off, 4);
    pci_cfg_write(pf, off, 4, (uint32_t)base | (lo & 0xfu));
    if (b->kind == PCI_BAR_MEM64)
        pci_cfg_write(pf, (uint16_t)(off + 4), 4, (uint32_t)(base >> 32));
    b->base = base;
    mmio_next = base + align;
}

/* Record the MSI and MSI-X capabilities of pf. */
static void read_caps(struct pci_func *pf)
{
    if (!(pci_cfg_read(pf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
        return;
    uint8_t p = (uint8_t)(pci_cfg_read(pf, PCI_CAP_PTR, 1) & 0xfc);
    for (int n = 0; p >= 0x40 && n < CAPS_MAX; n++) {
        uint8_t id = (uint8_t)pci_cfg_read(pf, p, 1);
        if (id == PCI_CAP_MSIX && !pf->msix_cap) {
            uint32_t table = pci_cfg_read(pf, (uint16_t)(p + 4), 4);
            pf->msix_cap = p;
            pf->msix_entries =
                (uint16_t)((pci_cfg_read(pf, (uint16_t)(p + 2), 2) & 0x7ff) + 1);
            pf->msix_bir = table & 7;
            pf->msix_offset = table & ~7u;
        } else if (id == PCI_CAP_MSI && !pf->msi_cap) {
            pf->msi_cap = p;
        }
        p = (uint8_t)(pci_cfg_read(pf, (uint16_t)(p + 1), 1) & 0xfc);
    }
}

static void add_func(uint8_t bus, uint8_t slot, uint8_t fn, uint32_t id)
{
    if (nfuncs == PCI_MAX_FUNCS) {
        printk("pci: more than %u functions, %02x:%02x.%u ignored\n",
               PCI_MAX_FUNCS, bus, slot, fn);
        return;
    }
    struct pci_func *pf = &funcs[nfuncs];
    *pf = (struct pci_func){.bus = bus, .slot = slot, .fn = fn,
                            .vendor = (uint16_t)id, .device = (uint16_t)(id >> 16)};
    uint32_t cls = pci_cfg_read(pf, 0x08, 4);
    pf->class_code = (uint8_t)(cls >> 24);
    pf->subclass = (uint8_t)(cls >> 16);
    pf->prog_if = (uint8_t)(cls >> 8);
    uint8_t header = (uint8_t)(pci_cfg_read(pf, 0x0e, 1) & 0x7f);
    if (header == 0) {
        uint16_t cmd = (uint16_t)pci_cfg_read(pf, PCI_COMMAND, 2);
        pci_cfg_write(pf, PCI_COMMAND, 2,
                      cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
        for (int i = 0; i < 6;)
            i += size_bar(pf, i);
        for (int i = 0; i < 6; i++)
            if ((pf->bar[i].kind == PCI_BAR_MEM32 ||
                 pf->bar[i].kind == PCI_BAR_MEM64) && !pf->bar[i].base)
                assign_bar(pf, i);
        pci_cfg_write(pf, PCI_COMMAND, 2, cmd);
        read_caps(pf);
    }
    nfuncs++;
}

/* Scan `bus` and, through PCI-to-PCI bridges, the buses behind it. */
static void scan_bus(uint8_t bus, int depth)
{
    for (uint8_t slot = 0; slot < 32; slot++) {
        uint32_t id = read_at(bus, slot, 0, 0, 4);
        if ((id & 0xffff) == 0xffff)
            continue;
        bool multi = read_at(bus, slot, 0, 0x0e, 1) & 0x80;
        for (uint8_t fn = 0; fn < (multi ? 8 : 1); fn++) {
            uint32_t fid = fn ? read_at(bus, slot, fn, 0, 4) : id;
            if ((fid & 0xffff) == 0xffff)
                continue;
            add_func(bus, slot, fn, fid);
            uint8_t header = (uint8_t)(read_at(bus, slot, fn, 0x0e, 1) & 0x7f);
            uint8_t sec = (uint8_t)read_at(bus, slot, fn, 0x19, 1);
            if (header == 1 && sec > bus && depth < 8)
                scan_bus(sec, depth + 1);
        }
    }
}

void pci_scan(void)
{
    scan_bus(0, 0);
    printk("pci: %u functions\n", nfuncs);
    for (uint32_t i = 0; i < nfuncs; i++) {
        const struct pci_func *pf = &funcs[i];
        printk("pci: %02x:%02x.%u %04x:%04x class %02x.%02x%s\n", pf->bus,
               pf->slot, pf->fn, pf->vendor, pf->device, pf->class_code,
               pf->subclass, pf->msix_cap ? " msi-x" : "");
        for (int b = 0; b < 6; b++)
            if (pf->bar[b].kind != PCI_BAR_NONE)
                printk("pci:   bar%d %s %#llx size %#llx\n", b,
                       pf->bar[b].kind == PCI_BAR_IO ? "io" : "mem",
                       (unsigned long long)pf->bar[b].base,
                       (unsigned long long)pf->bar[b].size);
    }
}

uint32_t pci_count(void)
{
    return nfuncs;
}

const struct pci_func *pci_get(uint32_t i)
{
    return i < nfuncs ? &funcs[i] : NULL;
}
