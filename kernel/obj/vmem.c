/*
 * vmem.c - the VirtualMemory capability: the caller's own address space.
 *
 * A singleton that acts on c->caller, like CapabilityManager: holding
 * it (or being handed it) gives authority over one's own address space
 * only.  It manages three things through the region list of
 * kernel/obj/vmregion.c:
 *   map/unmap           anonymous zeroed memory (VMR_ANON), charged per
 *                       frame to the caller's ledger, refunded on unmap;
 *   reserve             address space without memory (VMR_RESERVE);
 *   commit/decommit     back / release pages inside a reservation;
 *   protect             any page a memory cap mapped (W^X enforced).
 * Nothing outside a record (image, TLS, stack, ring, CapSet page) can be
 * unmapped or re-protected: NOTFOUND inside the memory-cap area, RANGE
 * outside it.
 *
 * No partial effects: pages a map/commit adds are marked PTE_FRESH until
 * the operation succeeds, so a NOMEM half-way unmaps exactly those pages
 * again and refunds the whole charge.  A split on unmap needs one new
 * record, allocated before anything changes.
 */
#include <capos.capnp.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <kernel/kmem.h>
#include <kernel/memcaps.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static const struct kobj_ops vmem_ops = {.name = "vmem", .type = KOBJ_VMEM};
static struct kobj vmem;

struct kobj *vmem_obj(void)
{
    if (!vmem.ops)
        kobj_init(&vmem, &vmem_ops);
    return &vmem;
}

/* Keep (clear PTE_FRESH) or undo (unmap and free) the pages of [va, end)
 * added by the operation in progress.  p->lock held; refunds nothing. */
static void anon_settle(struct process *p, uint64_t va, uint64_t end, bool undo)
{
    while ((va = pt_next_mapped(p->vm.root, va, end)) < end) {
        if (pt_lookup(p->vm.root, va) & PTE_FRESH) {
            if (undo) {
                pmm_free(pt_unmap(p->vm.root, va) & PTE_ADDR);
                p->vm.pages--;
            } else {
                pt_update(p->vm.root, va, PTE_FRESH, 0);
            }
        }
        va += PAGE_SIZE;
    }
}

/* Map a zeroed owned frame at every unmapped page of [va, end) (already
 * charged).  NOMEM leaves the page tables as they were (bar tables). */
static err_t anon_fill(struct process *p, uint64_t va, uint64_t end,
                       uint32_t prot)
{
    uint64_t flags = vmr_pte_flags(prot) | PTE_OWNED | PTE_FRESH;
    err_t r = ERR_OK;
    for (uint64_t a = va; a < end && !r; a += PAGE_SIZE) {
        uint64_t pa;
        if (pt_lookup(p->vm.root, a) & PTE_P)
            continue;
        if (pmm_alloc_zeroed(&pa)) {
            r = ERR_NOMEM;
        } else if ((r = pt_map_counted(p->vm.root, a, pa, flags,
                                       &p->vm.tables))) {
            pmm_free(pa);
        } else {
            p->vm.pages++;
        }
    }
    anon_settle(p, va, end, r != ERR_OK);
    return r;
}

/* Common checks of (addr, size): INVAL, OVERFLOW, RANGE. */
static err_t range_args(struct call_ctx *c, uint64_t va, uint64_t size)
{
    err_t r = vmr_check_range(va, size);
    if (r)
        return call_fail(c, r, r == ERR_INVAL ? "unaligned or empty range"
                               : r == ERR_OVERFLOW ? "address + size overflows"
                                                   : "outside the memory-cap area");
    return ERR_OK;
}

/* Checks of a placement (hint, size) for map/reserve. */
static err_t place_args(struct call_ctx *c, uint64_t hint, uint64_t size)
{
    if ((hint | size) & PAGE_MASK || size == 0)
        return call_fail(c, ERR_INVAL, "unaligned or empty range");
    if (hint)
        return range_args(c, hint, size);
    if (size > MEMCAP_MMAP_TOP - MEMCAP_MMAP_BASE)
        return call_fail(c, ERR_RANGE, "larger than the mmap area");
    return ERR_OK;
}

/* Create a region of `kind` at hint (0: anywhere); ANON regions are
 * backed and charged.  *va gets the address. */
