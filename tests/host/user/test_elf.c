/* SPDX-License-Identifier: MIT */
/*
 * test_elf.c - the linked init program passes the kernel's ELF validator
 * (kernel/proc/elf.c) with the user address-space limits of abi/layout.h:
 * static ET_EXEC, W^X segments, no executable stack, entry in text.
 */
#include <abi/layout.h>
#include <common/test.h>
#include <kernel/elf.h>
#include <stdio.h>
#include <stdlib.h>

/* Read a whole file into a malloc'd buffer; NULL on error. */
static void *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    void *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

TEST(user_init_elf_passes_kernel_validator)
{
    const struct elf_limits lim = {USER_IMAGE_MIN, USER_IMAGE_MAX,
                                   256ull << 20};
    struct elf_image img;
    const char *detail = NULL;
    size_t len = 0;
    void *file = slurp(USER_TEST_INIT_ELF, &len);

    ASSERT_TRUE(file != NULL);
    EXPECT_EQ(elf_parse(file, len, &lim, &img, &detail), ERR_OK);
    if (detail)
        printf("  elf: %s\n", detail);
    EXPECT_EQ(img.entry, 0x400000);
    EXPECT_EQ(img.nsegs, 3);
    EXPECT_EQ(img.segs[0].prot, ELF_PROT_R | ELF_PROT_X);
    EXPECT_EQ(img.segs[1].prot, ELF_PROT_R);
    EXPECT_EQ(img.segs[2].prot, ELF_PROT_R | ELF_PROT_W);
    EXPECT_FALSE(img.tls.present);
    free(file);
}
