/*
 * kstack.c - kernel stacks with guard pages (see kernel/kstack.h).
 *
 * The window is divided into slots of KSTACK_PAGES + 1 pages; slot i's
 * lowest page is the guard.  Free slots are found in a bitmap under one
 * lock; frames come from the pmm one at a time and are mapped RW+NX.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <common/bitmap.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#define SLOT_PAGES (KSTACK_PAGES + 1)
#define SLOT_SIZE ((uint64_t)SLOT_PAGES * PAGE_SIZE)
#define NSLOTS 4096u

static uint64_t slots[NSLOTS / 64];
static uint64_t live;
static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");

/* Take a free slot index, or NSLOTS if none. */
static uint32_t slot_take(void)
{
    uint64_t f = spin_lock_irqsave(&kstack_lock);
    uint32_t i = 0;
    while (i < NSLOTS && bitmap_test(slots, i))
        i++;
    if (i < NSLOTS) {
        bitmap_set(slots, i);
        live++;
    }
    spin_unlock_irqrestore(&kstack_lock, f);
    return i;
}

static void slot_give(uint32_t i)
{
    uint64_t f = spin_lock_irqsave(&kstack_lock);
    bitmap_clear(slots, i);
    live--;
    spin_unlock_irqrestore(&kstack_lock, f);
}

/* Unmap and free pages [1, upto] of slot i (page 0 is the guard). */
static void slot_unmap(uint32_t i, uint32_t upto)
{
    uint64_t base = KSTACK_BASE + i * SLOT_SIZE;
    for (uint32_t p = 1; p <= upto; p++) {
        uint64_t pte = pt_unmap(paging_kernel_root(), base + p * PAGE_SIZE);
        if (pte & PTE_P)
            pmm_free(pte & PTE_ADDR);
    }
}

err_t kstack_alloc(uint64_t *top)
{
    uint32_t i = slot_take();
    if (i == NSLOTS)
        return ERR_NOMEM;
    uint64_t base = KSTACK_BASE + i * SLOT_SIZE;
    for (uint32_t p = 1; p <= KSTACK_PAGES; p++) {
        uint64_t pa;
        if (pmm_alloc(&pa) ||
            pt_map(paging_kernel_root(), base + p * PAGE_SIZE, pa,
                   PTE_W | PTE_NX | PTE_G)) {
            slot_unmap(i, p - 1);
            slot_give(i);
            return ERR_NOMEM;
        }
    }
    *top = base + SLOT_SIZE;
    return ERR_OK;
}

void kstack_free(uint64_t top)
{
    uint32_t i = (uint32_t)((top - KSTACK_BASE) / SLOT_SIZE) - 1;
    if (top < KSTACK_BASE || i >= NSLOTS || !bitmap_test(slots, i))
        panic("kstack: free of %#llx, not a kernel stack", (unsigned long long)top);
    slot_unmap(i, KSTACK_PAGES);
    slot_give(i);
}

void kstack_init(void)
{
    /* Create every page table of the window now (one per 2 MiB), so that
     * stacks never allocate table frames: a process's frames come back
     * exactly at its exit. */
    uint64_t pa;
    if (pmm_alloc(&pa))
        panic("kstack: no frame at boot");
    for (uint64_t va = KSTACK_BASE; va < KSTACK_BASE + NSLOTS * SLOT_SIZE;
         va += 2ull << 20) {
        if (pt_map(paging_kernel_root(), va, pa, PTE_NX))
            panic("kstack: cannot build the stack window");
        pt_unmap(paging_kernel_root(), va);
    }
    pmm_free(pa);
}

bool kstack_is_guard(uint64_t va)
{
    if (va < KSTACK_BASE || va >= KSTACK_BASE + NSLOTS * SLOT_SIZE)
        return false;
    return (va - KSTACK_BASE) % SLOT_SIZE < PAGE_SIZE;
}

uint64_t kstack_live(void)
{
    return live;
}
