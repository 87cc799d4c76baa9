/*
 * elf.c - parse and validate a static x86-64 ELF64 executable.
 *
 * Theory of operation.  The file is hostile input.  elf_parse never writes
 * through or trusts it: every field is read with explicit little-endian byte
 * loads (any buffer alignment works, no unaligned or type-punned access),
 * only after the bytes were proved to lie inside [file, file+len), and every
 * sum of two untrusted 64-bit values goes through __builtin_add_overflow.
 *
 * Phases, each a flat chain of check -> precise error (see elf.h for the
 * error classes and docs/elf.md for the full table):
 *   1. limits      the caller's policy is itself sane
 *   2. ELF header  ident, type, machine, sizes, the phdr table bounds
 *   3. each phdr   PT_LOAD -> validated and appended to img->segs;
 *                  PT_TLS -> recorded; PT_GNU_STACK -> must not be X;
 *                  PT_INTERP, PT_DYNAMIC -> rejected; others ignored
 *   4. the image   sort by vaddr, no shared 4 KiB page, total size, TLS
 *                  inside a segment, entry inside an executable segment
 * Only ET_EXEC is accepted: images are static and linked at their final
 * addresses, so the loader needs no relocation.  PT_LOAD with memsz 0 is
 * checked like any other and then ignored (it maps nothing).
 *
 * No globals, no allocation; the state of one parse lives in struct parse.
 */
#include <common/string.h>
#include <kernel/elf.h>

/* ELF constants used here (from the System V gABI and the x86-64 psABI). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PN_XNUM 0xffffu
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define EHDR_SIZE 64u
#define PHDR_SIZE 56u

/* Decoded ELF header (only the fields we use). */
struct ehdr {
    uint16_t type, machine, ehsize, phentsize, phnum;
    uint32_t version;
    uint64_t entry, phoff;
};

/* Decoded program header. */
struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz, align;
};

/* State of one elf_parse call. */
struct parse {
    const uint8_t *file;
    uint64_t len;
    const struct elf_limits *lim;
    struct elf_image *img;
    const char *detail;
};

/* Little-endian loads from a byte pointer; the caller checked the bounds. */
static uint64_t le(const uint8_t *p, unsigned nbytes)
{
    uint64_t v = 0;

    while (nbytes--)
        v = (v << 8) | p[nbytes];
    return v;
}

/* Record why the parse failed and return `e`. */
static err_t reject(struct parse *ps, err_t e, const char *why)
{
    ps->detail = why;
    return e;
}

/* True for 0 and powers of two (the legal p_align values). */
static bool is_pow2_or_zero(uint64_t v)
{
    return (v & (v - 1)) == 0;
}

