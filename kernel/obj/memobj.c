/*
 * memobj.c - the MemoryObject capability: a range of physically
 * contiguous frames.
 *
 * Lifecycle: FrameAllocator creates a root object (memobj_create): the
 * frames are charged to the caller's ledger first, then allocated and
 * zeroed; the object keeps a reference to the charged process and
 * refunds it when it dies.  subrange makes a child that shares the
 * frames and holds a reference to its parent, so frames live while any
 * cap, child or mapping (each mapping record holds a reference) does.
 * The last reference frees the frames (root) or drops the parent
 * (child); the destroy hook takes no lock.
 *
 * Revocation: there is no revoke method, but kobj_revoke on an object
 * (kernel-internal) revokes its caps, and a child remembers its parent's
 * epoch: every method of a child whose ancestor was revoked fails with
 * REVOKED.  Existing mappings are not torn down by a revoke.
 *
 * Every method checks all of its arguments before it changes anything
 * (decode, then invoke); map and unmap act on the caller's address space
 * under the caller's lock.  Design notes: docs/memory.md.
 */
#include <capos.capnp.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <common/string.h>
#include <kernel/kmem.h>
#include <kernel/memcaps.h>
#include <kernel/pmm.h>
#include <kernel/proc.h>

#define PAGE_MASK ((uint64_t)PAGE_SIZE - 1)

static void memobj_destroy(struct kobj *o);
static const struct kobj_ops memobj_ops = {
    .name = "memobj", .type = KOBJ_MEMOBJ, .destroy = memobj_destroy};

/* Last reference gone: free the frames and refund (root) or drop the
 * parent (child).  Runs in any context; takes no process lock. */
static void memobj_destroy(struct kobj *o)
{
    struct memobj *mo = (struct memobj *)o;
    if (mo->parent) {
        kobj_put(&mo->parent->obj);
    } else if (!mo->device) {
        pmm_free_contig(mo->pa, mo->pages);
        memcap_refund(mo->charged, mo->pages);
        kobj_put(&mo->charged->obj);
    }
    kfree(mo);
}

err_t memobj_create(struct process *p, uint64_t pages, struct memobj **out)
{
    err_t r = memcap_charge(p, pages);
    if (r)
        return r;
    struct memobj *mo = kzalloc(sizeof *mo);
    if (!mo || pmm_alloc_contig(pages, 1, &mo->pa)) {
        kfree(mo);
        memcap_refund(p, pages);
        return ERR_NOMEM;
    }
    memset(phys_to_virt(mo->pa), 0, pages * PAGE_SIZE);
    mo->pages = pages;
    mo->charged = p;
    kobj_get(&p->obj);
    kobj_init(&mo->obj, &memobj_ops);
    *out = mo;
    return ERR_OK;
}

err_t memobj_create_device(uint64_t pa, uint64_t pages, struct memobj **out)
{
    struct memobj *mo = kzalloc(sizeof *mo);
    if (!mo)
        return ERR_NOMEM;
    *mo = (struct memobj){.pa = pa, .pages = pages, .device = true};
    kobj_init(&mo->obj, &memobj_ops);
    *out = mo;
    return ERR_OK;
}

/* Refuse kernel reads and writes of device registers (PERM). */
static err_t memobj_check_ram(struct call_ctx *c, const struct memobj *mo)
{
    if (mo->device)
        return call_fail(c, ERR_PERM, "device memory is reached by mapping it");
    return ERR_OK;
}

/* False if an ancestor of mo was revoked after mo was made from it. */
static bool memobj_alive(const struct memobj *mo)
{
    for (; mo->parent; mo = mo->parent)
        if (kobj_epoch(&mo->parent->obj) != mo->parent_epoch)
            return false;
    return true;
}

/* The invoked object, or NULL (after call_fail) if it is revoked. */
static struct memobj *memobj_target(struct call_ctx *c)
{
    struct memobj *mo = (struct memobj *)c->target;
    if (!memobj_alive(mo)) {
        call_fail(c, ERR_REVOKED, "the parent memory object was revoked");
        return NULL;
    }
    return mo;
}

/* OVERFLOW / RANGE for a byte range [off, off + len) of mo. */
static err_t memobj_check_bytes(struct call_ctx *c, const struct memobj *mo,
                                uint64_t off, uint64_t len)
{
    if (off + len < off)
        return call_fail(c, ERR_OVERFLOW, "offset + length overflows");
    if (off + len > mo->pages * PAGE_SIZE)
        return call_fail(c, ERR_RANGE, "range beyond the object");
    return ERR_OK;
}

