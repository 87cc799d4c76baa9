/*
 * virtio_blk.c - the virtio-blk driver (see virtio_blk.h).
 *
 * Registers come from the virtio PCI capabilities (common, notify and
 * device configuration; virtio 1.x section 4.1.4), each in a memory BAR
 * mapped through PciDevice.bar.  Request slot s always uses descriptors
 * 3s (header), 3s+1 (data) and 3s+2 (status), so the used ring's id names
 * the slot and no free list is needed.  Everything the device writes
 * (used ring, status bytes, read data) is read once into private memory
 * before it is trusted: a used id outside the slots in flight is ignored.
 */
#include <string.h>
#include "devcall.h"
#include "virtio_blk.h"

#define PAGE 4096u

/* virtio PCI capability and common configuration layout. */
#define VIRTIO_CAP_VENDOR  0x09
#define CFG_COMMON         1
#define CFG_NOTIFY         2
#define CFG_DEVICE         4
#define CC_DFSELECT        0x00
#define CC_DF              0x04
#define CC_GFSELECT        0x08
#define CC_GF              0x0c
#define CC_MSIX_CONFIG     0x10
#define CC_STATUS          0x14
#define CC_Q_SELECT        0x16
#define CC_Q_SIZE          0x18
#define CC_Q_MSIX          0x1a
#define CC_Q_ENABLE        0x1c
#define CC_Q_NOTIFY_OFF    0x1e
#define CC_Q_DESC          0x20
#define CC_Q_DRIVER        0x28
#define CC_Q_DEVICE        0x30
#define CC_LEN             0x38
#define ST_ACK             1u
#define ST_DRIVER          2u
#define ST_DRIVER_OK       4u
#define ST_FEATURES_OK     8u
#define ST_FAILED          128u
#define F_RO               (1ull << 5)
#define F_FLUSH            (1ull << 9)
#define F_VERSION_1        (1ull << 32)
#define NO_VECTOR          0xffffu

/* Requests. */
#define T_IN    0u
#define T_OUT   1u
#define T_FLUSH 4u
#define S_OK    0u
#define S_IOERR 1u
#define D_NEXT  1u
#define D_WRITE 2u

/* DMA layout: queue and headers in page 0, slot buffers after it. */
#define OFF_DESC    0u
#define OFF_AVAIL   512u
#define OFF_USED    1024u
#define OFF_HDR     2048u
#define OFF_STATUS  (OFF_HDR + 16u * VBLK_SLOTS)
#define OFF_DATA    PAGE
#define DMA_PAGES   (1u + VBLK_SLOTS * VBLK_SLOT_BYTES / PAGE)
#define WAIT_NS     5000000000ull

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct blk_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

_Static_assert(sizeof(struct vq_desc) == 16, "virtq_desc layout");
_Static_assert(sizeof(struct blk_hdr) == 16, "virtio_blk_req header layout");
_Static_assert(OFF_STATUS + VBLK_SLOTS <= PAGE, "page 0 overflows");
_Static_assert(VBLK_SLOTS * 3 <= VBLK_QSIZE, "descriptors per slot");

static inline void wr8(volatile uint8_t *b, uint32_t o, uint8_t v) { b[o] = v; }
static inline void wr16(volatile uint8_t *b, uint32_t o, uint16_t v)
{
    *(volatile uint16_t *)(b + o) = v;
}
static inline void wr32(volatile uint8_t *b, uint32_t o, uint32_t v)
{
    *(volatile uint32_t *)(b + o) = v;
}
static inline void wr64(volatile uint8_t *b, uint32_t o, uint64_t v)
{
    wr32(b, o, (uint32_t)v);
    wr32(b, o + 4, (uint32_t)(v >> 32));
}
static inline uint8_t rd8(volatile uint8_t *b, uint32_t o) { return b[o]; }
static inline uint16_t rd16(volatile uint8_t *b, uint32_t o)
{
    return *(volatile uint16_t *)(b + o);
}
static inline uint32_t rd32(volatile uint8_t *b, uint32_t o)
{
    return *(volatile uint32_t *)(b + o);
}

/* One virtio capability: where its registers are. */
struct vcap {
    uint8_t bar;
    uint32_t offset, length, extra;
};