/* Round down to a page boundary. */
static uint64_t page_down(uint64_t v)
{
    return v & ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

/* Round up; the caller guarantees v <= user_max <= ELF_USER_CEILING. */
static uint64_t page_up(uint64_t v)
{
    return page_down(v + ELF_PAGE_SIZE - 1);
}

/* Phase 1: the limits must describe a non-empty page-aligned user range. */
static err_t check_limits(struct parse *ps)
{
    const struct elf_limits *l = ps->lim;

    if (l->user_min % ELF_PAGE_SIZE || l->user_max % ELF_PAGE_SIZE)
        return reject(ps, ERR_INVAL, "limits: user range not page-aligned");
    if (l->user_min >= l->user_max)
        return reject(ps, ERR_INVAL, "limits: user_min >= user_max");
    if (l->user_max > ELF_USER_CEILING)
        return reject(ps, ERR_INVAL, "limits: user_max above lower half");
    return ERR_OK;
}

/* Phase 2a: e_ident; the caller checked len >= EHDR_SIZE. */
static err_t check_ident(struct parse *ps)
{
    const uint8_t *id = ps->file;

    if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return reject(ps, ERR_BADFORMAT, "bad ELF magic");
    if (id[EI_CLASS] != ELFCLASS64)
        return reject(ps, ERR_BADFORMAT, "EI_CLASS not ELFCLASS64");
    if (id[EI_DATA] != ELFDATA2LSB)
        return reject(ps, ERR_BADFORMAT, "EI_DATA not ELFDATA2LSB");
    if (id[EI_VERSION] != EV_CURRENT)
        return reject(ps, ERR_BADFORMAT, "EI_VERSION not 1");
    return ERR_OK;
}

/* Decode the fixed-layout ELF64 header at p (EHDR_SIZE bytes). */
static void read_ehdr(const uint8_t *p, struct ehdr *e)
{
    e->type = (uint16_t)le(p + 16, 2);
    e->machine = (uint16_t)le(p + 18, 2);
    e->version = (uint32_t)le(p + 20, 4);
    e->entry = le(p + 24, 8);
    e->phoff = le(p + 32, 8);
    e->ehsize = (uint16_t)le(p + 52, 2);
    e->phentsize = (uint16_t)le(p + 54, 2);
    e->phnum = (uint16_t)le(p + 56, 2);
}

/* Phase 2b: header fields and the bounds of the program header table. */
static err_t check_ehdr(struct parse *ps, const struct ehdr *e)
{
    uint64_t end;

    if (e->type == ET_DYN)
        return reject(ps, ERR_NOSYS, "ET_DYN (PIE) not supported");
    if (e->type != ET_EXEC)
        return reject(ps, ERR_NOSYS, "e_type not ET_EXEC");
    if (e->machine != EM_X86_64)
        return reject(ps, ERR_BADFORMAT, "e_machine not EM_X86_64");
    if (e->version != EV_CURRENT)
        return reject(ps, ERR_BADFORMAT, "e_version not 1");
    if (e->ehsize != EHDR_SIZE)
        return reject(ps, ERR_BADFORMAT, "e_ehsize not 64");
    if (e->phentsize != PHDR_SIZE)
        return reject(ps, ERR_BADFORMAT, "e_phentsize not 56");
    if (e->phnum == 0)
        return reject(ps, ERR_BADFORMAT, "e_phnum is 0");
    if (e->phnum == PN_XNUM)
        return reject(ps, ERR_NOSYS, "e_phnum is PN_XNUM");
    if (e->phnum > ELF_MAX_PHNUM)
        return reject(ps, ERR_RANGE, "e_phnum above 64");
    /* phnum <= 64, so phnum * 56 cannot overflow; phoff + it can. */
    if (__builtin_add_overflow(e->phoff, (uint64_t)e->phnum * PHDR_SIZE, &end))
        return reject(ps, ERR_OVERFLOW, "e_phoff + phdr table overflows");
    if (end > ps->len)
        return reject(ps, ERR_BADFORMAT, "phdr table outside file");
    return ERR_OK;
}

/* Decode the program header at p (PHDR_SIZE bytes). */
static void read_phdr(const uint8_t *p, struct phdr *ph)
{
    ph->type = (uint32_t)le(p + 0, 4);
    ph->flags = (uint32_t)le(p + 4, 4);
    ph->offset = le(p + 8, 8);
    ph->vaddr = le(p + 16, 8);
    ph->filesz = le(p + 32, 8);
    ph->memsz = le(p + 40, 8);
    ph->align = le(p + 48, 8);
}

/* Phase 3, PT_LOAD: file range, address range, alignment, W^X; append. */
static err_t check_load(struct parse *ps, const struct phdr *ph)
{
    struct elf_image *img = ps->img;
    uint64_t fend, vend;

    if (ph->filesz > ph->memsz)
        return reject(ps, ERR_BADFORMAT, "PT_LOAD p_filesz > p_memsz");
    if (__builtin_add_overflow(ph->offset, ph->filesz, &fend))
        return reject(ps, ERR_OVERFLOW, "PT_LOAD offset + filesz overflows");
    if (fend > ps->len)
        return reject(ps, ERR_BADFORMAT, "PT_LOAD data outside file");
    if (__builtin_add_overflow(ph->vaddr, ph->memsz, &vend))
        return reject(ps, ERR_OVERFLOW, "PT_LOAD vaddr + memsz overflows");
    if (!is_pow2_or_zero(ph->align))
        return reject(ps, ERR_BADFORMAT, "PT_LOAD p_align not a power of 2");
    if ((ph->flags & PF_W) && (ph->flags & PF_X))
        return reject(ps, ERR_PERM, "PT_LOAD writable and executable");
    if (ph->memsz == 0)
        return ERR_OK;   /* maps nothing: ignored */
    if (ph->vaddr < ps->lim->user_min)
        return reject(ps, ERR_RANGE, "PT_LOAD below user_min");
    if (vend > ps->lim->user_max)
        return reject(ps, ERR_RANGE, "PT_LOAD above user_max");
    if (img->nsegs == ELF_MAX_SEGS)
        return reject(ps, ERR_RANGE, "more than ELF_MAX_SEGS PT_LOAD");
    img->segs[img->nsegs++] = (struct elf_segment){
        .vaddr = ph->vaddr, .memsz = ph->memsz, .filesz = ph->filesz,
        .offset = ph->offset,
        .prot = ((ph->flags & PF_R) ? ELF_PROT_R : 0) |
                ((ph->flags & PF_W) ? ELF_PROT_W : 0) |
                ((ph->flags & PF_X) ? ELF_PROT_X : 0)};
    return ERR_OK;
}

/* Phase 3, PT_TLS: record the template; containment is checked in phase 4.
 * An empty one (linkers emit it when the program has no TLS) is ignored. */
static err_t check_tls(struct parse *ps, const struct phdr *ph)
{
    struct elf_tls *tls = &ps->img->tls;
    uint64_t end;

    if (tls->present)
        return reject(ps, ERR_BADFORMAT, "more than one PT_TLS");
    if (ph->memsz == 0 && ph->filesz == 0)
        return ERR_OK;          /* an empty TLS segment: no TLS at all */
    if (ph->filesz > ph->memsz)
        return reject(ps, ERR_BADFORMAT, "PT_TLS p_filesz > p_memsz");
    if (__builtin_add_overflow(ph->vaddr, ph->filesz, &end))
        return reject(ps, ERR_OVERFLOW, "PT_TLS vaddr + filesz overflows");
    if (!is_pow2_or_zero(ph->align))
        return reject(ps, ERR_BADFORMAT, "PT_TLS p_align not a power of 2");
    if (ph->memsz > ps->lim->max_total)
        return reject(ps, ERR_RANGE, "PT_TLS p_memsz above max_total");
    *tls = (struct elf_tls){.vaddr = ph->vaddr, .filesz = ph->filesz,
                            .memsz = ph->memsz,
                            .align = ph->align ? ph->align : 1,
                            .present = true};
    return ERR_OK;
}

/* Phase 3: dispatch one program header on its type. */
static err_t check_phdr(struct parse *ps, const struct phdr *ph)
{
    switch (ph->type) {
    case PT_LOAD:
        return check_load(ps, ph);
    case PT_TLS:
        return check_tls(ps, ph);
    case PT_INTERP:
        return reject(ps, ERR_NOSYS, "PT_INTERP not supported");
    case PT_DYNAMIC:
        return reject(ps, ERR_NOSYS, "PT_DYNAMIC not supported");
    case PT_GNU_STACK:
        if (ph->flags & PF_X)
            return reject(ps, ERR_PERM, "PT_GNU_STACK executable");
        return ERR_OK;
    default:
        return ERR_OK;   /* PT_NOTE, PT_PHDR, PT_GNU_*, ...: not needed */
    }
}

/* Phase 4a: insertion sort of img->segs by vaddr (at most ELF_MAX_SEGS). */
static void sort_segments(struct elf_image *img)
{
    for (uint32_t i = 1; i < img->nsegs; i++) {
        struct elf_segment s = img->segs[i];
        uint32_t j = i;

        for (; j > 0 && img->segs[j - 1].vaddr > s.vaddr; j--)
            img->segs[j] = img->segs[j - 1];
        img->segs[j] = s;
    }
}

/* Phase 4b: sorted segments share no page; page-rounded total, span. */
static err_t check_layout(struct parse *ps)
{
    struct elf_image *img = ps->img;
    uint64_t total = 0, prev_end = 0;

    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];
        uint64_t lo = page_down(s->vaddr), hi = page_up(s->vaddr + s->memsz);

        if (i > 0 && lo < prev_end)
            return reject(ps, ERR_BADFORMAT, "PT_LOAD segments share a page");
        if (__builtin_add_overflow(total, hi - lo, &total) ||
            total > ps->lim->max_total)
            return reject(ps, ERR_RANGE, "total PT_LOAD size above max_total");
        prev_end = hi;
    }
    img->lowest = page_down(img->segs[0].vaddr);
    img->highest = prev_end;
    return ERR_OK;
}

