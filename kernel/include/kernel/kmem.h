/*
 * kmem.h - the kernel heap: kmalloc/kzalloc/kfree (declared in
 * kernel/kheap.h) over the pmm, plus its setup and counters.
 */
#pragma once

#include <kernel/kheap.h>

/* Set up the kernel heap; needs pmm and the direct map. */
void kmem_init(void);
/* Snapshot of the heap's counters (for leak checks). */
void kmem_stats(struct kheap_stats *out);