static int memobj_info(void *ctx, capos_memory_object_info_params_r params,
                       capos_memory_object_info_results_b results)
{
    (void)params;
    struct memobj *mo = memobj_target(ctx);
    if (!mo)
        return ERR_REVOKED;
    capos_memory_object_info_results_set_pages(results, mo->pages);
    capos_memory_object_info_results_set_size(results, mo->pages * PAGE_SIZE);
    capos_memory_object_info_results_set_phys_addr(results, mo->pa);
    return ERR_OK;
}

/* Results larger than the result buffer (or CALL_RESULT_MAX) fail with
 * TOOSMALL when the kernel copies them out. */
static int memobj_read(void *ctx, capos_memory_object_read_params_r params,
                       capos_memory_object_read_results_b results)
{
    struct memobj *mo = memobj_target(ctx);
    if (!mo)
        return ERR_REVOKED;
    uint64_t off = capos_memory_object_read_params_get_offset(params);
    uint32_t len = capos_memory_object_read_params_get_len(params);
    err_t r = memobj_check_ram(ctx, mo);
    if (!r)
        r = memobj_check_bytes(ctx, mo, off, len);
    if (r)
        return r;
    if (len > CALL_RESULT_MAX)
        return call_fail(ctx, ERR_TOOSMALL, "read exceeds the kernel's result limit");
    capos_memory_object_read_results_set_data(
        results, (const uint8_t *)phys_to_virt(mo->pa) + off, len);
    return ERR_OK;
}

static int memobj_write(void *ctx, capos_memory_object_write_params_r params,
                        capos_memory_object_write_results_b results)
{
    (void)results;
    struct memobj *mo = memobj_target(ctx);
    if (!mo)
        return ERR_REVOKED;
    uint64_t off = capos_memory_object_write_params_get_offset(params);
    struct capnp_data d = capos_memory_object_write_params_get_data(params);
    err_t r = memobj_check_ram(ctx, mo);
    if (!r)
        r = memobj_check_bytes(ctx, mo, off, d.len);
    if (r)
        return r;
    memcpy((uint8_t *)phys_to_virt(mo->pa) + off, d.ptr, d.len);
    return ERR_OK;
}

/* Decode map's arguments: INVAL, OVERFLOW, RANGE; nothing changes. */
static err_t map_check(struct call_ctx *c, const struct memobj *mo,
                       uint64_t hint, uint64_t off, uint64_t size, uint32_t prot)
{
    err_t r = vmr_check_prot(prot);
    if (r)
        return call_fail(c, r, "bad protection (none, unknown bits or W+X)");
    /* W^X holds across mappings too: a MemoryObject can be written through
     * another mapping or MemoryObject.write at any time, so it is never
     * mapped executable. */
    if (prot & VM_EXEC)
        return call_fail(c, ERR_PERM, "a MemoryObject is never executable");
    if ((off | size | hint) & PAGE_MASK || size == 0)
        return call_fail(c, ERR_INVAL, "unaligned or empty range");
    if ((r = memobj_check_bytes(c, mo, off, size)))
        return r;
    if (hint && (r = vmr_check_range(hint, size)))
        return call_fail(c, r, "mapping address out of the memory-cap area");
    if (!hint && size > MEMCAP_MMAP_TOP - MEMCAP_MMAP_BASE)
        return call_fail(c, ERR_RANGE, "larger than the mmap area");
    return ERR_OK;
}

/* Map mo's pages [off, off + size) at va in p (p->lock held); on NOMEM
 * the pages mapped so far are unmapped again. */
static err_t map_pages(struct process *p, const struct memobj *mo, uint64_t va,
                       uint64_t off, uint64_t size, uint32_t prot)
{
    uint64_t flags = vmr_pte_flags(prot) | (mo->device ? PTE_PCD | PTE_PWT : 0);
    for (uint64_t i = 0; i < size; i += PAGE_SIZE) {
        err_t r = pt_map_counted(p->vm.root, va + i, mo->pa + off + i, flags,
                                 &p->vm.tables);
        if (r) {
            vmr_unmap_pages(p, va, va + i);
            return r;
        }
    }
    return ERR_OK;
}

