/*
 * vm.c - user address spaces over the generic page-table code.
 */
#include <stdbool.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <common/string.h>
#include <kernel/pmm.h>
#include <kernel/vm.h>

err_t vm_create(struct vmspace *vm)
{
    uint64_t root;
    if (pmm_alloc_zeroed(&root))
        return ERR_NOMEM;
    uint64_t *dst = phys_to_virt(root);
    const uint64_t *src = phys_to_virt(paging_kernel_root());
    memcpy(dst + 256, src + 256, 256 * sizeof(uint64_t));
    *vm = (struct vmspace){.root = root};
    return ERR_OK;
}

/* PTE flags for VM_* protection in the user half. */
static uint64_t vm_pte_flags(uint32_t prot)
{
    uint64_t f = PTE_U;
    if (prot & VM_WRITE)
        f |= PTE_W;
    if (!(prot & VM_EXEC))
        f |= PTE_NX;
    return f;
}

static bool vm_va_ok(uint64_t va, uint32_t prot)
{
    if (va & (PAGE_SIZE - 1) || va >= USER_TOP)
        return false;
    return !((prot & VM_WRITE) && (prot & VM_EXEC));
}

err_t vm_map_anon(struct vmspace *vm, uint64_t va, uint32_t prot, uint64_t *pa)
{
    if (!vm_va_ok(va, prot))
        return ERR_INVAL;
    uint64_t frame;
    if (pmm_alloc_zeroed(&frame))
        return ERR_NOMEM;
    err_t r = pt_map_counted(vm->root, va, frame,
                             vm_pte_flags(prot) | PTE_OWNED, &vm->tables);
    if (r) {
        pmm_free(frame);
        return r;
    }
    vm->pages++;
    if (pa)
        *pa = frame;
    return ERR_OK;
}

err_t vm_map_frame(struct vmspace *vm, uint64_t va, uint64_t pa, uint32_t prot)
{
    if (!vm_va_ok(va, prot))
        return ERR_INVAL;
    return pt_map_counted(vm->root, va, pa, vm_pte_flags(prot), &vm->tables);
}

void vm_destroy(struct vmspace *vm)
{
    if (!vm->root)
        return;
    if (read_cr3() == vm->root)
        write_cr3(paging_kernel_root());
    uint64_t pages = 0;
    uint64_t tables = pt_free_user(vm->root, &pages);
    vm->pages -= pages;
    vm->tables -= tables;
    pmm_free(vm->root);
    vm->root = 0;
}

void vm_activate(const struct vmspace *vm)
{
    uint64_t root = vm ? vm->root : paging_kernel_root();
    if (read_cr3() != root)
        write_cr3(root);
}

/* Copy between kernel memory and [uva, uva + len) of vm by walking its
 * page tables (works for any address space, never faults).  Every page
 * must be a present user page, writable when `write`. */
static err_t vm_xfer(struct vmspace *vm, uint64_t uva, void *kbuf, size_t len,
                     bool write)
{
    if (uva + len < uva || uva + len > USER_TOP)
        return ERR_FAULT;
    uint8_t *k = kbuf;
    while (len) {
        uint64_t page = uva & ~(uint64_t)(PAGE_SIZE - 1);
        uint64_t pte = pt_lookup(vm->root, page);
        if (!(pte & PTE_P) || !(pte & PTE_U) || (write && !(pte & PTE_W)))
            return ERR_FAULT;
        size_t chunk = PAGE_SIZE - (uva - page);
        if (chunk > len)
            chunk = len;
        uint8_t *phys = (uint8_t *)phys_to_virt(pte & PTE_ADDR) + (uva - page);
        if (write)
            memcpy(phys, k, chunk);
        else
            memcpy(k, phys, chunk);
        uva += chunk;
        k += chunk;
        len -= chunk;
    }
    return ERR_OK;
}

err_t vm_write(struct vmspace *vm, uint64_t uva, const void *src, size_t len)
{
    return vm_xfer(vm, uva, (void *)(uintptr_t)src, len, true);
}

err_t vm_read(struct vmspace *vm, uint64_t uva, void *dst, size_t len)
{
    return vm_xfer(vm, uva, dst, len, false);
}