/* Walk the capability list for virtio structures (bounded). */
static err_t find_caps(uint32_t dev, struct vcap caps[5])
{
    uint32_t v;
    err_t e = dev_cfg_read(dev, 0x34, 1, &v);
    for (int n = 0; !e && v >= 0x40 && v < 0x100 && n < 48; n++) {
        uint16_t p = (uint16_t)(v & 0xfc);
        uint32_t id, type, bar, off, len, extra = 0;
        if ((e = dev_cfg_read(dev, p, 1, &id)))
            break;
        if (id == VIRTIO_CAP_VENDOR && p + 16 <= 0x100) {
            dev_cfg_read(dev, (uint16_t)(p + 3), 1, &type);
            dev_cfg_read(dev, (uint16_t)(p + 4), 1, &bar);
            dev_cfg_read(dev, (uint16_t)(p + 8), 4, &off);
            dev_cfg_read(dev, (uint16_t)(p + 12), 4, &len);
            if (type == CFG_NOTIFY && p + 20 <= 0x100)
                dev_cfg_read(dev, (uint16_t)(p + 16), 4, &extra);
            if (type >= 1 && type <= 4 && !caps[type].length && bar <= 5)
                caps[type] = (struct vcap){(uint8_t)bar, off, len, extra};
        }
        e = dev_cfg_read(dev, (uint16_t)(p + 1), 1, &v);
    }
    return e;
}

/* Map BAR `bar` of dev (cached per BAR in maps[]); the structure at
 * [off, off + len) must lie inside it. */
static err_t map_cap(uint32_t dev, const struct vcap *c, uint8_t *maps[6],
                     uint64_t sizes[6], volatile uint8_t **out)
{
    if (!maps[c->bar]) {
        uint32_t mo;
        uint64_t pages, size, addr;
        err_t e = dev_bar(dev, c->bar, &mo);
        if (!e)
            e = capos_memory_object_info(CAPOS_HANDLE(capos_memory_object, mo), &pages, &size, NULL, NULL);
        if (!e)
            e = capos_memory_object_map(CAPOS_HANDLE(capos_memory_object, mo), 0, 0, size, 3, &addr, NULL);
        if (e)
            return e;
        maps[c->bar] = (uint8_t *)(uintptr_t)addr;
        sizes[c->bar] = size;
    }
    if ((uint64_t)c->offset + c->length > sizes[c->bar])
        return ERR_BADFORMAT;
    *out = maps[c->bar] + c->offset;
    return ERR_OK;
}

/* Map the common, notify and device structures. */
static err_t map_regs(struct vblk *b)
{
    struct vcap caps[5] = {{0}};
    uint8_t *maps[6] = {0};
    uint64_t sizes[6] = {0};
    volatile uint8_t *notify_base;
    err_t e = find_caps(b->dev, caps);
    if (e)
        return e;
    if (caps[CFG_COMMON].length < CC_LEN || caps[CFG_DEVICE].length < 8 ||
        caps[CFG_NOTIFY].length < 2)
        return ERR_BADFORMAT;
    if ((e = map_cap(b->dev, &caps[CFG_COMMON], maps, sizes, &b->common)) ||
        (e = map_cap(b->dev, &caps[CFG_NOTIFY], maps, sizes, &notify_base)) ||
        (e = map_cap(b->dev, &caps[CFG_DEVICE], maps, sizes, &b->devcfg)))
        return e;
    b->notify = notify_base;
    b->notify_mult = caps[CFG_NOTIFY].extra;
    return ERR_OK;
}

/* Reset, acknowledge and negotiate features; NOSYS if VERSION_1 is missing
 * or the device refuses our subset. */
static err_t negotiate(struct vblk *b)
{
    volatile uint8_t *cc = b->common;
    wr8(cc, CC_STATUS, 0);
    for (int i = 0; i < 1000 && rd8(cc, CC_STATUS); i++)
        ;
    wr8(cc, CC_STATUS, ST_ACK);
    wr8(cc, CC_STATUS, ST_ACK | ST_DRIVER);
    wr32(cc, CC_DFSELECT, 0);
    uint64_t f = rd32(cc, CC_DF);
    wr32(cc, CC_DFSELECT, 1);
    f |= (uint64_t)rd32(cc, CC_DF) << 32;
    if (!(f & F_VERSION_1))
        return ERR_NOSYS;
    uint64_t want = F_VERSION_1 | (f & (F_RO | F_FLUSH));
    wr32(cc, CC_GFSELECT, 0);
    wr32(cc, CC_GF, (uint32_t)want);
    wr32(cc, CC_GFSELECT, 1);
    wr32(cc, CC_GF, (uint32_t)(want >> 32));
    wr8(cc, CC_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(rd8(cc, CC_STATUS) & ST_FEATURES_OK))
        return ERR_NOSYS;
    b->read_only = want & F_RO;
    b->has_flush = want & F_FLUSH;
    return ERR_OK;
}

