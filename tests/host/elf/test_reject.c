/*
 * test_reject.c - one test per rejection rule of elf_parse: each builds a
 * valid image, breaks exactly one thing and asserts the exact error code,
 * the exact detail string and a zeroed output image.
 */
#include "elf_test.h"

TEST(elf_reject_null_args)
{
    struct eb b;
    struct elf_image img;
    const char *d;
    static const uint8_t byte[1];

    eb_init(&b);
    EXPECT_EQ(elf_parse(NULL, 64, &eb_limits, &img, &d), ERR_INVAL);
    EXPECT_TRUE(strcmp(d, "NULL argument") == 0);
    EXPECT_EQ(elf_parse(byte, 1, NULL, &img, &d), ERR_INVAL);
    EXPECT_EQ(elf_parse(byte, 1, &eb_limits, NULL, &d), ERR_INVAL);
    EXPECT_EQ(elf_parse(byte, 1, &eb_limits, NULL, NULL), ERR_INVAL);
}

TEST(elf_reject_bad_limits)
{
    static const uint8_t byte[1];
    struct elf_limits l = eb_limits;
    struct elf_image img;
    const char *d;

    l.user_min = 0x10001;
    EXPECT_EQ(elf_parse(byte, 1, &l, &img, &d), ERR_INVAL);
    EXPECT_TRUE(strcmp(d, "limits: user range not page-aligned") == 0);
    l = eb_limits;
    l.user_max = l.user_min;
    EXPECT_EQ(elf_parse(byte, 1, &l, &img, &d), ERR_INVAL);
    EXPECT_TRUE(strcmp(d, "limits: user_min >= user_max") == 0);
    l = eb_limits;
    l.user_max = ELF_USER_CEILING + 0x1000;
    EXPECT_EQ(elf_parse(byte, 1, &l, &img, &d), ERR_INVAL);
    EXPECT_TRUE(strcmp(d, "limits: user_max above lower half") == 0);
}

TEST(elf_reject_truncated_header)
{
    struct eb b;

    eb_init(&b);
    for (uint64_t n = 0; n < 64; n++) {
        b.len = n;
        EXPECT_REJECT(&b, ERR_BADFORMAT, "file shorter than the ELF header");
    }
    EXPECT_EQ(elf_parse(NULL, 0, &eb_limits, &(struct elf_image){0}, NULL),
              ERR_BADFORMAT);
}

TEST(elf_reject_bad_magic)
{
    struct eb b;

    for (int i = 0; i < 4; i++) {
        eb_init(&b);
        b.ident[i] ^= 0x20;
        EXPECT_REJECT(&b, ERR_BADFORMAT, "bad ELF magic");
    }
}

TEST(elf_reject_bad_class)
{
    struct eb b;

    eb_init(&b);
    b.ident[4] = 1;    /* ELFCLASS32 */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "EI_CLASS not ELFCLASS64");
    b.ident[4] = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "EI_CLASS not ELFCLASS64");
}

TEST(elf_reject_big_endian)
{
    struct eb b;

    eb_init(&b);
    b.ident[5] = 2;    /* ELFDATA2MSB */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "EI_DATA not ELFDATA2LSB");
}

TEST(elf_reject_ident_version)
{
    struct eb b;

    eb_init(&b);
    b.ident[6] = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "EI_VERSION not 1");
}

TEST(elf_reject_et_dyn)
{
    struct eb b;

    eb_init(&b);
    b.type = EB_ET_DYN;
    EXPECT_REJECT(&b, ERR_NOSYS, "ET_DYN (PIE) not supported");
}

TEST(elf_reject_other_types)
{
    static const uint16_t types[] = {0, EB_ET_REL, EB_ET_CORE, 0xfe00,
                                     0xffff};
    struct eb b;

    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        eb_init(&b);
        b.type = types[i];
        EXPECT_REJECT(&b, ERR_NOSYS, "e_type not ET_EXEC");
    }
}

TEST(elf_reject_machine)
{
    struct eb b;

    eb_init(&b);
    b.machine = 3;     /* EM_386 */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_machine not EM_X86_64");
    b.machine = 183;   /* EM_AARCH64 */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_machine not EM_X86_64");
}

TEST(elf_reject_e_version)
{
    struct eb b;

    eb_init(&b);
    b.version = 2;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_version not 1");
}

TEST(elf_reject_ehsize)
{
    struct eb b;

    eb_init(&b);
    b.ehsize = 52;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_ehsize not 64");
}

TEST(elf_reject_phentsize)
{
    struct eb b;

    eb_init(&b);
    b.phentsize = 32;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_phentsize not 56");
    b.phentsize = 64;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_phentsize not 56");
}

TEST(elf_reject_phnum_zero)
{
    struct eb b;

    eb_init(&b);
    b.phnum_override = true;
    b.phnum = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "e_phnum is 0");
}

