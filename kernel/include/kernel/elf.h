/*
 * elf.h - parser and validator for static x86-64 ELF64 executables (user
 * program images).  Portable, freestanding, host-tested; the kernel loader
 * consumes the validated struct elf_image and never looks at the raw headers.
 * Design notes: kernel/proc/elf.c and docs/elf.md.
 */
#pragma once

#include <abi/errors.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 16          /* PT_LOAD segments accepted (memsz > 0) */
#define ELF_MAX_PHNUM 64         /* program headers accepted */
#define ELF_PAGE_SIZE 4096u      /* granularity of overlap and size checks */
/* Highest exclusive user_max accepted: the x86-64 canonical lower half. */
#define ELF_USER_CEILING UINT64_C(0x0000800000000000)

#define ELF_PROT_R 1
#define ELF_PROT_W 2
#define ELF_PROT_X 4

/* One PT_LOAD: copy file[offset, offset+filesz) to vaddr, zero to memsz. */
struct elf_segment {
    uint64_t vaddr, memsz, filesz, offset;
    uint32_t prot;               /* ELF_PROT_* (never W and X together) */
};

/* The PT_TLS template; its [vaddr, vaddr+filesz) lies inside a segment. */
struct elf_tls {
    uint64_t vaddr, filesz, memsz, align;   /* align: power of two, >= 1 */
    bool present;
};

/* A validated image.  segs[0..nsegs) are sorted by vaddr, share no page. */
struct elf_image {
    uint64_t entry;              /* inside an ELF_PROT_X segment */
    struct elf_segment segs[ELF_MAX_SEGS];
    uint32_t nsegs;              /* 1..ELF_MAX_SEGS */
    struct elf_tls tls;
    uint64_t lowest, highest;    /* page-rounded span [lowest, highest) */
};

/* Address-space policy of the caller. */
struct elf_limits {
    uint64_t user_min;   /* lowest allowed vaddr, page-aligned, e.g. 0x10000 */
    uint64_t user_max;   /* exclusive upper bound, page-aligned, at most
                            ELF_USER_CEILING, e.g. 0x00007f0000000000 */
    uint64_t max_total;  /* max sum of page-rounded memsz, e.g. 256 MiB */
};

/*
 * Parse and validate `len` bytes at `file` (any alignment; never read outside
 * [file, file+len)).  On success fills *img and sets *detail to NULL.  On
 * failure zeroes *img (if non-NULL) and sets *detail (if non-NULL) to a
 * static string naming the failed check.  Errors:
 *   ERR_INVAL      NULL argument or inconsistent *lim
 *   ERR_BADFORMAT  not a well-formed x86-64 ELF64 LSB executable image
 *   ERR_NOSYS      well-formed, but needs an unsupported feature (ET_DYN and
 *                  other non-ET_EXEC types, PN_XNUM, PT_INTERP, PT_DYNAMIC)
 *   ERR_OVERFLOW   an offset+size or address+size wraps around 2^64
 *   ERR_RANGE      outside *lim or a fixed limit (address range, counts,
 *                  total size)
 *   ERR_PERM       violates W^X (a W+X segment, an executable stack)
 */
err_t elf_parse(const void *file, size_t len, const struct elf_limits *lim,
                struct elf_image *img, const char **detail)
    __attribute__((warn_unused_result));