/* DMA memory, interrupt routing and queue 0. */
static err_t setup_queue(struct vblk *b, uint32_t factory)
{
    volatile uint8_t *cc = b->common;
    uint32_t mo;
    uint64_t addr;
    err_t e = dev_dma_alloc(b->dev, DMA_PAGES, &mo, &b->dma_addr);
    if (!e)
        e = capos_memory_object_map(CAPOS_HANDLE(capos_memory_object, mo), 0, 0, (uint64_t)DMA_PAGES * PAGE, 3, &addr, NULL);
    if (!e)
        e = notif_create(factory, &b->notif);
    if (!e)
        e = dev_interrupt(b->dev, 0, b->notif, 1, &b->irq);
    if (e)
        return e;
    b->dma = (uint8_t *)(uintptr_t)addr;
    b->desc = (struct vq_desc *)(b->dma + OFF_DESC);
    b->avail = (volatile uint16_t *)(b->dma + OFF_AVAIL);
    b->used = b->dma + OFF_USED;
    wr16(cc, CC_Q_SELECT, 0);
    uint16_t max = rd16(cc, CC_Q_SIZE);
    if (max < VBLK_QSIZE)
        return ERR_NOSYS;
    wr16(cc, CC_Q_SIZE, VBLK_QSIZE);
    wr64(cc, CC_Q_DESC, b->dma_addr + OFF_DESC);
    wr64(cc, CC_Q_DRIVER, b->dma_addr + OFF_AVAIL);
    wr64(cc, CC_Q_DEVICE, b->dma_addr + OFF_USED);
    wr16(cc, CC_MSIX_CONFIG, NO_VECTOR);
    wr16(cc, CC_Q_MSIX, 0);
    if (rd16(cc, CC_Q_MSIX) != 0)
        return ERR_NOSYS;
    b->notify_off = rd16(cc, CC_Q_NOTIFY_OFF);
    wr16(cc, CC_Q_ENABLE, 1);
    return ERR_OK;
}

err_t vblk_init(struct vblk *b, uint32_t dev, uint32_t factory)
{
    memset(b, 0, sizeof *b);
    b->dev = dev;
    uint32_t id, cmd;
    err_t e = dev_cfg_read(dev, 0, 4, &id);
    if (!e && id != (0x1042u << 16 | 0x1af4u))
        e = ERR_NOSYS;
    if (!e)
        e = dev_cfg_read(dev, 0x04, 2, &cmd);
    if (!e)
        e = dev_cfg_write(dev, 0x04, 2, cmd | 0x6u);   /* memory, bus master */
    if (!e)
        e = map_regs(b);
    if (!e)
        e = negotiate(b);
    if (!e)
        e = setup_queue(b, factory);
    if (e) {
        if (b->common)
            wr8(b->common, CC_STATUS, ST_FAILED);
        return e;
    }
    b->sectors = (uint64_t)rd32(b->devcfg, 0) | (uint64_t)rd32(b->devcfg, 4) << 32;
    wr8(b->common, CC_STATUS,
        ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    return ERR_OK;
}

/* Check one request against the disk; the error it gets, or OK. */
static err_t check_req(const struct vblk *b, const struct vblk_req *r)
{
    if (!r->count || r->count > VBLK_SLOT_BYTES / VBLK_SECTOR)
        return ERR_INVAL;
    if (r->sector > b->sectors || r->count > b->sectors - r->sector)
        return ERR_RANGE;
    if (r->write && b->read_only)
        return ERR_PERM;
    return ERR_OK;
}

/* Fill slot s's descriptor chain for a request of `type` with `len`
 * bytes of data (0: no data descriptor) and make it available. */
static void post(struct vblk *b, uint32_t s, uint32_t type, uint64_t sector,
                 uint32_t len, bool device_writes)
{
    uint16_t h = (uint16_t)(3 * s);
    struct blk_hdr *hdr = (struct blk_hdr *)(b->dma + OFF_HDR + 16 * s);
    *hdr = (struct blk_hdr){.type = type, .sector = sector};
    b->dma[OFF_STATUS + s] = 0xff;
    b->desc[h] = (struct vq_desc){b->dma_addr + OFF_HDR + 16 * s, 16, D_NEXT,
                                  (uint16_t)(len ? h + 1 : h + 2)};
    b->desc[h + 1] = (struct vq_desc){b->dma_addr + OFF_DATA + VBLK_SLOT_BYTES * s,
                                      len, (uint16_t)(D_NEXT | (device_writes ? D_WRITE : 0)),
                                      (uint16_t)(h + 2)};
    b->desc[h + 2] = (struct vq_desc){b->dma_addr + OFF_STATUS + s, 1, D_WRITE, 0};
    b->avail[2 + b->avail_idx % VBLK_QSIZE] = h;
    b->avail_idx++;
}

/* Publish the available index and notify queue 0. */
static void kick(struct vblk *b)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    b->avail[1] = b->avail_idx;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr16(b->notify, b->notify_off * b->notify_mult, 0);
}

