/*
 * kmem.c - the kernel heap instance: kheap (kernel/mm/kheap.c) over frames
 * from the pmm, reached through the direct map, behind one irq-safe lock.
 * Heap corruption reported by kheap (double free, foreign pointer, write
 * after free) is a kernel bug and panics.  Poisoning of free objects (the
 * write-after-free check) costs a fill and a scan per allocation, so it is
 * on in the test kernel (CONFIG_KTEST, which runs every system test) and
 * off in the kernel `make run` and `make bench` boot.
 */
#include <arch/layout.h>
#include <kernel/kheap.h>
#include <kernel/kmem.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

#ifdef CONFIG_KTEST
#define KMEM_FLAGS (KHEAP_POISON | KHEAP_KEEP_ONE)
#else
#define KMEM_FLAGS KHEAP_KEEP_ONE
#endif

static struct kheap kheap;
static struct spinlock kheap_lock = SPINLOCK_INIT("kheap");

static void *kmem_alloc_page(void *ctx)
{
    (void)ctx;
    uint64_t pa;
    return pmm_alloc(&pa) ? NULL : phys_to_virt(pa);
}

static void kmem_free_page(void *ctx, void *page)
{
    (void)ctx;
    pmm_free(virt_to_phys(page));
}

static void *kmem_alloc_pages(void *ctx, size_t n)
{
    (void)ctx;
    uint64_t pa;
    return pmm_alloc_contig(n, 1, &pa) ? NULL : phys_to_virt(pa);
}

static void kmem_free_pages(void *ctx, void *p, size_t n)
{
    (void)ctx;
    pmm_free_contig(virt_to_phys(p), n);
}

static void kmem_fault(void *ctx, enum kheap_fault kind, const void *ptr)
{
    (void)ctx;
    static const char *const names[] = {
        [KHEAP_FAULT_FOREIGN] = "free of a foreign pointer",
        [KHEAP_FAULT_DOUBLE_FREE] = "double free",
        [KHEAP_FAULT_POISON] = "write after free",
        [KHEAP_FAULT_BAD_PAGE] = "unaligned page from provider",
    };
    panic("kheap: %s at %p", (unsigned)kind < 4 ? names[kind] : "?", ptr);
}

void kmem_init(void)
{
    static const struct kheap_pages provider = {
        .alloc_page = kmem_alloc_page,
        .free_page = kmem_free_page,
        .alloc_pages = kmem_alloc_pages,
        .free_pages = kmem_free_pages,
    };
    kheap_init(&kheap, &provider, KMEM_FLAGS, kmem_fault, NULL);
    /* Give every class its kept page now, so that which page a class keeps
     * never shows up as a frame difference in a leak check. */
    for (size_t size = KHEAP_MIN_CLASS; size <= KHEAP_MAX_CLASS; size *= 2)
        kfree(kmalloc(size));
}

void *kmalloc(size_t size)
{
    uint64_t f = spin_lock_irqsave(&kheap_lock);
    void *p = kheap_alloc(&kheap, size);
    spin_unlock_irqrestore(&kheap_lock, f);
    return p;
}

void *kzalloc(size_t size)
{
    uint64_t f = spin_lock_irqsave(&kheap_lock);
    void *p = kheap_zalloc(&kheap, size);
    spin_unlock_irqrestore(&kheap_lock, f);
    return p;
}

void kfree(void *p)
{
    uint64_t f = spin_lock_irqsave(&kheap_lock);
    err_t r = kheap_free(&kheap, p);
    spin_unlock_irqrestore(&kheap_lock, f);
    if (r)
        panic("kheap: kfree(%p) failed: %s", p, err_name(r));
}

void kmem_stats(struct kheap_stats *out)
{
    uint64_t f = spin_lock_irqsave(&kheap_lock);
    kheap_stats(&kheap, out);
    spin_unlock_irqrestore(&kheap_lock, f);
}
