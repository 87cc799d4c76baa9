/*
 * test_accept.c - images elf_parse must accept, and what it reports for
 * them: field values, sorting, boundaries that are exactly allowed,
 * unaligned buffers, ignored header types, TLS, memsz-0 segments.
 */
#include "elf_test.h"

TEST(elf_accept_minimal)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.entry, 0x401000);
    ASSERT_EQ(img.nsegs, 2);
    EXPECT_EQ(img.segs[0].vaddr, 0x401000);
    EXPECT_EQ(img.segs[0].offset, 0x1000);
    EXPECT_EQ(img.segs[0].filesz, 0x200);
    EXPECT_EQ(img.segs[0].memsz, 0x200);
    EXPECT_EQ(img.segs[0].prot, ELF_PROT_R | ELF_PROT_X);
    EXPECT_EQ(img.segs[1].vaddr, 0x402000);
    EXPECT_EQ(img.segs[1].filesz, 0x100);
    EXPECT_EQ(img.segs[1].memsz, 0x2000);
    EXPECT_EQ(img.segs[1].prot, ELF_PROT_R | ELF_PROT_W);
    EXPECT_EQ(img.lowest, 0x401000);
    EXPECT_EQ(img.highest, 0x404000);
    EXPECT_FALSE(img.tls.present);
}

TEST(elf_accept_null_detail)
{
    struct eb b;
    struct elf_image img;
    static uint8_t buf[EB_CAP];

    eb_init(&b);
    eb_write(&b, buf);
    EXPECT_EQ(elf_parse(buf, b.len, &eb_limits, &img, NULL), ERR_OK);
    b.ident[0] = 0;
    eb_write(&b, buf);
    EXPECT_EQ(elf_parse(buf, b.len, &eb_limits, &img, NULL), ERR_BADFORMAT);
}

TEST(elf_accept_sorted_output)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.nph = 0;
    eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0x900000, 0x10, 0x10);
    eb_add(&b, EB_PT_LOAD, EB_PF_R | EB_PF_W, 0x2000, 0x700000, 0x10, 0x10);
    eb_add(&b, EB_PT_LOAD, EB_PF_R | EB_PF_X, 0x1000, 0x401000, 0x200, 0x200);
    eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0x800000, 0x10, 0x10);
    EXPECT_ACCEPT(&b, &img);
    ASSERT_EQ(img.nsegs, 4);
    EXPECT_EQ(img.segs[0].vaddr, 0x401000);
    EXPECT_EQ(img.segs[1].vaddr, 0x700000);
    EXPECT_EQ(img.segs[1].prot, ELF_PROT_R | ELF_PROT_W);
    EXPECT_EQ(img.segs[2].vaddr, 0x800000);
    EXPECT_EQ(img.segs[3].vaddr, 0x900000);
    EXPECT_EQ(img.highest, 0x901000);
}

TEST(elf_accept_unaligned_buffer)
{
    static uint8_t buf[EB_CAP];
    struct eb b;
    struct elf_image img;
    const char *d;

    eb_init(&b);
    b.phoff = 0x41;   /* odd phdr table offset too */
    eb_write(&b, buf);
    for (unsigned shift = 0; shift < 8; shift++) {
        EXPECT_EQ(eb_parse_bytes(buf, b.len, shift, &eb_limits, &img, &d),
                  ERR_OK);
        EXPECT_EQ(img.nsegs, 2);
        EXPECT_EQ(img.segs[1].memsz, 0x2000);
    }
}

TEST(elf_accept_exact_boundaries)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.ph[1].filesz = b.len - b.ph[1].offset;  /* data ends at EOF */
    b.ph[0].vaddr = eb_limits.user_min;        /* starts at user_min */
    b.entry = eb_limits.user_min + 0x1ff;      /* last text byte */
    b.ph[1].vaddr = eb_limits.user_max - b.ph[1].memsz;  /* ends at max */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.lowest, eb_limits.user_min);
    EXPECT_EQ(img.highest, eb_limits.user_max);
    b.phoff = b.len - 2 * 56;                  /* table ends at EOF */
    EXPECT_ACCEPT(&b, &img);
}