/* Reap used entries; returns the mask of slots completed (of `busy`). */
static uint32_t reap(struct vblk *b, uint32_t busy)
{
    uint32_t done = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint16_t idx = *(volatile uint16_t *)(b->used + 2);
    while (b->used_idx != idx) {
        uint32_t id = *(volatile uint32_t *)(b->used + 4 + 8 * (b->used_idx % VBLK_QSIZE));
        b->used_idx++;
        if (id % 3 == 0 && id / 3 < VBLK_SLOTS && (busy & (1u << (id / 3))))
            done |= 1u << (id / 3);
    }
    return done;
}

/* Wait until every slot of `busy` completed; TIMEOUT otherwise. */
static err_t wait_slots(struct vblk *b, uint32_t busy)
{
    for (;;) {
        busy &= ~reap(b, busy);
        if (!busy)
            return ERR_OK;
        uint64_t bits;
        err_t e = notif_wait(b->notif, WAIT_NS, &bits);
        if (e)
            return e;
        b->interrupts++;
        if ((e = irq_ack(b->irq)))
            return e;
    }
}

/* The result of slot s from its status byte. */
static err_t slot_status(const struct vblk *b, uint32_t s)
{
    uint8_t st = b->dma[OFF_STATUS + s];
    return st == S_OK ? ERR_OK : st == S_IOERR ? ERR_FAULT : ERR_NOSYS;
}

uint32_t vblk_start(struct vblk *b, struct vblk_req *reqs, uint32_t n)
{
    uint32_t busy = 0;
    for (uint32_t s = 0; s < n && s < VBLK_SLOTS; s++) {
        struct vblk_req *r = &reqs[s];
        r->result = check_req(b, r);
        if (r->result)
            continue;
        uint32_t len = r->count * VBLK_SECTOR;
        if (r->write)
            memcpy(b->dma + OFF_DATA + VBLK_SLOT_BYTES * s, r->buf, len);
        post(b, s, r->write ? T_OUT : T_IN, r->sector, len, !r->write);
        busy |= 1u << s;
    }
    if (busy)
        kick(b);
    return busy;
}

err_t vblk_finish(struct vblk *b, struct vblk_req *reqs, uint32_t n,
                  uint32_t busy)
{
    err_t first = ERR_OK;
    if (busy) {
        err_t e = wait_slots(b, busy);
        for (uint32_t s = 0; s < n; s++) {
            struct vblk_req *r = &reqs[s];
            if (!(busy & (1u << s)))
                continue;
            r->result = e ? e : slot_status(b, s);
            if (!r->result && !r->write)
                memcpy(r->buf, b->dma + OFF_DATA + VBLK_SLOT_BYTES * s,
                       r->count * VBLK_SECTOR);
        }
    }
    for (uint32_t s = 0; s < n && !first; s++)
        first = reqs[s].result;
    return first;
}

err_t vblk_run(struct vblk *b, struct vblk_req *reqs, uint32_t n)
{
    if (n > VBLK_SLOTS)
        return ERR_RANGE;
    return vblk_finish(b, reqs, n, vblk_start(b, reqs, n));
}

err_t vblk_flush(struct vblk *b)
{
    if (!b->has_flush)
        return ERR_OK;
    post(b, 0, T_FLUSH, 0, 0, false);
    kick(b);
    err_t e = wait_slots(b, 1);
    return e ? e : slot_status(b, 0);
}
