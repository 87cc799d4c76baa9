/* SPDX-License-Identifier: MIT */
/*
 * ofile.c - open files of the file systems, the namespace root and the
 * mount table.
 *
 * Theory of operation: every open of a mounted file takes one object from
 * a fixed pool (as many as there are descriptors; the layer allocates
 * nothing); its last close returns it.  A directory is read with
 * getdents64 as Linux dirent64 records: ".", "..", then its entries; the
 * file offset counts entries, so lseek(SEEK_SET) and musl's
 * rewinddir/seekdir work.  The namespace root "/" is such a directory
 * listing the mount points.  The mount table is built at start from the
 * grants: "/boot" when a BootPackage cap named "boot" was granted
 * (bootfs.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "posix.h"

static struct posix_ofile pool[POSIX_FD_MAX];

/* A free pool object, set up for ops. */
struct posix_ofile *posix_ofile_alloc(const struct posix_file_ops *ops)
{
    for (size_t i = 0; i < POSIX_FD_MAX; i++) {
        if (pool[i].used)
            continue;
        memset(&pool[i], 0, sizeof pool[i]);
        pool[i].used = true;
        pool[i].f.ops = ops;
        pool[i].f.status_flags = O_RDONLY;
        return &pool[i];
    }
    return NULL;
}

/* Back to the pool. */
void posix_ofile_release(struct posix_file *f)
{
    ((struct posix_ofile *)f)->used = false;
}

/* Linux's struct linux_dirent64 header. */
struct dirent64_hdr {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
} __attribute__((packed));

/* getdents64 (see posix.h). */
long posix_dir_getdents(struct posix_file *f, void *buf, size_t n,
                        uint32_t count,
                        const char *(*name)(struct posix_file *f, uint32_t i,
                                            size_t *len, bool *dir))
{
    char *out = buf;
    size_t used = 0;
    if (!buf)
        return -EFAULT;
    while (f->offset < (uint64_t)count + 2) {
        uint32_t i = (uint32_t)f->offset;
        size_t len = i + 1;             /* "." and ".." */
        bool dir = true;
        const char *nm = i == 0 ? "." : i == 1 ? ".." : name(f, i - 2, &len, &dir);
        size_t rec = (sizeof(struct dirent64_hdr) + len + 1 + 7) & ~(size_t)7;
        if (rec > n - used) {
            if (used == 0)
                return -EINVAL;         /* buffer too small for one */
            break;
        }
        struct dirent64_hdr h = {
            .d_ino = (uint64_t)i + 1,
            .d_off = (int64_t)i + 1,
            .d_reclen = (uint16_t)rec,
            .d_type = dir ? DT_DIR : DT_REG,
        };
        memcpy(out + used, &h, sizeof h);
        memcpy(out + used + sizeof h, nm, len);
        memset(out + used + sizeof h + len, 0, rec - sizeof h - len);
        used += rec;
        f->offset++;
    }
    return (long)used;
}

/* Mount point i of the root. */
static const char *root_name(struct posix_file *f, uint32_t i, size_t *len,
                             bool *dir)
{
    (void)f;
    *dir = true;
    *len = strlen(posix.mount_name[i]);
    return posix.mount_name[i];
}

static long root_getdents(struct posix_file *f, void *buf, size_t n)
{
    return posix_dir_getdents(f, buf, n, (uint32_t)posix.mounts, root_name);
}

static long root_fstat(struct posix_file *f, struct posix_stat *st)
{
    (void)f;
    *st = (struct posix_stat){.mode = S_IFDIR | 0555, .ino = 1};
    return 0;
}

static const struct posix_file_ops root_ops = {
    .getdents = root_getdents,
    .fstat = root_fstat,
    .release = posix_ofile_release,
};

/* Open "/": read-only, a directory. */
long posix_root_open(int flags, struct posix_file **out)
{
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
        return -EISDIR;
    struct posix_ofile *o = posix_ofile_alloc(&root_ops);
    if (!o)
        return -ENFILE;
    o->f.dir_path = "/";
    *out = &o->f;
    return 0;
}

/* The mount table from the grants. */
void posix_mounts_init(void)
{
    strcpy(posix.cwd, "/");
    if (posix.caps.boot != CAPS_NONE) {
        posix.mount[posix.mounts] = &posix_bootfs;
        posix.mount_name[posix.mounts++] = posix_bootfs.name;
    }
}
