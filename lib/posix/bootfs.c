/* SPDX-License-Identifier: MIT */
/*
 * bootfs.c - the read-only file system at /boot: the binaries of the boot
 * package (SystemManifest.binaries), one file per binary, by name.
 *
 * Theory of operation: the first use reads the whole manifest through the
 * BootPackage cap into anonymous memory (mmap, so it counts against the
 * process like any memory) and parses it with the generated reader; a
 * manifest that cannot be read or parsed makes /boot empty, and the error
 * is what every lookup answers (EIO for a malformed one).  Files are
 * views into that copy: read, pread, lseek and fstat work, nothing
 * writes (every write is EROFS or EBADF).  /boot has no subdirectories;
 * a binary's name is used as it is, and a name with a '/' in it cannot be
 * reached.
 */
#include <capos/capos.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "posix.h"

#define BOOT_CHUNK 4096u

static struct {
    bool tried;
    long err;                       /* 0 or -errno of the load */
    struct capnp_msg msg;
    capos_binary_rlist bins;
    uint32_t count;
} bfs;

/* Read and parse the manifest once; 0 or -errno. */
static long bootfs_load(void)
{
    uint64_t size, off = 0;
    if (bfs.tried)
        return bfs.err;
    bfs.tried = true;
    err_t e = posix_cap_boot_size(posix.caps.boot, &size);
    if (e != ERR_OK)
        return bfs.err = posix_err(e);
    const long a[6] = {0, (long)(size ? size : 1), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0};
    long p = posix_sys_mmap(a);
    if (p < 0)
        return bfs.err = p;
    uint8_t *buf = (uint8_t *)p;
    while (off < size) {
        uint32_t got = 0;
        uint32_t want = size - off > BOOT_CHUNK ? BOOT_CHUNK
                                                : (uint32_t)(size - off);
        e = posix_cap_boot_read(posix.caps.boot, off, buf + off, want, &got);
        if (e != ERR_OK)
            return bfs.err = posix_err(e);
        if (got == 0 || got > want)
            return bfs.err = -EIO;
        off += got;
    }
    if (capos_msg_read(&bfs.msg, buf, size) != ERR_OK)
        return bfs.err = -EIO;
    bfs.bins = capos_system_manifest_get_binaries(
        capos_system_manifest_read_root(&bfs.msg));
    bfs.count = capos_binary_rlist_len(bfs.bins);
    if (capnp_msg_error(&bfs.msg) != CAPNP_OK)
        return bfs.err = -EIO;
    return 0;
}

/* Binary i's name (NUL-terminated text) and data; false if unreadable. */
static bool bootfs_entry(uint32_t i, struct capnp_text *name,
                         struct capnp_data *data)
{
    capos_binary_r b = capos_binary_rlist_get(bfs.bins, i);
    *name = capos_binary_get_name(b);
    if (data)
        *data = capos_binary_get_data(b);
    return capnp_msg_error(&bfs.msg) == CAPNP_OK && name->str;
}

/* The index of the binary called rel, or -ENOENT/-ENOTDIR. */
static long bootfs_find(const char *rel, uint32_t *index)
{
    const char *slash = strchr(rel, '/');
    size_t len = slash ? (size_t)(slash - rel) : strlen(rel);
    for (uint32_t i = 0; i < bfs.count; i++) {
        struct capnp_text name;
        if (!bootfs_entry(i, &name, NULL))
            return -EIO;
        if (name.len == len && memcmp(name.str, rel, len) == 0) {
            *index = i;
            return slash ? -ENOTDIR : 0;
        }
    }
    return -ENOENT;
}

static long file_pread(struct posix_file *f, void *buf, size_t n,
                       uint64_t off)
{
    struct posix_ofile *o = (struct posix_ofile *)f;
    if (off >= o->len)
        return 0;
    if (n > o->len - off)
        n = (size_t)(o->len - off);
    memcpy(buf, o->data + off, n);
    return (long)n;
}

static long file_read(struct posix_file *f, void *buf, size_t n)
{
    long r = file_pread(f, buf, n, f->offset);
    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

static uint64_t file_size(struct posix_file *f)
{
    return ((struct posix_ofile *)f)->len;
}

static long file_fstat(struct posix_file *f, struct posix_stat *st)
{
    struct posix_ofile *o = (struct posix_ofile *)f;
    *st = (struct posix_stat){.mode = S_IFREG | 0444, .size = o->len,
                              .ino = o->index + 2};
    return 0;
}

static const struct posix_file_ops file_ops = {
    .read = file_read,
    .pread = file_pread,
    .size = file_size,
    .fstat = file_fstat,
    .release = posix_ofile_release,
};

/* Directory entry i of /boot. */
static const char *dir_name(struct posix_file *f, uint32_t i, size_t *len,
                            bool *dir)
{
    struct capnp_text name;
    (void)f;
    *dir = false;
    if (!bootfs_entry(i, &name, NULL)) {
        *len = 1;
        return "?";
    }
    *len = name.len;
    return name.str;
}

static long dir_getdents(struct posix_file *f, void *buf, size_t n)
{
    return posix_dir_getdents(f, buf, n, bfs.count, dir_name);
}

static long dir_fstat(struct posix_file *f, struct posix_stat *st)
{
    (void)f;
    *st = (struct posix_stat){.mode = S_IFDIR | 0555, .ino = 1};
    return 0;
}

static const struct posix_file_ops dir_ops = {
    .getdents = dir_getdents,
    .fstat = dir_fstat,
    .release = posix_ofile_release,
};

/* stat of /boot or /boot/NAME. */
static long bootfs_stat(const char *rel, struct posix_stat *st)
{
    uint32_t i;
    struct capnp_text name;
    struct capnp_data data;
    long r = bootfs_load();
    if (r)
        return r;
    if (!rel[0])
        return dir_fstat(NULL, st);
    if ((r = bootfs_find(rel, &i)) != 0)
        return r;
    if (!bootfs_entry(i, &name, &data))
        return -EIO;
    *st = (struct posix_stat){.mode = S_IFREG | 0444, .size = data.len,
                              .ino = i + 2};
    return 0;
}

/* open of /boot or /boot/NAME, read-only. */
static long bootfs_open(const char *rel, int flags, struct posix_file **out)
{
    uint32_t i = 0;
    struct capnp_text name;
    struct capnp_data data = {0};
    long r = bootfs_load();
    if (r)
        return r;
    if (rel[0] && (r = bootfs_find(rel, &i)) != 0)
        return r == -ENOENT && (flags & O_CREAT) ? -EROFS : r;
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
        return -EEXIST;
    if (!rel[0] && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
        return -EISDIR;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return -EROFS;
    if (rel[0] && (flags & O_DIRECTORY))
        return -ENOTDIR;
    if (rel[0] && !bootfs_entry(i, &name, &data))
        return -EIO;
    struct posix_ofile *o = posix_ofile_alloc(rel[0] ? &file_ops : &dir_ops);
    if (!o)
        return -ENFILE;
    o->data = data.ptr;
    o->len = data.len;
    o->index = i;
    o->f.dir_path = rel[0] ? NULL : "/boot";
    *out = &o->f;
    return 0;
}

const struct posix_mount posix_bootfs = {
    .name = "boot",
    .open = bootfs_open,
    .stat = bootfs_stat,
    .read_only = true,
};