static err_t region_create(struct call_ctx *c, uint64_t hint, uint64_t size,
                           uint32_t kind, uint32_t prot, uint64_t *va)
{
    struct process *p = c->caller;
    uint64_t pages = kind == VMR_ANON ? size / PAGE_SIZE : 0, tables = 0;
    err_t r = memcap_charge(p, pages);
    if (!r && kind == VMR_ANON && (r = vmr_charge_tables(p, size, &tables)))
        memcap_refund(p, pages);
    if (r)
        return call_fail(c, r, "frame quota exceeded");
    struct vm_mapping *m = NULL;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!(r = vmr_alloc(p, &m)) && !(r = vmr_place(p, hint, size, va)) &&
        !(r = kind == VMR_ANON ? anon_fill(p, *va, *va + size, prot) : ERR_OK)) {
        *m = (struct vm_mapping){.va = *va, .pages = size / PAGE_SIZE,
                                 .kind = kind};
        vmr_link(p, m);
        m = NULL;
    }
    if (kind == VMR_ANON)
        vmr_settle_tables(p, size, tables);
    spin_unlock_irqrestore(&p->lock, f);
    vmr_free(m);
    if (r) {
        memcap_refund(p, pages);
        if (r == ERR_QUOTA && kind == VMR_RESERVE)
            r = ERR_NOMEM;
        return call_fail(c, r, r == ERR_EXISTS ? "address range in use"
                               : r == ERR_QUOTA ? "too many regions"
                                                : "out of memory");
    }
    return ERR_OK;
}

static int vmem_map(void *ctx, capos_virtual_memory_map_params_r params,
                    capos_virtual_memory_map_results_b results)
{
    uint64_t hint = capos_virtual_memory_map_params_get_hint(params);
    uint64_t size = capos_virtual_memory_map_params_get_size(params);
    uint32_t prot = capos_virtual_memory_map_params_get_prot(params);
    uint64_t va = 0;
    err_t r = vmr_check_prot(prot);
    if (r)
        return call_fail(ctx, r, "bad protection (none, unknown bits or W+X)");
    if ((r = place_args(ctx, hint, size)) ||
        (r = region_create(ctx, hint, size, VMR_ANON, prot, &va)))
        return r;
    capos_virtual_memory_map_results_set_addr(results, va);
    return ERR_OK;
}

static int vmem_reserve(void *ctx, capos_virtual_memory_reserve_params_r params,
                        capos_virtual_memory_reserve_results_b results)
{
    uint64_t hint = capos_virtual_memory_reserve_params_get_hint(params);
    uint64_t size = capos_virtual_memory_reserve_params_get_size(params);
    uint64_t va = 0;
    err_t r;
    if ((r = place_args(ctx, hint, size)) ||
        (r = region_create(ctx, hint, size, VMR_RESERVE, 0, &va)))
        return r;
    capos_virtual_memory_reserve_results_set_addr(results, va);
    return ERR_OK;
}

/* Remove [va, end) from p's records (p->lock held; the range is covered
 * by ANON/RESERVE records).  A record strictly containing the range is
 * split using *spare; records inside it move to *dead. */
static void carve(struct process *p, uint64_t va, uint64_t end,
                  struct vm_mapping **spare, struct vm_mapping **dead)
{
    struct vm_mapping **pp = &p->mappings;
    while (*pp && (*pp)->va < end) {
        struct vm_mapping *m = *pp;
        uint64_t mend = m->va + m->pages * PAGE_SIZE;
        if (mend <= va) {
            pp = &m->next;
        } else if (m->va >= va && mend <= end) {
            *pp = m->next;
            m->next = *dead;
            *dead = m;
        } else if (m->va < va && mend > end) {
            struct vm_mapping *s = *spare;
            assert(s != NULL);          /* the caller allocated it */
            *spare = NULL;
            *s = (struct vm_mapping){.next = m->next, .va = end,
                                     .pages = (mend - end) / PAGE_SIZE,
                                     .kind = m->kind};
            m->next = s;
            m->pages = (va - m->va) / PAGE_SIZE;
            return;
        } else if (m->va < va) {
            m->pages = (va - m->va) / PAGE_SIZE;
            pp = &m->next;
        } else {
            m->pages = (mend - end) / PAGE_SIZE;
            m->va = end;
            return;
        }
    }
}

/* True if one record of p strictly contains [va, end) (a split). */
static bool needs_split(struct process *p, uint64_t va, uint64_t end)
{
    for (struct vm_mapping *m = p->mappings; m && m->va < va; m = m->next)
        if (m->va + m->pages * PAGE_SIZE > end)
            return true;
    return false;
}

static int vmem_unmap(void *ctx, capos_virtual_memory_unmap_params_r params,
                      capos_virtual_memory_unmap_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    uint64_t va = capos_virtual_memory_unmap_params_get_addr(params);
    uint64_t size = capos_virtual_memory_unmap_params_get_size(params);
    struct vm_mapping *spare = NULL, *dead = NULL;
    err_t r = range_args(c, va, size);
    if (r)
        return r;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!vmr_covered(p, va, va + size, VMR_BIT(VMR_ANON) | VMR_BIT(VMR_RESERVE)))
        r = call_fail(c, ERR_NOTFOUND, "not memory VirtualMemory mapped");
    else if (needs_split(p, va, va + size) && (r = vmr_alloc(p, &spare)))
        call_fail(c, r, "no record for splitting the region");
    if (!r) {
        vmr_unmap_pages(p, va, va + size);
        carve(p, va, va + size, &spare, &dead);
    }
    spin_unlock_irqrestore(&p->lock, f);
    vmr_free(spare);
    while (dead) {
        struct vm_mapping *next = dead->next;
        vmr_free(dead);
        dead = next;
    }
    return r;
}

