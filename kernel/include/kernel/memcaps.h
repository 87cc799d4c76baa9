/*
 * memcaps.h - the memory capabilities: FrameAllocator, MemoryObject and
 * VirtualMemory (kernel/obj/framealloc.c, memobj.c, vmem.c) and the
 * per-process region list they share (kernel/obj/vmregion.c).
 * Design notes: docs/memory.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>
#include <kernel/call.h>
#include <kernel/kobj.h>

struct process;

/* The part of the user half memory caps may map into: the image area
 * below the TLS block, stack, ring and CapSet page (abi/layout.h). */
#define MEMCAP_VA_MIN      0x0000000000010000ull
#define MEMCAP_VA_MAX      0x00007f0000000000ull
/* Where the kernel places mappings asked for with hint 0. */
#define MEMCAP_MMAP_BASE   0x0000600000000000ull
#define MEMCAP_MMAP_TOP    0x0000700000000000ull
#define MEMCAP_REGIONS_MAX 256u    /* region records per process */
#define MEMOBJ_CONTIG_MAX  512u    /* frames per allocContiguous */
#define MEMOBJ_DEPTH_MAX   8u      /* subrange nesting */
#define MEMCAP_PROT_ALL    7u      /* protRead | protWrite | protExec */

/*
 * A MemoryObject: `pages` physically contiguous frames at `pa`.  A root
 * object owns its frames and the charge for them (refunded to `charged`,
 * whose struct it keeps alive, when the object dies).  A child
 * (subrange) shares its parent's frames, holds a reference to the parent
 * and remembers the parent's epoch: once the parent is revoked every use
 * of the child fails with REVOKED.  All fields are immutable after
 * creation.
 */
struct memobj {
    struct kobj obj;            /* first */
    uint64_t pa;                /* first frame */
    uint64_t pages;
    struct memobj *parent;      /* NULL for a root; ref held */
    uint32_t parent_epoch;      /* parent's epoch when the child was made */
    uint32_t depth;             /* 0 for a root */
    struct process *charged;    /* root: ledger charged `pages`; ref held
                                   (NULL for device memory) */
    bool device;                /* device registers: uncached, not RAM */
};

/* Kinds of region records. */
enum vm_region_kind {
    VMR_MEMOBJ,                 /* MemoryObject.map: frames not owned */
    VMR_ANON,                   /* VirtualMemory.map: owned, charged */
    VMR_RESERVE,                /* VirtualMemory.reserve: owned when committed */
};
#define VMR_BIT(k) (1u << (k))

/* One region of a process's address space made by a memory cap; kept
 * in p->mappings sorted by va, disjoint.  Guarded by p->lock. */
struct vm_mapping {
    struct vm_mapping *next;
    uint64_t va;
    uint64_t pages;
    uint32_t kind;              /* enum vm_region_kind */
    struct memobj *mo;          /* VMR_MEMOBJ: ref held by the record */
};

extern const struct kiface frame_allocator_iface, memory_object_iface,
    virtual_memory_iface;

/* The singleton FrameAllocator and VirtualMemory objects. */
struct kobj *framealloc_obj(void);
struct kobj *vmem_obj(void);

/* ---- MemoryObject (memobj.c) ---- */

/* A new root object of `pages` zeroed contiguous frames charged to p.
 * QUOTA (p's frame quota), NOMEM.  Nothing is charged on error. */
err_t memobj_create(struct process *p, uint64_t pages, struct memobj **out)
    __attribute__((warn_unused_result));

/* A root object over device registers [pa, pa + pages pages): never
 * freed to the frame allocator, mapped uncached, never read or written
 * by the kernel.  NOMEM. */
err_t memobj_create_device(uint64_t pa, uint64_t pages, struct memobj **out)
    __attribute__((warn_unused_result));

/* ---- frame ledger and region list (vmregion.c) ---- */

/* Charge the page tables a mapping of `size` bytes may add (at most) to
 * p; *before records p's table count.  QUOTA. */
err_t vmr_charge_tables(struct process *p, uint64_t size, uint64_t *before)
    __attribute__((warn_unused_result));
/* After that mapping (done or failed): the tables it added stay charged
 * (until exit), the rest of the charge is refunded. */
void vmr_settle_tables(struct process *p, uint64_t size, uint64_t before);
/* Charge n frames to p's quota (kernel/proc/quota.c); QUOTA. */
err_t memcap_charge(struct process *p, uint64_t n)
    __attribute__((warn_unused_result));
/* Give n frames back to p's ledger (lock-free; safe in destroy hooks). */
void memcap_refund(struct process *p, uint64_t n);

/* Check a (va, size) range from user space: INVAL (unaligned or empty),
 * OVERFLOW (wraps), RANGE (outside the memory-cap area). */
err_t vmr_check_range(uint64_t va, uint64_t size);
/* INVAL unless prot is a non-empty subset of R|W|X without W+X. */
err_t vmr_check_prot(uint32_t prot);
/* User PTE flags (U, W, NX) for a checked prot. */
uint64_t vmr_pte_flags(uint32_t prot);
/* Pages of [va, end) mapped in p's page tables (p->lock held). */
uint64_t vmr_count_mapped(struct process *p, uint64_t va, uint64_t end);
/* Pick where `size` bytes go in p (p->lock held): hint 0 = first free
 * gap of the mmap area (NOMEM if none), else exactly hint (EXISTS if it
 * overlaps a region or any mapped page). */
err_t vmr_place(struct process *p, uint64_t hint, uint64_t size, uint64_t *va);
/* A new record (not linked); NOMEM, or QUOTA at MEMCAP_REGIONS_MAX. */
err_t vmr_alloc(struct process *p, struct vm_mapping **out);
/* Link record m into p's sorted list (p->lock held). */
void vmr_link(struct process *p, struct vm_mapping *m);
/* Unlink m from p's list (p->lock held). */
void vmr_unlink(struct process *p, struct vm_mapping *m);
/* True if every page of [va, end) lies in records whose kind is in
 * `kinds` (a VMR_BIT mask).  p->lock held. */
bool vmr_covered(struct process *p, uint64_t va, uint64_t end, uint32_t kinds);
/* Unmap [va, end) of p's page tables; frees and refunds owned frames
 * (p->lock held). */
void vmr_unmap_pages(struct process *p, uint64_t va, uint64_t end);
/* Free a record after p->lock is dropped (puts its MemoryObject). */
void vmr_free(struct vm_mapping *m);

/* Drop every memory-cap region of an exiting process: unmap, release
 * MemoryObject references, free records.  Call from
 * proc_release_resources before vm_destroy. */
void memobj_proc_exit(struct process *p);