TEST(elf_accept_adjacent_pages)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.ph[1].vaddr = 0x402fff;       /* the text page ends at 0x402000 */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.highest, 0x405000);
}

TEST(elf_accept_max_segments)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    for (unsigned i = 2; i < ELF_MAX_SEGS; i++)
        eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0x500000 + i * 0x1000, 0x10,
               0x10);
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.nsegs, ELF_MAX_SEGS);
}

TEST(elf_accept_max_phnum)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    while (b.nph < 64)
        eb_add(&b, EB_PT_NOTE, EB_PF_R, 0x2000, 0x402000, 0x10, 0x10);
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.nsegs, 2);
}

TEST(elf_accept_total_exactly_max)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.ph[1].memsz = eb_limits.max_total - 0x1000;   /* + one text page */
    EXPECT_ACCEPT(&b, &img);
}

TEST(elf_accept_empty_load_ignored)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0x401100, 0, 0);  /* in text */
    eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0, 0, 0);         /* below min */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.nsegs, 2);
}

TEST(elf_accept_ignored_types)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    eb_add(&b, EB_PT_NOTE, EB_PF_R, UINT64_MAX, UINT64_MAX, UINT64_MAX, 1);
    eb_add(&b, EB_PT_PHDR, EB_PF_R, 64, 0x400040, 0x1000, 0x1000);
    eb_add(&b, EB_PT_GNU_RELRO, EB_PF_R, 0x2000, 0x402000, 0x100, 0x100);
    eb_add(&b, EB_PT_GNU_STACK, EB_PF_R | EB_PF_W, 0, 0, 0, 0);
    eb_add(&b, 0x60000000, EB_PF_X | EB_PF_W, 0, 0, 0, 0);
    eb_add(&b, 0, 0, 0, 0, 0, 0);                              /* PT_NULL */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.nsegs, 2);
}

TEST(elf_accept_tls)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    eb_add(&b, EB_PT_TLS, EB_PF_R, 0x2010, 0x402010, 0x8, 0x1000)->align =
        0x40;
    EXPECT_ACCEPT(&b, &img);
    ASSERT_TRUE(img.tls.present);
    EXPECT_EQ(img.tls.vaddr, 0x402010);
    EXPECT_EQ(img.tls.filesz, 0x8);
    EXPECT_EQ(img.tls.memsz, 0x1000);   /* tbss may run past the segment */
    EXPECT_EQ(img.tls.align, 0x40);
    b.ph[2].align = 0;                  /* 0 means "no alignment" */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.tls.align, 1);
}

TEST(elf_accept_empty_tls_ignored)
{
    struct eb b;
    struct elf_image img;

    /* What ld emits for a program without TLS variables: all zero. */
    eb_init(&b);
    eb_add(&b, EB_PT_TLS, EB_PF_R, 0, 0, 0, 0)->align = 8;
    EXPECT_ACCEPT(&b, &img);
    EXPECT_FALSE(img.tls.present);
}

TEST(elf_accept_align_values)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.ph[0].align = 0;
    b.ph[1].align = 1;
    EXPECT_ACCEPT(&b, &img);
    b.ph[0].align = UINT64_C(1) << 63;
    b.ph[1].align = 0x200000;
    EXPECT_ACCEPT(&b, &img);
}

TEST(elf_accept_prot_bits)
{
    struct eb b;
    struct elf_image img;

    eb_init(&b);
    b.ph[0].flags = EB_PF_X | 0x0ff00000;   /* OS/processor bits ignored */
    b.ph[1].flags = 0;                       /* no access at all */
    EXPECT_ACCEPT(&b, &img);
    EXPECT_EQ(img.segs[0].prot, ELF_PROT_X);
    EXPECT_EQ(img.segs[1].prot, 0);
}