static int memobj_map(void *ctx, capos_memory_object_map_params_r params,
                      capos_memory_object_map_results_b results)
{
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    struct memobj *mo = memobj_target(c);
    if (!mo)
        return ERR_REVOKED;
    uint64_t hint = capos_memory_object_map_params_get_hint(params);
    uint64_t off = capos_memory_object_map_params_get_offset(params);
    uint64_t size = capos_memory_object_map_params_get_size(params);
    uint32_t prot = capos_memory_object_map_params_get_prot(params);
    err_t r = map_check(c, mo, hint, off, size, prot);
    if (r)
        return r;
    struct vm_mapping *m = NULL;
    uint64_t va = 0, tables = 0;
    if ((r = vmr_charge_tables(p, size, &tables)))
        return call_fail(c, r, "frame quota exceeded (page tables)");
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!(r = vmr_alloc(p, &m)) && !(r = vmr_place(p, hint, size, &va)) &&
        !(r = map_pages(p, mo, va, off, size, prot))) {
        *m = (struct vm_mapping){.va = va, .pages = size / PAGE_SIZE,
                                 .kind = VMR_MEMOBJ, .mo = mo};
        kobj_get(&mo->obj);
        vmr_link(p, m);
        m = NULL;
    }
    vmr_settle_tables(p, size, tables);
    spin_unlock_irqrestore(&p->lock, f);
    vmr_free(m);
    if (r == ERR_QUOTA)
        r = ERR_NOMEM;      /* map has no QUOTA: too many regions */
    if (r)
        return call_fail(c, r, r == ERR_EXISTS ? "address range in use"
                                               : "no memory for the mapping");
    capos_memory_object_map_results_set_addr(results, va);
    return ERR_OK;
}

/* The record mapping exactly [va, va + size) of mo in p, or NULL. */
static struct vm_mapping *find_mapping(struct process *p,
                                       const struct memobj *mo, uint64_t va,
                                       uint64_t size)
{
    for (struct vm_mapping *m = p->mappings; m; m = m->next)
        if (m->kind == VMR_MEMOBJ && m->mo == mo && m->va == va &&
            m->pages * PAGE_SIZE == size)
            return m;
    return NULL;
}

/* Unmap a whole mapping made by map of this object: INVAL, NOTFOUND. */
static int memobj_unmap(void *ctx, capos_memory_object_unmap_params_r params,
                        capos_memory_object_unmap_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    struct process *p = c->caller;
    struct memobj *mo = (struct memobj *)c->target;
    uint64_t va = capos_memory_object_unmap_params_get_addr(params);
    uint64_t size = capos_memory_object_unmap_params_get_size(params);
    if ((va | size) & PAGE_MASK || size == 0)
        return call_fail(c, ERR_INVAL, "unaligned or empty range");
    uint64_t f = spin_lock_irqsave(&p->lock);
    struct vm_mapping *m = find_mapping(p, mo, va, size);
    if (m) {
        vmr_unmap_pages(p, va, va + size);
        vmr_unlink(p, m);
    }
    spin_unlock_irqrestore(&p->lock, f);
    if (!m)
        return call_fail(c, ERR_NOTFOUND, "no such mapping of this object");
    vmr_free(m);
    return ERR_OK;
}

static int memobj_subrange(void *ctx, capos_memory_object_subrange_params_r params,
                           capos_memory_object_subrange_results_b results)
{
    struct call_ctx *c = ctx;
    struct memobj *mo = memobj_target(c);
    if (!mo)
        return ERR_REVOKED;
    uint64_t off = capos_memory_object_subrange_params_get_offset(params);
    uint64_t size = capos_memory_object_subrange_params_get_size(params);
    if ((off | size) & PAGE_MASK || size == 0)
        return call_fail(c, ERR_INVAL, "unaligned or empty range");
    err_t r = memobj_check_bytes(c, mo, off, size);
    if (r)
        return r;
    if (mo->depth + 1 >= MEMOBJ_DEPTH_MAX)
        return call_fail(c, ERR_QUOTA, "subrange nesting limit");
    struct memobj *child = kzalloc(sizeof *child);
    if (!child)
        return call_fail(c, ERR_NOMEM, "no kernel memory");
    *child = (struct memobj){.pa = mo->pa + off, .pages = size / PAGE_SIZE,
                             .parent = mo, .depth = mo->depth + 1,
                             .device = mo->device,
                             .parent_epoch = kobj_epoch(&mo->obj)};
    kobj_get(&mo->obj);
    kobj_init(&child->obj, &memobj_ops);
    capos_memory_object_subrange_results_set_child(results, 0);
    c->result_obj = &child->obj;
    c->result_iface = CAPOS_MEMORY_OBJECT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;   /* shared memory is meant to travel */
    return ERR_OK;
}

static const capos_memory_object_server_t memobj_server = {
    .info = memobj_info,
    .read = memobj_read,
    .write = memobj_write,
    .map = memobj_map,
    .unmap = memobj_unmap,
    .subrange = memobj_subrange,
};

static int memobj_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_memory_object_dispatch(&memobj_server, c, m, params, res);
}

const struct kiface memory_object_iface = {
    .id = CAPOS_MEMORY_OBJECT_INTERFACE_ID, .name = "MemoryObject",
    .dispatch = memobj_dispatch};