/* Index of the segment containing [va, va+n) (n may be 0), or -1. */
static int find_segment(const struct elf_image *img, uint64_t va, uint64_t n)
{
    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];

        if (va >= s->vaddr && va - s->vaddr <= s->memsz &&
            n <= s->memsz - (va - s->vaddr))
            return (int)i;
    }
    return -1;
}

/* Phase 4c: the TLS template and the entry point lie in mapped memory. */
static err_t check_refs(struct parse *ps, const struct ehdr *e)
{
    const struct elf_image *img = ps->img;
    int i;

    if (img->tls.present &&
        find_segment(img, img->tls.vaddr, img->tls.filesz) < 0)
        return reject(ps, ERR_BADFORMAT, "PT_TLS not inside a PT_LOAD");
    i = find_segment(img, e->entry, 1);
    if (i < 0 || !(img->segs[i].prot & ELF_PROT_X))
        return reject(ps, ERR_BADFORMAT, "entry not in executable PT_LOAD");
    return ERR_OK;
}

/* Phases 2-4 on a buffer of at least EHDR_SIZE bytes. */
static err_t parse_image(struct parse *ps)
{
    struct ehdr e;
    struct phdr ph;
    err_t err;

    if ((err = check_ident(ps)) != ERR_OK)
        return err;
    read_ehdr(ps->file, &e);
    if ((err = check_ehdr(ps, &e)) != ERR_OK)
        return err;
    for (uint32_t i = 0; i < e.phnum; i++) {
        read_phdr(ps->file + e.phoff + (uint64_t)i * PHDR_SIZE, &ph);
        if ((err = check_phdr(ps, &ph)) != ERR_OK)
            return err;
    }
    if (ps->img->nsegs == 0)
        return reject(ps, ERR_BADFORMAT, "no PT_LOAD with p_memsz > 0");
    sort_segments(ps->img);
    if ((err = check_layout(ps)) != ERR_OK)
        return err;
    ps->img->entry = e.entry;
    return check_refs(ps, &e);
}

/* Parse and validate an image; see elf.h for the contract and errors. */
err_t elf_parse(const void *file, size_t len, const struct elf_limits *lim,
                struct elf_image *img, const char **detail)
{
    struct parse ps = {.file = file, .len = len, .lim = lim, .img = img};
    err_t err;

    if (!lim || !img || (!file && len))
        err = reject(&ps, ERR_INVAL, "NULL argument");
    else
        err = check_limits(&ps);
    if (err == ERR_OK && len < EHDR_SIZE)
        err = reject(&ps, ERR_BADFORMAT, "file shorter than the ELF header");
    if (err == ERR_OK) {
        memset(img, 0, sizeof(*img));
        err = parse_image(&ps);
    }
    if (err != ERR_OK && img)
        memset(img, 0, sizeof(*img));
    if (detail)
        *detail = err == ERR_OK ? NULL : ps.detail;
    return err;
}