TEST(elf_reject_phnum_huge)
{
    struct eb b;

    eb_init(&b);
    b.phnum_override = true;
    b.phnum = 65;
    EXPECT_REJECT(&b, ERR_RANGE, "e_phnum above 64");
    b.phnum = 0xfffe;
    EXPECT_REJECT(&b, ERR_RANGE, "e_phnum above 64");
    b.phnum = 0xffff;
    EXPECT_REJECT(&b, ERR_NOSYS, "e_phnum is PN_XNUM");
}

TEST(elf_reject_phoff_outside_file)
{
    struct eb b;

    eb_init(&b);
    b.phoff = b.len - 2 * 56 + 1;     /* the table's last byte is past EOF */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "phdr table outside file");
    b.phoff = b.len;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "phdr table outside file");
    b.phoff = UINT64_C(1) << 40;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "phdr table outside file");
}

TEST(elf_reject_phoff_overflow)
{
    struct eb b;

    eb_init(&b);
    b.phoff = UINT64_MAX - 56;        /* phoff + 2 * 56 wraps */
    EXPECT_REJECT(&b, ERR_OVERFLOW, "e_phoff + phdr table overflows");
    b.phoff = UINT64_MAX;
    EXPECT_REJECT(&b, ERR_OVERFLOW, "e_phoff + phdr table overflows");
}

TEST(elf_reject_filesz_gt_memsz)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].filesz = b.ph[1].memsz + 1;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD p_filesz > p_memsz");
}

TEST(elf_reject_segment_beyond_file)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].filesz = b.len - b.ph[1].offset + 1;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD data outside file");
    eb_init(&b);
    b.ph[0].offset = b.len + 0x1000;  /* even an empty file part must fit */
    b.ph[0].filesz = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD data outside file");
}

TEST(elf_reject_offset_filesz_overflow)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].offset = UINT64_MAX - 0x10;
    EXPECT_REJECT(&b, ERR_OVERFLOW, "PT_LOAD offset + filesz overflows");
}

TEST(elf_reject_vaddr_memsz_overflow)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].vaddr = UINT64_C(0xfffffffffffff000);
    b.ph[1].memsz = 0x2000;
    EXPECT_REJECT(&b, ERR_OVERFLOW, "PT_LOAD vaddr + memsz overflows");
    b.ph[1].vaddr = 0x402000;
    b.ph[1].memsz = UINT64_MAX;
    EXPECT_REJECT(&b, ERR_OVERFLOW, "PT_LOAD vaddr + memsz overflows");
}

TEST(elf_reject_kernel_half)
{
    struct eb b;

    eb_init(&b);
    b.ph[0].vaddr = UINT64_C(0xffffffff80000000);
    b.entry = b.ph[0].vaddr;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD above user_max");
    b.ph[0].vaddr = UINT64_C(0xffff800000000000);
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD above user_max");
}

TEST(elf_reject_non_canonical)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].vaddr = UINT64_C(0x0000800000000000);
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD above user_max");
    b.ph[1].vaddr = UINT64_C(0x00007fffffffe000);   /* straddles the hole */
    b.ph[1].memsz = 0x4000;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD above user_max");
    b.ph[1].vaddr = UINT64_C(0x00007f0000000000) - 0x1000; /* one page over */
    b.ph[1].memsz = 0x1001;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD above user_max");
}

TEST(elf_reject_below_user_min)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].vaddr = 0;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD below user_min");
    b.ph[1].vaddr = eb_limits.user_min - 1;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_LOAD below user_min");
}

TEST(elf_reject_w_and_x)
{
    struct eb b;

    eb_init(&b);
    b.ph[0].flags = EB_PF_R | EB_PF_W | EB_PF_X;
    EXPECT_REJECT(&b, ERR_PERM, "PT_LOAD writable and executable");
    b.ph[0].flags = EB_PF_W | EB_PF_X;
    EXPECT_REJECT(&b, ERR_PERM, "PT_LOAD writable and executable");
}

TEST(elf_reject_bad_align)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].align = 3;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD p_align not a power of 2");
    b.ph[1].align = UINT64_MAX;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD p_align not a power of 2");
}

TEST(elf_reject_overlap)
{
    struct eb b;

    eb_init(&b);          /* byte overlap */
    b.ph[1].vaddr = 0x401100;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD segments share a page");
    b.ph[1].vaddr = 0x401000;      /* identical start */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD segments share a page");
    b.ph[1].vaddr = 0x401800;      /* no byte overlap, same page */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD segments share a page");
    b.ph[1].vaddr = 0x400000;      /* ends in the text page, listed first */
    b.ph[1].memsz = 0x1001;
    b.ph[1].filesz = 0x100;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD segments share a page");
    b.ph[1].vaddr = 0x300000;      /* contains the text segment */
    b.ph[1].memsz = 0x200000;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_LOAD segments share a page");
}

