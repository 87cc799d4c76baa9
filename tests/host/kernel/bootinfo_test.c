/*
 * bootinfo_test.c - host tests of the Multiboot2 and PVH parsers on
 * synthetic loader structures, including malformed ones.
 */
#include <common/string.h>
#include <common/test.h>
#include <kernel/bootinfo.h>

/* Fake physical memory: 64 KiB at physical address 0x10000. */
#define FAKE_BASE 0x10000u
static _Alignas(8) uint8_t fake[65536];

static const void *fake_phys(uint64_t pa, uint64_t len)
{
    if (pa < FAKE_BASE || pa + len < pa || pa + len > FAKE_BASE + sizeof fake)
        return NULL;
    return fake + (pa - FAKE_BASE);
}

static void put32(uint32_t off, uint32_t v) { memcpy(fake + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(fake + off, &v, 8); }

/* Build a Multiboot2 info block at offset 0: cmdline, module, mmap, end. */
static uint32_t build_mb2(void)
{
    memset(fake, 0, sizeof fake);
    uint32_t off = 8;
    put32(off, 1); put32(off + 4, 8 + 10);                 /* cmdline */
    memcpy(fake + off + 8, "test=boot", 10);
    off += 24;
    put32(off, 3); put32(off + 4, 16 + 9);                 /* module */
    put32(off + 8, 0x200000); put32(off + 12, 0x201000);
    memcpy(fake + off + 16, "manifest", 9);
    off += 32;
    put32(off, 6); put32(off + 4, 16 + 2 * 24);            /* mmap */
    put32(off + 8, 24); put32(off + 12, 0);
    put64(off + 16, 0); put64(off + 24, 0x9f000); put32(off + 32, 1);
    put64(off + 40, 0x100000); put64(off + 48, 0x7f00000); put32(off + 56, 1);
    off += 64;
    put32(off, 0); put32(off + 4, 8);                      /* end */
    off += 8;
    put32(0, off);
    return off;
}

TEST(bootinfo_mb2_parses_all_tags)
{
    struct boot_info bi;
    build_mb2();
    ASSERT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys), ERR_OK);
    EXPECT_EQ(strcmp(bi.protocol, "multiboot2"), 0);
    EXPECT_EQ(strcmp(bi.cmdline, "test=boot"), 0);
    ASSERT_EQ(bi.nmods, 1);
    EXPECT_EQ(bi.mods[0].base, 0x200000);
    EXPECT_EQ(bi.mods[0].len, 0x1000);
    EXPECT_EQ(strcmp(bi.mods[0].name, "manifest"), 0);
    ASSERT_EQ(bi.nmem, 2);
    EXPECT_EQ(bi.mem[1].base, 0x100000);
    EXPECT_EQ(bootinfo_max_usable(&bi), 0x100000 + 0x7f00000);
    char v[16];
    EXPECT_EQ(bootinfo_arg(&bi, "test", v, sizeof v), ERR_OK);
    EXPECT_EQ(strcmp(v, "boot"), 0);
    EXPECT_EQ(bootinfo_arg(&bi, "tes", v, sizeof v), ERR_NOTFOUND);
}

TEST(bootinfo_mb2_rejects_malformed)
{
    struct boot_info bi;
    uint32_t total = build_mb2();
    put32(8 + 4, 4);                       /* tag size below 8 */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_mb2();
    put32(8 + 4, total);                   /* tag runs past the end */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_mb2();
    put32(0, 0xfffffff0u);                 /* absurd total size */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_mb2();
    put32(total - 8, 99);                  /* no end tag */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_mb2();
    put32(8 + 24 + 32 + 8, 20);            /* mmap entry size too small */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_MB2, 0x5000, fake_phys), ERR_FAULT);
    EXPECT_EQ(bootinfo_parse(&bi, 0x1234, FAKE_BASE, fake_phys), ERR_INVAL);
}

/* PVH start_info at 0, module list at 0x100, memmap at 0x200, strings. */
static void build_pvh(uint32_t nmods, uint32_t nmem)
{
    memset(fake, 0, sizeof fake);
    put32(0, BOOT_MAGIC_PVH); put32(4, 1); put32(12, nmods);
    put64(16, FAKE_BASE + 0x100); put64(24, FAKE_BASE + 0x300);
    put64(40, FAKE_BASE + 0x200); put32(48, nmem);
    put64(0x100, 0x400000); put64(0x108, 0x2000); put64(0x110, FAKE_BASE + 0x340);
    put64(0x200, 0x100000); put64(0x208, 0x1000000); put32(0x210, 1);
    memcpy(fake + 0x300, "test=ktest", 11);
    memcpy(fake + 0x340, "manifest", 9);
}

TEST(bootinfo_pvh_parses)
{
    struct boot_info bi;
    build_pvh(1, 1);
    ASSERT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_PVH, FAKE_BASE, fake_phys), ERR_OK);
    EXPECT_EQ(strcmp(bi.protocol, "pvh"), 0);
    EXPECT_EQ(strcmp(bi.cmdline, "test=ktest"), 0);
    ASSERT_EQ(bi.nmods, 1);
    EXPECT_EQ(bi.mods[0].base, 0x400000);
    EXPECT_EQ(bi.mods[0].len, 0x2000);
    EXPECT_EQ(strcmp(bi.mods[0].name, "manifest"), 0);
    ASSERT_EQ(bi.nmem, 1);
    EXPECT_EQ(bi.mem[0].len, 0x1000000);
}

TEST(bootinfo_pvh_rejects_malformed)
{
    struct boot_info bi;
    build_pvh(1000, 1);
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_PVH, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_pvh(1, 1);
    put32(0, 0xdeadbeef);
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_PVH, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
    build_pvh(1, 1);
    put64(40, 0x9000000);                  /* memmap outside memory */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_PVH, FAKE_BASE, fake_phys),
              ERR_FAULT);
    build_pvh(1, 1);
    put64(0x108, UINT64_MAX);              /* module end wraps */
    EXPECT_EQ(bootinfo_parse(&bi, BOOT_MAGIC_PVH, FAKE_BASE, fake_phys),
              ERR_BADFORMAT);
}
