/*
 * paging.c - kernel page tables and the generic 4-level walker.
 *
 * paging_init replaces the boot tables (1 GiB mapped twice, all RWX) with:
 *   - the kernel image, page by page: text RX, rodata R+NX, data/bss RW+NX
 *     (the 32-bit boot section is not mapped at all);
 *   - a direct map of usable RAM at DIRECT_MAP_BASE, 2 MiB pages, RW+NX;
 *   - empty top-level tables for the MMIO window.
 * All upper-half PML4 entries are created here, once; process address
 * spaces copy them, and later kernel mappings only fill lower levels, so
 * every address space sees them without synchronisation.
 */
#include <stdbool.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <common/string.h>
#include <kernel/bootinfo.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511)
#define TABLE_FLAGS (PTE_P | PTE_W)
#define SIZE_2M (2ull << 20)

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[];
void pmm_direct_map_ready(void);

static uint64_t kernel_root;
static bool direct_map_live;            /* set once paging_init switched */

/* Kernel address of a page-table frame (direct map once it is live). */
static inline void *pt_virt(uint64_t pa)
{
    return __builtin_expect(direct_map_live, 1) ? phys_to_virt(pa)
                                                : pmm_early_virt(pa);
}
static uint64_t mmio_next = MMIO_BASE;
static struct spinlock mmio_lock = SPINLOCK_INIT("mmio");

uint64_t paging_kernel_root(void)
{
    return kernel_root;
}

void tlb_flush_page(uint64_t va)
{
    invlpg(va);
}

/* The table entry for va at `level` (0 = PT), creating missing tables
 * above it if `create`; NULL if absent or on a large page. */
static uint64_t *pt_entry(uint64_t root, uint64_t va, int level, bool create,
                          uint64_t *tables)
{
    uint64_t *table = pt_virt(root);
    for (int l = 3; l > level; l--) {
        uint64_t *e = &table[PT_INDEX(va, l)];
        if (!(*e & PTE_P)) {
            uint64_t pa;
            if (!create || pmm_alloc_zeroed(&pa))
                return NULL;
            if (tables)
                (*tables)++;
            *e = pa | TABLE_FLAGS | (va < USER_TOP ? PTE_U : 0);
        } else if (*e & PTE_PS) {
            return NULL;
        }
        table = pt_virt(*e & PTE_ADDR);
    }
    return &table[PT_INDEX(va, level)];
}

err_t pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    return pt_map_counted(root, va, pa, flags, NULL);
}

err_t pt_map_counted(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
                     uint64_t *tables)
{
    uint64_t *e = pt_entry(root, va, 0, true, tables);
    if (!e)
        return ERR_NOMEM;
    if (*e & PTE_P)
        return ERR_EXISTS;
    *e = (pa & PTE_ADDR) | flags | PTE_P;
    return ERR_OK;
}

uint64_t pt_unmap(uint64_t root, uint64_t va)
{
    uint64_t *e = pt_entry(root, va, 0, false, NULL);
    if (!e || !(*e & PTE_P))
        return 0;
    uint64_t old = *e;
    *e = 0;
    invlpg(va);
    return old;
}

/* A read-only walk: no creation, no counting (the IPC copy path). */
uint64_t pt_lookup(uint64_t root, uint64_t va)
{
    uint64_t e = root;
    for (int l = 3; l > 0; l--) {
        e = ((const uint64_t *)pt_virt(e & PTE_ADDR))[PT_INDEX(va, l)];
        if ((e & (PTE_P | PTE_PS)) != PTE_P)
            return 0;           /* absent, or a large page: not ours */
    }
    return ((const uint64_t *)pt_virt(e & PTE_ADDR))[PT_INDEX(va, 0)];
}

uint64_t pt_update(uint64_t root, uint64_t va, uint64_t clear, uint64_t set)
{
    uint64_t *e = pt_entry(root, va, 0, false, NULL);
    if (!e || !(*e & PTE_P))
        return 0;
    uint64_t old = *e;
    *e = (old & ~(clear & ~(PTE_P | PTE_ADDR))) | (set & ~(PTE_P | PTE_ADDR));
    invlpg(va);
    return old;
}

uint64_t pt_next_mapped(uint64_t root, uint64_t va, uint64_t end)
{
    while (va < end) {
        uint64_t *table = pt_virt(root);
        int l = 3;
        for (; l >= 0; l--) {
            uint64_t e = table[PT_INDEX(va, l)];
            if (!(e & PTE_P))
                break;
            if (l == 0 || (e & PTE_PS))
                return va;
            table = pt_virt(e & PTE_ADDR);
        }
        /* Nothing mapped in the rest of the absent entry's span. */
        uint64_t span = 1ull << (12 + 9 * l);
        uint64_t next = (va & ~(span - 1)) + span;
        if (next <= va)
            break;
        va = next;
    }
    return end;
}

