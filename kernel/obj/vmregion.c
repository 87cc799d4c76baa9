/*
 * vmregion.c - the frame ledger and the per-process region list shared
 * by MemoryObject.map and VirtualMemory.
 *
 * Every range a memory cap maps or reserves is one record in
 * p->mappings, sorted by address and disjoint: VMR_MEMOBJ (frames of a
 * MemoryObject, not owned by the page tables; the record holds a
 * reference to the object), VMR_ANON (owned zeroed frames, PTE_OWNED,
 * charged to p) and VMR_RESERVE (address space only; committed pages are
 * owned and charged like VMR_ANON).  Only pages inside a record can be
 * unmapped, re-protected, committed or decommitted, so the ELF image,
 * TLS, stack, ring and CapSet page (which have no record) are out of
 * reach; those above MEMCAP_VA_MAX are even out of range.
 *
 * Ledger: frames allocated through memory caps are charged to the
 * caller's quota (kernel/proc/quota.c: p->charged[QUOTA_FRAMES], with
 * everything else the process uses), atomically, because a MemoryObject
 * may die (and refund) in another process's context.  Page tables a
 * mapping adds are charged too: the most it can add before the mapping
 * (vmr_charge_tables), the rest refunded after (vmr_settle_tables); they
 * stay charged until the address space goes.
 *
 * Locking: p->lock guards p->mappings and p's page tables.  Records are
 * freed (and MemoryObject references dropped) only after p->lock is
 * released, because a last put can run destroy hooks.
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <kernel/kmem.h>
#include <kernel/memcaps.h>
#include <kernel/pmm.h>
#include <kernel/proc.h>

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

err_t memcap_charge(struct process *p, uint64_t n)
{
    return quota_charge(p, QUOTA_FRAMES, n);
}

void memcap_refund(struct process *p, uint64_t n)
{
    quota_refund(p, QUOTA_FRAMES, n);
}

/* Page-table frames a mapping of `size` bytes may add, at most, wherever
 * it lands: one table per 2 MiB, 1 GiB and 512 GiB span touched. */
static uint64_t tables_max(uint64_t size)
{
    return (size >> 21) + 2 + (size >> 30) + 2 + (size >> 39) + 2;
}

err_t vmr_charge_tables(struct process *p, uint64_t size, uint64_t *before)
{
    *before = p->vm.tables;
    return quota_charge(p, QUOTA_FRAMES, tables_max(size));
}

void vmr_settle_tables(struct process *p, uint64_t size, uint64_t before)
{
    uint64_t added = p->vm.tables - before;
    p->frames_own += added;         /* freed with the address space */
    quota_refund(p, QUOTA_FRAMES, tables_max(size) - added);
}

err_t vmr_check_range(uint64_t va, uint64_t size)
{
    if ((va & PAGE_MASK) || (size & PAGE_MASK) || size == 0)
        return ERR_INVAL;
    if (va + size < va)
        return ERR_OVERFLOW;
    if (va < MEMCAP_VA_MIN || va + size > MEMCAP_VA_MAX)
        return ERR_RANGE;
    return ERR_OK;
}

err_t vmr_check_prot(uint32_t prot)
{
    if (prot == 0 || (prot & ~MEMCAP_PROT_ALL))
        return ERR_INVAL;
    if ((prot & VM_WRITE) && (prot & VM_EXEC))
        return ERR_INVAL;
    return ERR_OK;
}

uint64_t vmr_pte_flags(uint32_t prot)
{
    return PTE_U | (prot & VM_WRITE ? PTE_W : 0) | (prot & VM_EXEC ? 0 : PTE_NX);
}

uint64_t vmr_count_mapped(struct process *p, uint64_t va, uint64_t end)
{
    uint64_t n = 0;
    while ((va = pt_next_mapped(p->vm.root, va, end)) < end) {
        n++;
        va += PAGE_SIZE;
    }
    return n;
}

/* The first record overlapping [va, end), or NULL. */
static struct vm_mapping *vmr_overlap(struct process *p, uint64_t va,
                                      uint64_t end)
{
    for (struct vm_mapping *m = p->mappings; m && m->va < end; m = m->next)
        if (m->va + m->pages * PAGE_SIZE > va)
            return m;
    return NULL;
}

err_t vmr_place(struct process *p, uint64_t hint, uint64_t size, uint64_t *va)
{
    if (hint) {
        if (vmr_overlap(p, hint, hint + size) ||
            pt_next_mapped(p->vm.root, hint, hint + size) != hint + size)
            return ERR_EXISTS;
        *va = hint;
        return ERR_OK;
    }
    uint64_t cand = MEMCAP_MMAP_BASE;
    while (cand <= MEMCAP_MMAP_TOP && size <= MEMCAP_MMAP_TOP - cand) {
        struct vm_mapping *m = vmr_overlap(p, cand, cand + size);
        if (m) {
            cand = m->va + m->pages * PAGE_SIZE;
            continue;
        }
        uint64_t hit = pt_next_mapped(p->vm.root, cand, cand + size);
        if (hit == cand + size) {
            *va = cand;
            return ERR_OK;
        }
        cand = hit + PAGE_SIZE;
    }
    return ERR_NOMEM;
}

err_t vmr_alloc(struct process *p, struct vm_mapping **out)
{
    uint32_t n = 0;
    for (struct vm_mapping *m = p->mappings; m; m = m->next)
        n++;
    if (n >= MEMCAP_REGIONS_MAX)
        return ERR_QUOTA;
    *out = kzalloc(sizeof **out);
    return *out ? ERR_OK : ERR_NOMEM;
}

void vmr_link(struct process *p, struct vm_mapping *m)
{
    struct vm_mapping **pp = &p->mappings;
    while (*pp && (*pp)->va < m->va)
        pp = &(*pp)->next;
    m->next = *pp;
    *pp = m;
}

void vmr_unlink(struct process *p, struct vm_mapping *m)
{
    for (struct vm_mapping **pp = &p->mappings; *pp; pp = &(*pp)->next)
        if (*pp == m) {
            *pp = m->next;
            m->next = NULL;
            return;
        }
}

bool vmr_covered(struct process *p, uint64_t va, uint64_t end, uint32_t kinds)
{
    for (struct vm_mapping *m = p->mappings; m && va < end; m = m->next) {
        uint64_t mend = m->va + m->pages * PAGE_SIZE;
        if (mend <= va)
            continue;
        if (m->va > va || !(kinds & VMR_BIT(m->kind)))
            return false;
        va = mend;
    }
    return va >= end;
}

void vmr_unmap_pages(struct process *p, uint64_t va, uint64_t end)
{
    uint64_t freed = 0;
    while ((va = pt_next_mapped(p->vm.root, va, end)) < end) {
        uint64_t pte = pt_unmap(p->vm.root, va);
        if (pte & PTE_OWNED) {
            pmm_free(pte & PTE_ADDR);
            p->vm.pages--;
            freed++;
        }
        va += PAGE_SIZE;
    }
    if (freed)
        memcap_refund(p, freed);
}

void vmr_free(struct vm_mapping *m)
{
    if (!m)
        return;
    if (m->mo)
        kobj_put(&m->mo->obj);
    kfree(m);
}

void memobj_proc_exit(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    struct vm_mapping *list = p->mappings;
    p->mappings = NULL;
    for (struct vm_mapping *m = list; m && p->vm.root; m = m->next)
        vmr_unmap_pages(p, m->va, m->va + m->pages * PAGE_SIZE);
    spin_unlock_irqrestore(&p->lock, f);
    while (list) {
        struct vm_mapping *next = list->next;
        vmr_free(list);
        list = next;
    }
}