TEST(elf_reject_too_many_segments)
{
    struct eb b;

    eb_init(&b);
    for (unsigned i = 2; i <= ELF_MAX_SEGS; i++)
        eb_add(&b, EB_PT_LOAD, EB_PF_R, 0x2000, 0x500000 + i * 0x1000, 0x10,
               0x10);
    EXPECT_REJECT(&b, ERR_RANGE, "more than ELF_MAX_SEGS PT_LOAD");
}

TEST(elf_reject_total_too_large)
{
    struct eb b;

    eb_init(&b);
    b.ph[1].memsz = eb_limits.max_total;  /* + the text page */
    EXPECT_REJECT(&b, ERR_RANGE, "total PT_LOAD size above max_total");
    eb_init(&b);
    b.ph[1].memsz = UINT64_C(0x7e0000000000);   /* huge bss */
    EXPECT_REJECT(&b, ERR_RANGE, "total PT_LOAD size above max_total");
}

TEST(elf_reject_tls_outside_loads)
{
    struct eb b;

    eb_init(&b);
    eb_add(&b, EB_PT_TLS, EB_PF_R, 0x2000, 0x600000, 0x10, 0x20)->align = 8;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_TLS not inside a PT_LOAD");
    b.ph[2].vaddr = 0x403ff8;          /* straddles the end of data */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_TLS not inside a PT_LOAD");
    b.ph[2].vaddr = 0x401ff8;          /* starts between segments */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_TLS not inside a PT_LOAD");
}

TEST(elf_reject_tls_fields)
{
    struct eb b;

    eb_init(&b);
    eb_add(&b, EB_PT_TLS, EB_PF_R, 0x2000, 0x402000, 0x30, 0x20)->align = 8;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_TLS p_filesz > p_memsz");
    b.ph[2].filesz = 0x10;
    b.ph[2].align = 12;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "PT_TLS p_align not a power of 2");
    b.ph[2].align = 8;
    b.ph[2].vaddr = UINT64_MAX - 4;
    EXPECT_REJECT(&b, ERR_OVERFLOW, "PT_TLS vaddr + filesz overflows");
    b.ph[2].vaddr = 0x402000;
    b.ph[2].memsz = eb_limits.max_total + 1;
    EXPECT_REJECT(&b, ERR_RANGE, "PT_TLS p_memsz above max_total");
    b.ph[2].memsz = 0x20;
    b.ph[3] = b.ph[2];
    b.nph = 4;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "more than one PT_TLS");
}

TEST(elf_reject_entry_outside_exec)
{
    struct eb b;

    eb_init(&b);
    b.entry = 0x402010;                /* in the data segment */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "entry not in executable PT_LOAD");
    b.entry = 0x401200;                /* one past the end of text */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "entry not in executable PT_LOAD");
    b.entry = 0x400fff;                /* one before text */
    EXPECT_REJECT(&b, ERR_BADFORMAT, "entry not in executable PT_LOAD");
    b.entry = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "entry not in executable PT_LOAD");
    b.entry = UINT64_MAX;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "entry not in executable PT_LOAD");
}

TEST(elf_reject_no_load)
{
    struct eb b;

    eb_init(&b);
    b.ph[0].type = EB_PT_NOTE;
    b.ph[1].type = EB_PT_NOTE;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "no PT_LOAD with p_memsz > 0");
    b.ph[0].type = EB_PT_LOAD;         /* only an empty PT_LOAD */
    b.ph[0].filesz = 0;
    b.ph[0].memsz = 0;
    EXPECT_REJECT(&b, ERR_BADFORMAT, "no PT_LOAD with p_memsz > 0");
}

TEST(elf_reject_interp)
{
    struct eb b;

    eb_init(&b);
    eb_add(&b, EB_PT_INTERP, EB_PF_R, 0x1100, 0x401100, 0x1c, 0x1c);
    EXPECT_REJECT(&b, ERR_NOSYS, "PT_INTERP not supported");
}

TEST(elf_reject_dynamic)
{
    struct eb b;

    eb_init(&b);
    eb_add(&b, EB_PT_DYNAMIC, EB_PF_R | EB_PF_W, 0x2000, 0x402000, 0x40,
           0x40);
    EXPECT_REJECT(&b, ERR_NOSYS, "PT_DYNAMIC not supported");
}

TEST(elf_reject_exec_stack)
{
    struct eb b;

    eb_init(&b);
    eb_add(&b, EB_PT_GNU_STACK, EB_PF_R | EB_PF_W | EB_PF_X, 0, 0, 0, 0);
    EXPECT_REJECT(&b, ERR_PERM, "PT_GNU_STACK executable");
    b.ph[2].flags = EB_PF_X;
    EXPECT_REJECT(&b, ERR_PERM, "PT_GNU_STACK executable");
}
