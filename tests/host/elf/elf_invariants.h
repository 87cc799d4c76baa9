/*
 * elf_invariants.h - the postconditions of a successful elf_parse, checked
 * independently of the parser.  Shared by the host tests and the fuzz target
 * (tests/fuzz/elf_fuzz.c): whatever bytes were accepted, the image handed to
 * the loader must satisfy all of these.
 */
#pragma once

#include <kernel/elf.h>
#include <stdint.h>

/* Page-rounded [lo, hi) of segment s (addresses are below 2^47). */
static inline void elf_inv_span(const struct elf_segment *s, uint64_t *lo,
                                uint64_t *hi)
{
    *lo = s->vaddr & ~(uint64_t)(ELF_PAGE_SIZE - 1);
    *hi = (s->vaddr + s->memsz + ELF_PAGE_SIZE - 1) &
          ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

/* One segment against the limits and the file; NULL or the broken rule. */
static inline const char *elf_inv_segment(const struct elf_segment *s,
                                          const struct elf_limits *lim,
                                          uint64_t len)
{
    if (s->memsz == 0 || s->filesz > s->memsz)
        return "segment sizes";
    if (s->offset > len || s->filesz > len - s->offset)
        return "segment data outside file";
    if (s->vaddr < lim->user_min || s->vaddr > lim->user_max ||
        s->memsz > lim->user_max - s->vaddr)
        return "segment outside user range";
    if ((s->prot & ELF_PROT_W) && (s->prot & ELF_PROT_X))
        return "segment W+X";
    if (s->prot & ~(uint32_t)(ELF_PROT_R | ELF_PROT_W | ELF_PROT_X))
        return "segment prot bits";
    return 0;
}

/* True if [va, va+n) lies inside s (n == 0: va in [vaddr, vaddr+memsz]). */
static inline int elf_inv_inside(const struct elf_segment *s, uint64_t va,
                                 uint64_t n)
{
    return va >= s->vaddr && va - s->vaddr <= s->memsz &&
           n <= s->memsz - (va - s->vaddr);
}

/* TLS and entry references; NULL or the broken rule. */
static inline const char *elf_inv_refs(const struct elf_image *img)
{
    int tls_ok = !img->tls.present, entry_ok = 0;

    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];

        if (img->tls.present &&
            elf_inv_inside(s, img->tls.vaddr, img->tls.filesz))
            tls_ok = 1;
        if ((s->prot & ELF_PROT_X) && elf_inv_inside(s, img->entry, 1))
            entry_ok = 1;
    }
    if (!tls_ok)
        return "TLS outside segments";
    if (img->tls.present && (img->tls.filesz > img->tls.memsz ||
                             img->tls.align == 0 ||
                             (img->tls.align & (img->tls.align - 1))))
        return "TLS fields";
    return entry_ok ? 0 : "entry not executable";
}

/* All postconditions of an accepted image; NULL if they hold. */
static inline const char *elf_check_invariants(const struct elf_image *img,
                                               const struct elf_limits *lim,
                                               uint64_t len)
{
    uint64_t total = 0, prev_hi = 0, lo, hi;
    const char *why;

    if (img->nsegs == 0 || img->nsegs > ELF_MAX_SEGS)
        return "segment count";
    for (uint32_t i = 0; i < img->nsegs; i++) {
        if ((why = elf_inv_segment(&img->segs[i], lim, len)) != 0)
            return why;
        elf_inv_span(&img->segs[i], &lo, &hi);
        if (i > 0 && lo < prev_hi)
            return "segments unsorted or sharing a page";
        if (i == 0 && img->lowest != lo)
            return "lowest";
        total += hi - lo;
        prev_hi = hi;
    }
    if (img->highest != prev_hi)
        return "highest";
    if (total > lim->max_total)
        return "total size";
    return elf_inv_refs(img);
}
