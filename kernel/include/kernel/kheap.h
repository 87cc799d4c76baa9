/*
 * kheap.h - kernel heap: size-class slabs over 4 KiB pages plus a
 * multi-page path for big objects.  No locking inside: the kernel wraps one
 * instance with a lock and exposes kmalloc/kzalloc/kfree.  Design notes are
 * in kernel/mm/kheap.c and docs/kheap.md.
 */
#pragma once

#include <abi/errors.h>
#include <stddef.h>
#include <stdint.h>

#define KHEAP_PAGE_SIZE 4096u
#define KHEAP_NCLASSES 8        /* 16, 32, ..., 2048 bytes */
#define KHEAP_MIN_CLASS 16u
#define KHEAP_MAX_CLASS 2048u
#define KHEAP_HDR_SIZE 64u      /* slab and big-block header, bytes */
#define KHEAP_POISON_FREE 0x6b  /* fill byte of free slab objects */

/*
 * Page provider.  alloc_page/free_page move one 4 KiB-aligned page;
 * alloc_pages/free_pages move n >= 2 contiguous pages (may be NULL, then
 * allocations above one page fail).  Allocation returns NULL when empty.
 */
struct kheap_pages {
    void *(*alloc_page)(void *ctx);
    void (*free_page)(void *ctx, void *page);
    void *(*alloc_pages)(void *ctx, size_t n);
    void (*free_pages)(void *ctx, void *p, size_t n);
    void *ctx;
};

/* Kinds of misuse reported to kheap.fault. */
enum kheap_fault {
    KHEAP_FAULT_FOREIGN,      /* kfree of a pointer the heap never returned */
    KHEAP_FAULT_DOUBLE_FREE,  /* kfree of an object that is already free */
    KHEAP_FAULT_POISON,       /* a free object was written (use after free) */
    KHEAP_FAULT_BAD_PAGE,     /* the provider returned an unaligned page */
};

/* Behaviour options for kheap_init (bit flags). */
enum kheap_flags {
    KHEAP_POISON = 1u << 0,   /* poison free objects, check on allocation */
    KHEAP_KEEP_ONE = 1u << 1, /* keep a class's last empty slab (no page
                               * churn when one object comes and goes) */
};

/* Fault callback: the kernel panics; tests count.  May be NULL. */
typedef void (*kheap_fault_fn)(void *ctx, enum kheap_fault kind,
                               const void *ptr);

struct kheap_slab;

/* Counters of one size class. */
struct kheap_class_stats {
    uint32_t size;            /* object size in bytes */
    uint32_t per_page;        /* objects per slab page */
    uint64_t objs_inuse;      /* objects allocated now */
    uint64_t pages;           /* slab pages held now */
};

/* Heap counters, copied out by kheap_stats. */
struct kheap_stats {
    struct kheap_class_stats cls[KHEAP_NCLASSES];
    uint64_t big_allocs;      /* multi-page blocks allocated now */
    uint64_t big_pages;       /* pages held by those blocks */
    uint64_t pages;           /* all pages held from the provider */
    uint64_t bytes_inuse;     /* class size or block size of live objects */
    uint64_t faults;          /* faults reported since init */
};

/* One heap; all fields are guarded by the caller's lock. */
struct kheap {
    struct kheap_pages pages;                     /* immutable after init */
    unsigned flags;                               /* enum kheap_flags */
    kheap_fault_fn fault;                         /* immutable after init */
    void *fault_ctx;
    struct kheap_slab *partial[KHEAP_NCLASSES];   /* slabs with free objects */
    struct kheap_stats stats;
};

/* Set up h over `pages`; fault may be NULL.  Takes no memory yet. */
void kheap_init(struct kheap *h, const struct kheap_pages *pages,
                unsigned flags, kheap_fault_fn fault, void *fault_ctx);
/*
 * Allocate size bytes, 16-byte aligned (slab objects of 64 bytes and more
 * are 64-byte aligned).  size 0 gets a unique minimal object.  NULL when the
 * provider is empty or size is absurd.  Contents are undefined.
 */
void *kheap_alloc(struct kheap *h, size_t size);
/* kheap_alloc, then zero the object. */
void *kheap_zalloc(struct kheap *h, size_t size);
/*
 * Free p (NULL is a no-op).  Misuse is reported to the fault callback and
 * returned, with the heap unchanged: ERR_INVAL for a foreign or interior
 * pointer, ERR_EXISTS for a double free.
 */
err_t kheap_free(struct kheap *h, void *p);
/* Usable size of live object p (its class or block size), 0 for NULL. */
size_t kheap_usable_size(const struct kheap *h, const void *p);
/* Copy the counters into *out. */
void kheap_stats(const struct kheap *h, struct kheap_stats *out);

/*
 * The kernel-wide heap API.  Defined by the kernel glue (not in this
 * library) as locked wrappers around the kernel's struct kheap instance; a
 * kfree error panics there.
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
