/*
 * pmm.c - physical memory manager: frame allocator + lock + boot setup.
 *
 * pmm_init sizes the allocator's bitmap for the highest usable address
 * (capped at the direct map's 512 GiB), places it in the first usable
 * range below 1 GiB that avoids the kernel, the modules and the loader's
 * info (before paging_init only that much is mapped), adds every usable
 * range and then reserves what must never be handed out.  All later calls
 * go through one irq-safe spinlock; per-CPU frame caches can sit in front
 * of it when SMP needs them.
 */
#include <stdbool.h>
#include <arch/layout.h>
#include <common/string.h>
#include <kernel/bootinfo.h>
#include <kernel/frame.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define EARLY_LIMIT (1ull << 30)
#define LOW_MEMORY  (1ull << 20)

extern char _kernel_phys_start[], _kernel_phys_end[];

static struct frame_alloc pmm;
static struct spinlock pmm_lock = SPINLOCK_INIT("pmm");
static bool pmm_direct_map;

bool pmm_range_known(uint64_t pa, uint64_t len)
{
    uint64_t f = spin_lock_irqsave(&pmm_lock);
    bool known = false;
    for (uint64_t a = pa & ~(uint64_t)(FRAME_SIZE - 1); a < pa + len && !known;
         a += FRAME_SIZE)
        known = frame_state(&pmm, a) != FRAME_ABSENT;
    spin_unlock_irqrestore(&pmm_lock, f);
    return known;
}

void *pmm_early_virt(uint64_t pa)
{
    if (pmm_direct_map)
        return phys_to_virt(pa);
    if (pa >= EARLY_LIMIT)
        panic("pmm: early access to %#llx above 1 GiB", (unsigned long long)pa);
    return (void *)(uintptr_t)(KERNEL_VMA + pa);
}

/* Called by paging_init once the direct map is live. */
void pmm_direct_map_ready(void);
void pmm_direct_map_ready(void)
{
    /* Move the bitmaps from the boot alias to the direct map. */
    uint64_t delta = DIRECT_MAP_BASE - KERNEL_VMA;
    pmm.bitmap = (uint64_t *)(uintptr_t)((uint64_t)(uintptr_t)pmm.bitmap + delta);
    pmm.ram = (uint64_t *)(uintptr_t)((uint64_t)(uintptr_t)pmm.ram + delta);
    pmm.rsvd = (uint64_t *)(uintptr_t)((uint64_t)(uintptr_t)pmm.rsvd + delta);
    pmm_direct_map = true;
}

struct range {
    uint64_t base, end;
};

/* Collect the ranges the bitmap must avoid; returns their count. */
static int pmm_avoid(const struct boot_info *bi, struct range *r)
{
    int n = 0;
    r[n++] = (struct range){0, LOW_MEMORY};
    r[n++] = (struct range){(uint64_t)(uintptr_t)_kernel_phys_start,
                            (uint64_t)(uintptr_t)_kernel_phys_end};
    r[n++] = (struct range){bi->info_base, bi->info_base + bi->info_len};
    for (uint32_t i = 0; i < bi->nmods; i++)
        r[n++] = (struct range){bi->mods[i].base,
                                bi->mods[i].base + bi->mods[i].len};
    return n;
}

/* First page-aligned spot of `size` bytes in usable RAM below 1 GiB. */
static uint64_t pmm_place(const struct boot_info *bi, uint64_t size)
{
    struct range avoid[3 + BOOT_MAX_MODS];
    int navoid = pmm_avoid(bi, avoid);
    for (uint32_t i = 0; i < bi->nmem; i++) {
        const struct boot_mem_range *m = &bi->mem[i];
        if (m->type != BOOT_MEM_USABLE)
            continue;
        uint64_t at = (m->base + 4095) & ~4095ull, end = m->base + m->len;
        for (int moved = 1; moved;) {
            moved = 0;
            for (int k = 0; k < navoid; k++)
                if (at < avoid[k].end && avoid[k].base < at + size) {
                    at = (avoid[k].end + 4095) & ~4095ull;
                    moved = 1;
                }
        }
        if (at + size <= end && at + size <= EARLY_LIMIT)
            return at;
    }
    panic("pmm: no room for the frame bitmap (%llu bytes)",
          (unsigned long long)size);
}

void pmm_init(const struct boot_info *bi)
{
    uint64_t max = bootinfo_max_usable(bi);
    if (max > DIRECT_MAP_MAX)
        max = DIRECT_MAP_MAX;
    size_t words = frame_alloc_bitmap_words(max);
    uint64_t bytes = ((uint64_t)words * 8 + 4095) & ~4095ull;
    uint64_t at = pmm_place(bi, bytes);
    uint64_t *bitmap = pmm_early_virt(at);
    memset(bitmap, 0, bytes);
    if (frame_alloc_init(&pmm, bitmap, words, max))
        panic("pmm: frame_alloc_init failed");
    for (uint32_t i = 0; i < bi->nmem; i++)
        if (bi->mem[i].type == BOOT_MEM_USABLE)
            frame_alloc_add_free(&pmm, bi->mem[i].base, bi->mem[i].len);
    struct range avoid[3 + BOOT_MAX_MODS];
    int navoid = pmm_avoid(bi, avoid);
    for (int k = 0; k < navoid; k++)
        frame_alloc_reserve(&pmm, avoid[k].base, avoid[k].end - avoid[k].base);
    frame_alloc_reserve(&pmm, at, bytes);
}

err_t pmm_alloc(uint64_t *pa)
{
    uint64_t f = spin_lock_irqsave(&pmm_lock);
    err_t r = frame_alloc_one(&pmm, pa);
    spin_unlock_irqrestore(&pmm_lock, f);
    return r;
}

err_t pmm_alloc_zeroed(uint64_t *pa)
{
    err_t r = pmm_alloc(pa);
    if (r == ERR_OK)
        memset(pmm_early_virt(*pa), 0, 4096);
    return r;
}

err_t pmm_alloc_contig(uint64_t n, uint64_t align, uint64_t *pa)
{
    uint64_t f = spin_lock_irqsave(&pmm_lock);
    err_t r = frame_alloc_contig(&pmm, n, align, pa);
    spin_unlock_irqrestore(&pmm_lock, f);
    return r;
}

void pmm_free(uint64_t pa)
{
    uint64_t f = spin_lock_irqsave(&pmm_lock);
    err_t r = frame_free(&pmm, pa);
    spin_unlock_irqrestore(&pmm_lock, f);
    if (r)
        panic("pmm: bad free of %#llx: %s", (unsigned long long)pa, err_name(r));
}

void pmm_free_contig(uint64_t pa, uint64_t n)
{
    uint64_t f = spin_lock_irqsave(&pmm_lock);
    err_t r = frame_free_contig(&pmm, pa, n);
    spin_unlock_irqrestore(&pmm_lock, f);
    if (r)
        panic("pmm: bad free of %llu frames at %#llx: %s",
              (unsigned long long)n, (unsigned long long)pa, err_name(r));
}

uint64_t pmm_free_frames(void)
{
    return __atomic_load_n(&pmm.free, __ATOMIC_RELAXED);
}

uint64_t pmm_total_frames(void)
{
    return pmm.total;
}
