/*
 * vm.h - user address spaces.
 *
 * A vmspace is one page-table tree: its own user half and the kernel's
 * upper-half PML4 entries (shared, created once at boot).  Anonymous pages
 * are owned by the mapping (PTE_OWNED) and freed with it; every frame and
 * page-table frame is counted so teardown can be proven leak-free.
 * Protected by the owning process's lock.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <abi/errors.h>

#define VM_READ  1u
#define VM_WRITE 2u
#define VM_EXEC  4u

struct vmspace {
    uint64_t root;        /* physical address of the PML4 */
    uint64_t pages;       /* owned data frames mapped */
    uint64_t tables;      /* page-table frames below the root */
};

/* A fresh address space with an empty user half. ERR_NOMEM. */
err_t vm_create(struct vmspace *vm) __attribute__((warn_unused_result));
/* Map a new zeroed page at va with VM_* protection (W and X exclusive).
 * ERR_EXISTS if mapped, ERR_NOMEM, ERR_INVAL for a bad va or W+X. On error
 * nothing is left allocated except page tables (freed at destroy). */
err_t vm_map_anon(struct vmspace *vm, uint64_t va, uint32_t prot, uint64_t *pa)
    __attribute__((warn_unused_result));
/* Map an existing frame (not owned) at va. */
err_t vm_map_frame(struct vmspace *vm, uint64_t va, uint64_t pa, uint32_t prot)
    __attribute__((warn_unused_result));
/* Copy into / out of vm's user memory through its page tables (any
 * address space, fault-free); ERR_FAULT if a page is absent, not user, or
 * (for vm_write) read-only.  A failed copy may be partial. */
err_t vm_write(struct vmspace *vm, uint64_t uva, const void *src, size_t len)
    __attribute__((warn_unused_result));
err_t vm_read(struct vmspace *vm, uint64_t uva, void *dst, size_t len)
    __attribute__((warn_unused_result));
/* Free every user frame, table and the root. */
void vm_destroy(struct vmspace *vm);
/* Make vm the active address space on this CPU. */
void vm_activate(const struct vmspace *vm);