/* Map [start, end) of the kernel image with `flags`. */
static void map_kernel_range(const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uint64_t)(uintptr_t)start;
         va < (uint64_t)(uintptr_t)end; va += PAGE_SIZE)
        if (pt_map(kernel_root, va, va - KERNEL_VMA, flags | PTE_G))
            panic("paging: cannot map kernel page %#llx", (unsigned long long)va);
}

/* Direct-map physical [base, end) with 2 MiB pages (rounded outward). */
static void map_direct(uint64_t base, uint64_t end)
{
    base &= ~(SIZE_2M - 1);
    if (end > DIRECT_MAP_MAX)
        end = DIRECT_MAP_MAX;
    for (uint64_t pa = base; pa < end; pa += SIZE_2M) {
        uint64_t *e = pt_entry(kernel_root, DIRECT_MAP_BASE + pa, 1, true, NULL);
        if (!e)
            panic("paging: out of memory for the direct map");
        if (!(*e & PTE_P))
            *e = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
    }
}

void paging_init(const struct boot_info *bi)
{
    if (pmm_alloc_zeroed(&kernel_root))
        panic("paging: no frame for the kernel PML4");
    map_kernel_range(_text_start, _text_end, 0);
    map_kernel_range(_rodata_start, _rodata_end, PTE_NX);
    map_kernel_range(_data_start, _data_end, PTE_W | PTE_NX);
    for (uint32_t i = 0; i < bi->nmem; i++)
        if (bi->mem[i].type == BOOT_MEM_USABLE)
            map_direct(bi->mem[i].base, bi->mem[i].base + bi->mem[i].len);
    for (uint32_t i = 0; i < bi->nmods; i++)
        map_direct(bi->mods[i].base, bi->mods[i].base + bi->mods[i].len);
    /* Create every upper-half PML4 entry now (see the file comment). */
    uint64_t *pml4 = pt_virt(kernel_root);
    for (int i = 256; i < 512; i++) {
        uint64_t pa;
        if (pml4[i] & PTE_P)
            continue;
        if (pmm_alloc_zeroed(&pa))
            panic("paging: no frame for kernel PML4 entry %d", i);
        pml4[i] = pa | TABLE_FLAGS;
    }
    write_cr3(kernel_root);
    pmm_direct_map_ready();
    direct_map_live = true;
}

/* Free the page-table tree below `table` (level 3 = PML4) in the user half;
 * frames mapped with PTE_OWNED are freed too.  Returns tables freed. */
static uint64_t pt_free_level(uint64_t table_pa, int level, uint64_t *pages)
{
    uint64_t *t = pt_virt(table_pa), freed = 0;
    int n = level == 3 ? 256 : 512;     /* PML4: user half only */
    for (int i = 0; i < n; i++) {
        uint64_t e = t[i];
        if (!(e & PTE_P))
            continue;
        if (level == 0) {
            if (e & PTE_OWNED) {
                pmm_free(e & PTE_ADDR);
                (*pages)++;
            }
        } else {
            freed += pt_free_level(e & PTE_ADDR, level - 1, pages);
        }
        t[i] = 0;
    }
    if (level < 3) {
        pmm_free(table_pa);
        freed++;
    }
    return freed;
}

uint64_t pt_free_user(uint64_t root, uint64_t *pages)
{
    return pt_free_level(root, 3, pages);
}

void *paging_map_mmio(uint64_t pa, uint64_t size)
{
    uint64_t off = pa & (PAGE_SIZE - 1);
    uint64_t pages = (off + size + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t f = spin_lock_irqsave(&mmio_lock);
    uint64_t va = mmio_next;
    mmio_next += (pages + 1) * PAGE_SIZE;   /* one guard page between */
    spin_unlock_irqrestore(&mmio_lock, f);
    for (uint64_t i = 0; i < pages; i++)
        if (pt_map(kernel_root, va + i * PAGE_SIZE,
                   (pa & ~(uint64_t)(PAGE_SIZE - 1)) + i * PAGE_SIZE,
                   PTE_W | PTE_PCD | PTE_PWT | PTE_NX | PTE_G))
            panic("paging: cannot map MMIO %#llx", (unsigned long long)pa);
    return (void *)(uintptr_t)(va + off);
}
