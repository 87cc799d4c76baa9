/*
 * test_util.c - out-of-line helpers of elf_test.h: the exact-size parse
 * wrapper, the rejection/acceptance checks and file loading (host libc).
 */
#include "elf_test.h"
#include <stdio.h>
#include <stdlib.h>

err_t eb_parse_bytes(const uint8_t *data, uint64_t len, unsigned shift,
                     const struct elf_limits *lim, struct elf_image *img,
                     const char **detail)
{
    /* The parser's view ends exactly where the allocation does, so ASan
     * reports any read past the end. */
    uint8_t *copy = malloc(len + shift ? len + shift : 1);
    err_t err;

    if (!copy)
        abort();
    memcpy(copy + shift, data, len);
    err = elf_parse(copy + shift, len, lim, img, detail);
    free(copy);
    return err;
}

err_t eb_parse(const struct eb *b, struct elf_image *img, const char **detail)
{
    static uint8_t buf[EB_CAP];

    if (b->len > EB_CAP)
        abort();
    eb_write(b, buf);
    return eb_parse_bytes(buf, b->len, 0, &eb_limits, img, detail);
}

bool eb_image_zero(const struct elf_image *img)
{
    const uint8_t *p = (const uint8_t *)img;

    for (size_t i = 0; i < sizeof(*img); i++)
        if (p[i])
            return false;
    return true;
}

void eb_expect(struct test_ctx *t, const char *file, int line, err_t got,
               const char *detail, const struct elf_image *img, uint64_t len,
               err_t want, const char *want_detail)
{
    const char *why;

    if (got != want)
        test_fail_u64(t, file, line, detail ? detail : "(no detail)",
                      (uint64_t)got, (uint64_t)want);
    if (want == ERR_OK) {
        if (detail)
            test_fail(t, file, line, "detail not NULL on success");
        else if (got == ERR_OK &&
                 (why = elf_check_invariants(img, &eb_limits, len)) != 0)
            test_fail(t, file, line, why);
        return;
    }
    if (!detail || strcmp(detail, want_detail) != 0)
        test_fail(t, file, line, detail ? detail : "(NULL detail)");
    if (!eb_image_zero(img))
        test_fail(t, file, line, "image not zeroed on failure");
}

uint8_t *eb_read_file(const char *path, uint64_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL &&
        fread(buf, 1, (size_t)n, f) == (size_t)n)
        *len = (uint64_t)n;
    else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}