/* Decode-time checks shared by protect and commit: INVAL, RANGE... */
static err_t prot_range_args(struct call_ctx *c, uint64_t va, uint64_t size,
                             uint32_t prot)
{
    err_t r = vmr_check_prot(prot);
    if (r)
        return call_fail(c, r, "bad protection (none, unknown bits or W+X)");
    return range_args(c, va, size);
}

static int vmem_protect(void *ctx, capos_virtual_memory_protect_params_r params,
                        capos_virtual_memory_protect_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    uint64_t va = capos_virtual_memory_protect_params_get_addr(params);
    uint64_t size = capos_virtual_memory_protect_params_get_size(params);
    uint32_t prot = capos_virtual_memory_protect_params_get_prot(params);
    err_t r = prot_range_args(c, va, size, prot);
    if (r)
        return r;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!vmr_covered(p, va, va + size, ~0u) ||
        vmr_count_mapped(p, va, va + size) != size / PAGE_SIZE) {
        r = call_fail(c, ERR_NOTFOUND, "pages not mapped by a memory capability");
    } else if ((prot & VM_EXEC) &&
               !vmr_covered(p, va, va + size,
                            VMR_BIT(VMR_ANON) | VMR_BIT(VMR_RESERVE))) {
        /* Shared memory stays writable elsewhere: never executable. */
        r = call_fail(c, ERR_PERM, "a MemoryObject mapping is never executable");
    } else {
        for (uint64_t a = va; a < va + size; a += PAGE_SIZE)
            pt_update(p->vm.root, a, PTE_W | PTE_NX, vmr_pte_flags(prot));
    }
    spin_unlock_irqrestore(&p->lock, f);
    return r;
}

static int vmem_commit(void *ctx, capos_virtual_memory_commit_params_r params,
                       capos_virtual_memory_commit_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    uint64_t va = capos_virtual_memory_commit_params_get_addr(params);
    uint64_t size = capos_virtual_memory_commit_params_get_size(params);
    uint32_t prot = capos_virtual_memory_commit_params_get_prot(params);
    err_t r = prot_range_args(c, va, size, prot);
    if (r)
        return r;
    uint64_t f = spin_lock_irqsave(&p->lock);
    uint64_t absent = 0, tables = 0;
    if (!vmr_covered(p, va, va + size, VMR_BIT(VMR_RESERVE))) {
        r = call_fail(c, ERR_NOTFOUND, "not inside a reservation");
    } else {
        absent = size / PAGE_SIZE - vmr_count_mapped(p, va, va + size);
        if ((r = memcap_charge(p, absent))) {
            call_fail(c, r, "frame quota exceeded");
        } else if ((r = vmr_charge_tables(p, size, &tables))) {
            memcap_refund(p, absent);
            call_fail(c, r, "frame quota exceeded");
        } else {
            if ((r = anon_fill(p, va, va + size, prot)))
                memcap_refund(p, absent);
            vmr_settle_tables(p, size, tables);
        }
    }
    spin_unlock_irqrestore(&p->lock, f);
    if (r == ERR_NOMEM)
        call_fail(c, r, "out of memory");
    return r;
}

static int vmem_decommit(void *ctx, capos_virtual_memory_decommit_params_r params,
                         capos_virtual_memory_decommit_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    uint64_t va = capos_virtual_memory_decommit_params_get_addr(params);
    uint64_t size = capos_virtual_memory_decommit_params_get_size(params);
    err_t r = range_args(c, va, size);
    if (r)
        return r;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!vmr_covered(p, va, va + size, VMR_BIT(VMR_RESERVE)))
        r = call_fail(c, ERR_NOTFOUND, "not inside a reservation");
    else
        vmr_unmap_pages(p, va, va + size);
    spin_unlock_irqrestore(&p->lock, f);
    return r;
}

static const capos_virtual_memory_server_t vmem_server = {
    .map = vmem_map,
    .unmap = vmem_unmap,
    .protect = vmem_protect,
    .reserve = vmem_reserve,
    .commit = vmem_commit,
    .decommit = vmem_decommit,
};

static int vmem_dispatch(struct call_ctx *c, uint16_t m,
                         struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_virtual_memory_dispatch(&vmem_server, c, m, params, res);
}

const struct kiface virtual_memory_iface = {
    .id = CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, .name = "VirtualMemory",
    .dispatch = vmem_dispatch};
