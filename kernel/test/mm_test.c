/*
 * mm_test.c - in-kernel tests of physical memory, paging and the heap on
 * the real memory map.  Each test must leave frames and heap exactly as it
 * found them (ktest.c checks).
 */
#include <arch/layout.h>
#include <arch/paging.h>
#include <common/string.h>
#include <common/test.h>
#include <kernel/kmem.h>
#include <kernel/pmm.h>

extern char _text_start[], _rodata_start[], _data_start[], _data_end[];

TEST(pmm_alloc_free_counts)
{
    uint64_t pa[64], before = pmm_free_frames();
    for (int i = 0; i < 64; i++)
        ASSERT_EQ(pmm_alloc(&pa[i]), ERR_OK);
    EXPECT_EQ(pmm_free_frames(), before - 64);
    for (int i = 0; i < 64; i++) {
        EXPECT_EQ(pa[i] & 4095, 0);
        EXPECT_TRUE(pa[i] >= (1u << 20));
        for (int j = 0; j < i; j++)
            EXPECT_NE(pa[i], pa[j]);
    }
    for (int i = 0; i < 64; i++)
        pmm_free(pa[i]);
    EXPECT_EQ(pmm_free_frames(), before);
}

TEST(pmm_zeroed_frame_is_zero)
{
    uint64_t pa;
    ASSERT_EQ(pmm_alloc(&pa), ERR_OK);
    memset(phys_to_virt(pa), 0xa5, 4096);
    pmm_free(pa);
    ASSERT_EQ(pmm_alloc_zeroed(&pa), ERR_OK);
    const uint8_t *p = phys_to_virt(pa);
    int nonzero = 0;
    for (int i = 0; i < 4096; i++)
        nonzero += p[i] != 0;
    EXPECT_EQ(nonzero, 0);
    pmm_free(pa);
}

TEST(pmm_contig_aligned)
{
    uint64_t pa;
    ASSERT_EQ(pmm_alloc_contig(16, 16, &pa), ERR_OK);
    EXPECT_EQ(pa % (16 * 4096), 0);
    pmm_free_contig(pa, 16);
}

TEST(pmm_exhaustion_and_recovery)
{
    /* Take every free frame (chained through the frames themselves),
     * check ERR_NOMEM, then give all back. */
    uint64_t before = pmm_free_frames(), head = 0, n = 0, pa;
    while (pmm_alloc(&pa) == ERR_OK) {
        *(uint64_t *)phys_to_virt(pa) = head;
        head = pa;
        n++;
    }
    EXPECT_EQ(n, before);
    EXPECT_EQ(pmm_free_frames(), 0);
    EXPECT_EQ(pmm_alloc(&pa), ERR_NOMEM);
    while (head) {
        uint64_t next = *(uint64_t *)phys_to_virt(head);
        pmm_free(head);
        head = next;
    }
    EXPECT_EQ(pmm_free_frames(), before);
}

TEST(paging_section_permissions)
{
    uint64_t root = paging_kernel_root();
    uint64_t text = pt_lookup(root, (uint64_t)(uintptr_t)_text_start);
    uint64_t ro = pt_lookup(root, (uint64_t)(uintptr_t)_rodata_start);
    uint64_t data = pt_lookup(root, (uint64_t)(uintptr_t)_data_start);
    EXPECT_TRUE((text & PTE_P) && !(text & PTE_W) && !(text & PTE_NX));
    EXPECT_TRUE((ro & PTE_P) && !(ro & PTE_W) && (ro & PTE_NX));
    EXPECT_TRUE((data & PTE_P) && (data & PTE_W) && (data & PTE_NX));
    EXPECT_TRUE(!(text & PTE_U) && !(ro & PTE_U) && !(data & PTE_U));
    /* The boot identity map and the boot section are gone. */
    EXPECT_EQ(pt_lookup(root, 0x100000), 0);
    EXPECT_EQ(pt_lookup(root, KERNEL_VMA + 0x100000), 0);
}

TEST(paging_map_unmap)
{
    /* The boot section's page (unmapped after boot) shares its page table
     * with the kernel text, so the test allocates no table frames however
     * large the image is (a page above the image may need a new table). */
    uint64_t root = paging_kernel_root();
    uint64_t va = KERNEL_VMA + 0x100000;
    ASSERT_TRUE(va >> 21 == (uint64_t)(uintptr_t)_text_start >> 21);
    uint64_t pa;
    ASSERT_EQ(pt_lookup(root, va), 0);
    ASSERT_EQ(pmm_alloc_zeroed(&pa), ERR_OK);
    ASSERT_EQ(pt_map(root, va, pa, PTE_W | PTE_NX), ERR_OK);
    EXPECT_EQ(pt_map(root, va, pa, PTE_W | PTE_NX), ERR_EXISTS);
    *(volatile uint64_t *)(uintptr_t)va = 0x1234567890abcdefull;
    EXPECT_EQ(*(uint64_t *)phys_to_virt(pa), 0x1234567890abcdefull);
    uint64_t old = pt_unmap(root, va);
    EXPECT_EQ(old & PTE_ADDR, pa);
    EXPECT_EQ(pt_lookup(root, va), 0);
    EXPECT_EQ(pt_unmap(root, va), 0);
    pmm_free(pa);
}

TEST(kheap_all_sizes)
{
    static const size_t sizes[] = {1, 16, 17, 64, 100, 512, 2048, 2049, 9000};
    void *p[sizeof sizes / sizeof sizes[0]];
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        p[i] = kzalloc(sizes[i]);
        ASSERT_TRUE(p[i] != NULL);
        EXPECT_EQ(((uint8_t *)p[i])[sizes[i] - 1], 0);
        memset(p[i], 0x5a, sizes[i]);
    }
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        kfree(p[i]);
    kfree(NULL);
}
