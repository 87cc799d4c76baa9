/*
 * bootinfo.c - Multiboot2 and PVH boot information parsers.
 *
 * Pure code (host-tested): every structure is reached through the caller's
 * boot_phys_fn, every length is checked against its container before use,
 * and strings are copied with a bound.  A malformed structure gives
 * ERR_BADFORMAT, never a read out of bounds.
 */
#include <kernel/bootinfo.h>
#include <common/string.h>

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER  2
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6
#define MB2_TAG_RSDP1   14
#define MB2_TAG_RSDP2   15
#define MB2_MAX_SIZE    (1u << 20)

/* Copy a NUL-terminated string of at most srclen bytes into dst[n]. */
static void copy_str(char *dst, size_t n, const char *src, size_t srclen)
{
    size_t i = 0;
    for (; i + 1 < n && i < srclen && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Add a memory range, merging nothing; ERR_FULL if the table is full. */
static err_t add_mem(struct boot_info *bi, uint64_t base, uint64_t len,
                     uint32_t type)
{
    if (bi->nmem >= BOOT_MAX_MEM)
        return ERR_FULL;
    if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
        type = BOOT_MEM_RESERVED;
    if (base + len < base)
        len = UINT64_MAX - base;
    bi->mem[bi->nmem++] = (struct boot_mem_range){base, len, type};
    return ERR_OK;
}

static err_t add_mod(struct boot_info *bi, uint64_t start, uint64_t end,
                     const char *name, size_t namelen)
{
    if (bi->nmods >= BOOT_MAX_MODS)
        return ERR_FULL;
    if (end < start)
        return ERR_BADFORMAT;
    struct boot_module *m = &bi->mods[bi->nmods++];
    m->base = start;
    m->len = end - start;
    copy_str(m->name, sizeof m->name, name, namelen);
    return ERR_OK;
}

/* Parse the entries of a Multiboot2 memory-map tag. */
static err_t mb2_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
    if (size < 16)
        return ERR_BADFORMAT;
    uint32_t esize = rd32(tag + 8);
    if (esize < 24 || esize % 8)
        return ERR_BADFORMAT;
    for (uint32_t off = 16; off + esize <= size; off += esize) {
        const uint8_t *e = tag + off;
        err_t r = add_mem(bi, rd64(e), rd64(e + 8), rd32(e + 16));
        if (r)
            return r;
    }
    return ERR_OK;
}

/* Handle one Multiboot2 tag of `size` bytes. */
static err_t mb2_tag(struct boot_info *bi, const uint8_t *tag, uint32_t type,
                     uint32_t size)
{
    switch (type) {
    case MB2_TAG_CMDLINE:
        copy_str(bi->cmdline, sizeof bi->cmdline, (const char *)tag + 8,
                 size - 8);
        return ERR_OK;
    case MB2_TAG_LOADER:
        copy_str(bi->loader, sizeof bi->loader, (const char *)tag + 8, size - 8);
        return ERR_OK;
    case MB2_TAG_MODULE:
        if (size < 16)
            return ERR_BADFORMAT;
        return add_mod(bi, rd32(tag + 8), rd32(tag + 12),
                       (const char *)tag + 16, size - 16);
    case MB2_TAG_MMAP:
        return mb2_mmap(bi, tag, size);
    case MB2_TAG_RSDP1:
    case MB2_TAG_RSDP2:
        if (!bi->rsdp)
            bi->rsdp = 0; /* RSDP is copied into the tag; ACPI comes later */
        return ERR_OK;
    default:
        return ERR_OK;
    }
}

static err_t parse_mb2(struct boot_info *bi, uint64_t info, boot_phys_fn phys)
{
    const uint8_t *hdr = phys(info, 8);
    if (!hdr)
        return ERR_FAULT;
    uint32_t total = rd32(hdr);
    if (total < 16 || total > MB2_MAX_SIZE)
        return ERR_BADFORMAT;
    const uint8_t *p = phys(info, total);
    if (!p)
        return ERR_FAULT;
    bi->protocol = "multiboot2";
    bi->info_base = info;
    bi->info_len = total;
    for (uint32_t off = 8; off + 8 <= total;) {
        uint32_t type = rd32(p + off), size = rd32(p + off + 4);
        if (size < 8 || size > total - off)
            return ERR_BADFORMAT;
        if (type == MB2_TAG_END)
            return ERR_OK;
        err_t r = mb2_tag(bi, p + off, type, size);
        if (r)
            return r;
        off += (size + 7) & ~7u;
    }
    return ERR_BADFORMAT;   /* no end tag */
}

/* Copy a PVH string at physical `pa` (bounded by dst size). */
static void pvh_str(char *dst, size_t n, uint64_t pa, boot_phys_fn phys)
{
    dst[0] = '\0';
    const char *s = pa ? phys(pa, n) : NULL;
    if (s)
        copy_str(dst, n, s, n);
}

static err_t parse_pvh(struct boot_info *bi, uint64_t info, boot_phys_fn phys)
{
    const uint8_t *si = phys(info, 56);
    if (!si)
        return ERR_FAULT;
    if (rd32(si) != BOOT_MAGIC_PVH || rd32(si + 4) < 1)
        return ERR_BADFORMAT;
    bi->protocol = "pvh";
    bi->info_base = info;
    bi->info_len = 56;
    uint32_t nmods = rd32(si + 12), nmem = rd32(si + 48);
    pvh_str(bi->cmdline, sizeof bi->cmdline, rd64(si + 24), phys);
    copy_str(bi->loader, sizeof bi->loader, "qemu-pvh", 9);
    bi->rsdp = rd64(si + 32);
    if (nmods > BOOT_MAX_MODS || nmem > BOOT_MAX_MEM)
        return ERR_BADFORMAT;
    const uint8_t *mods = nmods ? phys(rd64(si + 16), nmods * 32ull) : NULL;
    const uint8_t *mem = nmem ? phys(rd64(si + 40), nmem * 24ull) : NULL;
    if ((nmods && !mods) || (nmem && !mem))
        return ERR_FAULT;
    for (uint32_t i = 0; i < nmods; i++) {
        const uint8_t *m = mods + 32 * i;
        uint64_t base = rd64(m), len = rd64(m + 8);
        char name[BOOT_MODNAME];
        pvh_str(name, sizeof name, rd64(m + 16), phys);
        if (base + len < base || add_mod(bi, base, base + len, name, sizeof name))
            return ERR_BADFORMAT;
    }
    for (uint32_t i = 0; i < nmem; i++) {
        const uint8_t *e = mem + 24 * i;
        err_t r = add_mem(bi, rd64(e), rd64(e + 8), rd32(e + 16));
        if (r)
            return r;
    }
    return ERR_OK;
}

err_t bootinfo_parse(struct boot_info *bi, uint32_t magic, uint64_t info,
                     boot_phys_fn phys)
{
    memset(bi, 0, sizeof *bi);
    if (magic == BOOT_MAGIC_MB2)
        return parse_mb2(bi, info, phys);
    if (magic == BOOT_MAGIC_PVH)
        return parse_pvh(bi, info, phys);
    return ERR_INVAL;
}

err_t bootinfo_arg(const struct boot_info *bi, const char *key, char *buf,
                   size_t buflen)
{
    size_t klen = strlen(key);
    const char *s = bi->cmdline;
    while (*s) {
        while (*s == ' ')
            s++;
        const char *w = s;
        while (*s && *s != ' ')
            s++;
        if ((size_t)(s - w) > klen && !strncmp(w, key, klen) && w[klen] == '=') {
            copy_str(buf, buflen, w + klen + 1, (size_t)(s - w) - klen - 1);
            return ERR_OK;
        }
    }
    return ERR_NOTFOUND;
}

uint64_t bootinfo_max_usable(const struct boot_info *bi)
{
    uint64_t max = 0;
    for (uint32_t i = 0; i < bi->nmem; i++)
        if (bi->mem[i].type == BOOT_MEM_USABLE &&
            bi->mem[i].base + bi->mem[i].len > max)
            max = bi->mem[i].base + bi->mem[i].len;
    return max;
}
