/*
 * elf_test.h - helpers for the ELF parser host tests: an image builder that
 * writes an ELF header and program headers into a byte buffer from a plain
 * description (struct eb), a parse wrapper that hands the parser an exactly
 * sized heap copy (so ASan catches any read past the end), and checks of the
 * exact error code and detail string.
 */
#pragma once

#include "elf_invariants.h"
#include <common/string.h>
#include <common/test.h>
#include <kernel/elf.h>
#include <stdint.h>

#define EB_MAX_PH 80
#define EB_CAP 0x20000           /* largest file the builder produces */

/* ELF constants for building images (the parser keeps its own private). */
enum {
    EB_ET_REL = 1, EB_ET_EXEC = 2, EB_ET_DYN = 3, EB_ET_CORE = 4,
    EB_PT_LOAD = 1, EB_PT_DYNAMIC = 2, EB_PT_INTERP = 3, EB_PT_NOTE = 4,
    EB_PT_PHDR = 6, EB_PT_TLS = 7,
    EB_PF_X = 1, EB_PF_W = 2, EB_PF_R = 4,
};
#define EB_PT_GNU_STACK 0x6474e551u
#define EB_PT_GNU_RELRO 0x6474e552u

struct eb_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Description of one test image; eb_init fills a valid default. */
struct eb {
    uint8_t ident[16];
    uint16_t type, machine, ehsize, phentsize, phnum;
    uint32_t version;
    uint64_t entry, phoff, len;
    bool phnum_override;          /* write `phnum` instead of nph */
    unsigned nph;
    struct eb_phdr ph[EB_MAX_PH];
};

/* The limits every test uses unless it says otherwise. */
static const struct elf_limits eb_limits = {
    .user_min = 0x10000,
    .user_max = UINT64_C(0x00007f0000000000),
    .max_total = UINT64_C(256) << 20,
};

/* Append a program header; returns it for further tweaks. */
static inline struct eb_phdr *eb_add(struct eb *b, uint32_t type,
                                     uint32_t flags, uint64_t offset,
                                     uint64_t vaddr, uint64_t filesz,
                                     uint64_t memsz)
{
    struct eb_phdr *p = &b->ph[b->nph++];

    *p = (struct eb_phdr){.type = type, .flags = flags, .offset = offset,
                          .vaddr = vaddr, .paddr = vaddr, .filesz = filesz,
                          .memsz = memsz, .align = 0x1000};
    return p;
}

/*
 * Valid default: file of 0x3000 bytes, text R+X at 0x401000 (file 0x1000,
 * 0x200 bytes), data R+W at 0x402000 (file 0x2000, 0x100 bytes, 0x2000 with
 * bss), entry 0x401000.
 */
static inline void eb_init(struct eb *b)
{
    static const uint8_t id[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};

    memset(b, 0, sizeof(*b));
    memcpy(b->ident, id, sizeof(id));
    b->type = EB_ET_EXEC;
    b->machine = 62;
    b->version = 1;
    b->entry = 0x401000;
    b->phoff = 64;
    b->ehsize = 64;
    b->phentsize = 56;
    b->len = 0x3000;
    eb_add(b, EB_PT_LOAD, EB_PF_R | EB_PF_X, 0x1000, 0x401000, 0x200, 0x200);
    eb_add(b, EB_PT_LOAD, EB_PF_R | EB_PF_W, 0x2000, 0x402000, 0x100,
           0x2000);
}

/* Store v little-endian at buf[off..off+n) if that lies inside [0, len). */
static inline void eb_put(uint8_t *buf, uint64_t len, uint64_t off,
                          uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, v >>= 8)
        if (off + i >= off && off + i < len)
            buf[off + i] = (uint8_t)v;
}

/* Serialise b into buf (b->len bytes, at most EB_CAP, filled with 0xcc). */
static inline void eb_write(const struct eb *b, uint8_t *buf)
{
    uint64_t len = b->len;

    memset(buf, 0xcc, len);
    for (unsigned i = 0; i < 16; i++)
        eb_put(buf, len, i, b->ident[i], 1);
    eb_put(buf, len, 16, b->type, 2);
    eb_put(buf, len, 18, b->machine, 2);
    eb_put(buf, len, 20, b->version, 4);
    eb_put(buf, len, 24, b->entry, 8);
    eb_put(buf, len, 32, b->phoff, 8);
    eb_put(buf, len, 40, 0, 8);          /* e_shoff */
    eb_put(buf, len, 48, 0, 4);          /* e_flags */
    eb_put(buf, len, 52, b->ehsize, 2);
    eb_put(buf, len, 54, b->phentsize, 2);
    eb_put(buf, len, 56, b->phnum_override ? b->phnum : b->nph, 2);
    eb_put(buf, len, 58, 64, 2);         /* e_shentsize */
    eb_put(buf, len, 60, 0, 4);          /* e_shnum, e_shstrndx */
    for (unsigned i = 0; i < b->nph; i++) {
        const struct eb_phdr *p = &b->ph[i];
        uint64_t o = b->phoff + (uint64_t)i * 56;

        if (o < b->phoff || o + 56 < o)
            break;        /* the table wraps: nothing of it is in the file */
        eb_put(buf, len, o + 0, p->type, 4);
        eb_put(buf, len, o + 4, p->flags, 4);
        eb_put(buf, len, o + 8, p->offset, 8);
        eb_put(buf, len, o + 16, p->vaddr, 8);
        eb_put(buf, len, o + 24, p->paddr, 8);
        eb_put(buf, len, o + 32, p->filesz, 8);
        eb_put(buf, len, o + 40, p->memsz, 8);
        eb_put(buf, len, o + 48, p->align, 8);
    }
}

/* Parse `len` bytes of `data` from an exactly sized heap copy at +shift. */
err_t eb_parse_bytes(const uint8_t *data, uint64_t len, unsigned shift,
                     const struct elf_limits *lim, struct elf_image *img,
                     const char **detail);
/* Build b and parse it with eb_limits. */
err_t eb_parse(const struct eb *b, struct elf_image *img,
               const char **detail);
/* True if every byte of *img is zero (the state after a rejection). */
bool eb_image_zero(const struct elf_image *img);
/* Read a whole file into a malloc'd buffer; NULL on failure. */
uint8_t *eb_read_file(const char *path, uint64_t *len);

/* Check one rejection: exact code, exact detail, *img zeroed. */
void eb_expect(struct test_ctx *t, const char *file, int line, err_t got,
               const char *detail, const struct elf_image *img, uint64_t len,
               err_t want, const char *want_detail);

#define EXPECT_REJECT(b, code, why)                                         \
    do {                                                                    \
        struct elf_image img_;                                              \
        const char *det_ = "unset";                                         \
        err_t e_ = eb_parse((b), &img_, &det_);                             \
        eb_expect(t, __FILE__, __LINE__, e_, det_, &img_, (b)->len, (code), \
                  (why));                                                   \
    } while (0)

#define EXPECT_ACCEPT(b, img)                                               \
    do {                                                                    \
        const char *det_ = "unset";                                         \
        err_t e_ = eb_parse((b), (img), &det_);                             \
        eb_expect(t, __FILE__, __LINE__, e_, det_, (img), (b)->len, ERR_OK, \
                  0);                                                       \
    } while (0)
