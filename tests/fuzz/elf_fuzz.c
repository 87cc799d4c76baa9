/*
 * elf_fuzz.c - libFuzzer target for elf_parse (kernel/proc/elf.c).
 *
 * Theory of operation: every input is parsed twice, from an exactly sized
 * heap copy at an aligned and at an odd address, under ASan and UBSan, so a
 * read outside the buffer, an unaligned access or an arithmetic overflow
 * aborts.  Both parses must agree.  An accepted image must satisfy the
 * independent postconditions of tests/host/elf/elf_invariants.h; a rejected
 * one must come with a detail string and a zeroed image.  Any violation
 * calls __builtin_trap, which libFuzzer reports as a crash.
 *
 * Built and run by mk/elf.mk (suite-fuzz-elf: bounded run in make test;
 * fuzz-elf: long run).  Seeds: tests/fuzz/corpus/elf plus the real static
 * executable $(BUILD)/elf/tiny.elf.
 */
#include "elf_invariants.h"
#include <common/string.h>
#include <kernel/elf.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct elf_limits fuzz_limits = {
    .user_min = 0x10000,
    .user_max = UINT64_C(0x00007f0000000000),
    .max_total = UINT64_C(256) << 20,
};

/* Parse a copy of data placed at offset `shift` of an exact allocation. */
static err_t parse_at(const uint8_t *data, size_t size, size_t shift,
                      struct elf_image *img, const char **detail)
{
    uint8_t *buf = malloc(size + shift ? size + shift : 1);
    err_t err;

    if (!buf)
        abort();
    memcpy(buf + shift, data, size);
    err = elf_parse(buf + shift, size, &fuzz_limits, img, detail);
    free(buf);
    return err;
}

/* True if every byte of *img is zero. */
static int image_zero(const struct elf_image *img)
{
    const uint8_t *p = (const uint8_t *)img;

    for (size_t i = 0; i < sizeof(*img); i++)
        if (p[i])
            return 0;
    return 1;
}

/* One input: parse twice, compare, check invariants; traps on violation. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct elf_image a, b;
    const char *da = "unset", *db = "unset";
    err_t ea = parse_at(data, size, 0, &a, &da);
    err_t eb = parse_at(data, size, 1, &b, &db);

    if (ea != eb || da != db || memcmp(&a, &b, sizeof(a)) != 0)
        __builtin_trap();   /* alignment changed the outcome */
    if (ea == ERR_OK) {
        if (da != NULL || elf_check_invariants(&a, &fuzz_limits, size))
            __builtin_trap();
    } else if (!da || !image_zero(&a)) {
        __builtin_trap();
    }
    return 0;
}
