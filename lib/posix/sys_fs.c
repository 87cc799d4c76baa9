/* SPDX-License-Identifier: MIT */
/*
 * sys_fs.c - descriptor system calls.
 *
 * Theory of operation: a descriptor call looks the descriptor up in the
 * table (fd.c; EBADF if it is not open), checks the access mode it was
 * opened with, and uses the file's operations; a file without the
 * operation answers what POSIX gives for its kind (ESPIPE for a stream,
 * ENOTDIR for a non-directory, EISDIR for reading a directory).  Path
 * calls are in sys_path.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "posix.h"

_Static_assert(sizeof(struct stat) == 144, "struct stat is the kernel's");

/* The open file at fd or NULL. */
static struct posix_file *fd_file(long fd)
{
    return posix_fd_get(&posix.fds, fd);
}

/* True if f was opened for reading / writing. */
static int can_read(const struct posix_file *f)
{
    return (f->status_flags & O_ACCMODE) != O_WRONLY;
}
static int can_write(const struct posix_file *f)
{
    return (f->status_flags & O_ACCMODE) != O_RDONLY;
}

/* read(fd, buf, n). */
long posix_sys_read(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f || !can_read(f))
        return -EBADF;
    if (!f->ops->read)
        return f->ops->getdents ? -EISDIR : -EBADF;
    if ((size_t)a[2] > SSIZE_MAX)
        return -EINVAL;
    return a[2] ? f->ops->read(f, (void *)a[1], (size_t)a[2]) : 0;
}

/* write(fd, buf, n). */
long posix_sys_write(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f || !can_write(f) || !f->ops->write)
        return -EBADF;
    if ((size_t)a[2] > SSIZE_MAX)
        return -EINVAL;
    return a[2] ? f->ops->write(f, (const void *)a[1], (size_t)a[2]) : 0;
}

/* Check an iovec array: 0 or -EINVAL (count out of range, total past
 * SSIZE_MAX). */
static long iov_check(const struct iovec *iov, long cnt)
{
    size_t total = 0;
    if (cnt < 0 || cnt > IOV_MAX)
        return -EINVAL;
    for (long i = 0; i < cnt; i++) {
        if (iov[i].iov_len > SSIZE_MAX - total)
            return -EINVAL;
        total += iov[i].iov_len;
    }
    return 0;
}

/* One element of a vector operation at position pos. */
typedef long (*iov_op)(struct posix_file *f, const struct iovec *v,
                       uint64_t pos);

/* op on each element of iov[cnt] from position pos, stopping at a short
 * one: the bytes done, or the first error if none were. */
static long iov_each(struct posix_file *f, const struct iovec *iov,
                     long cnt, iov_op op, uint64_t pos)
{
    long r = iov_check(iov, cnt);
    if (r)
        return r;
    for (long i = 0; i < cnt; i++) {
        if (!iov[i].iov_len)
            continue;
        long k = op(f, &iov[i], pos + (uint64_t)r);
        if (k < 0)
            return r ? r : k;
        r += k;
        if ((size_t)k < iov[i].iov_len)
            break;
    }
    return r;
}

static long op_read(struct posix_file *f, const struct iovec *v, uint64_t pos)
{
    (void)pos;
    return f->ops->read(f, v->iov_base, v->iov_len);
}

static long op_write(struct posix_file *f, const struct iovec *v,
                     uint64_t pos)
{
    (void)pos;
    return f->ops->write(f, v->iov_base, v->iov_len);
}

static long op_pread(struct posix_file *f, const struct iovec *v,
                     uint64_t pos)
{
    return f->ops->pread(f, v->iov_base, v->iov_len, pos);
}

/* readv/writev. */
static long rw_vec(const long a[6], bool write)
{
    struct posix_file *f = fd_file(a[0]);
    if (!f || !(write ? can_write(f) && f->ops->write
                      : can_read(f) && f->ops->read))
        return -EBADF;
    return iov_each(f, (const struct iovec *)a[1], a[2],
                    write ? op_write : op_read, 0);
}

long posix_sys_readv(const long a[6])
{
    return rw_vec(a, false);
}

long posix_sys_writev(const long a[6])
{
    return rw_vec(a, true);
}

/* The file for a positioned read at a[3]: NULL and *err, or the file. */
static struct posix_file *pread_file(const long a[6], long *err)
{
    struct posix_file *f = fd_file(a[0]);
    *err = -EBADF;
    if (!f || !can_read(f))
        return NULL;
    *err = f->ops->getdents ? -EISDIR : -ESPIPE;
    if (!f->ops->pread)
        return NULL;
    *err = -EINVAL;
    return a[3] < 0 ? NULL : f;
}

/* pread64(fd, buf, n, off). */
long posix_sys_pread(const long a[6])
{
    long err;
    struct posix_file *f = pread_file(a, &err);
    if (!f)
        return err;
    if ((size_t)a[2] > SSIZE_MAX)
        return -EINVAL;
    return f->ops->pread(f, (void *)a[1], (size_t)a[2], (uint64_t)a[3]);
}

/* preadv(fd, iov, cnt, off): pread per element, stopping at a short one. */
long posix_sys_preadv(const long a[6])
{
    long err;
    struct posix_file *f = pread_file(a, &err);
    if (!f)
        return err;
    return iov_each(f, (const struct iovec *)a[1], a[2], op_pread,
                    (uint64_t)a[3]);
}

/* pwrite64/pwritev: nothing open is both writable and seekable yet. */
long posix_sys_pwrite(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f || !can_write(f))
        return -EBADF;
    return -ESPIPE;
}

/* lseek(fd, off, whence): files by byte, directories by entry (SEEK_SET
 * only). */
long posix_sys_lseek(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    int64_t base;
    if (!f)
        return -EBADF;
    if (f->ops->getdents) {
        if (a[2] != SEEK_SET || a[1] < 0)
            return -EINVAL;
        f->offset = (uint64_t)a[1];
        return a[1];
    }
    if (!f->ops->pread)
        return -ESPIPE;
    switch (a[2]) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->offset; break;
    case SEEK_END: base = (int64_t)f->ops->size(f); break;
    default: return -EINVAL;
    }
    if ((a[1] > 0 && base > INT64_MAX - a[1]))
        return -EOVERFLOW;
    if (base + a[1] < 0)
        return -EINVAL;
    f->offset = (uint64_t)(base + a[1]);
    return (long)f->offset;
}

long posix_sys_close(const long a[6])
{
    return posix_fd_close(&posix.fds, a[0]);
}

long posix_sys_dup(const long a[6])
{
    return posix_fd_dup(&posix.fds, a[0]);
}

long posix_sys_dup2(const long a[6])
{
    return posix_fd_dup2(&posix.fds, a[0], a[1]);
}

long posix_sys_dup3(const long a[6])
{
    return posix_fd_dup3(&posix.fds, a[0], a[1], a[2], O_CLOEXEC);
}

long posix_sys_fcntl(const long a[6])
{
    return posix_fd_fcntl(&posix.fds, a[0], a[1], a[2]);
}

/* ioctl: a terminal answers TIOCGWINSZ (80x24); the rest is ENOTTY. */
long posix_sys_ioctl(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f)
        return -EBADF;
    if (!f->ops->is_tty || (unsigned long)a[1] != TIOCGWINSZ)
        return -ENOTTY;
    struct winsize *ws = (struct winsize *)a[2];
    if (!ws)
        return -EFAULT;
    *ws = (struct winsize){.ws_row = 24, .ws_col = 80};
    return 0;
}

/* struct stat from a file system's answer. */
long posix_stat_fill(const struct posix_stat *ps, struct stat *st)
{
    if (!st)
        return -EFAULT;
    *st = (struct stat){
        .st_mode = ps->mode,
        .st_size = (off_t)ps->size,
        .st_ino = ps->ino,
        .st_rdev = ps->rdev,
        .st_nlink = 1,
        .st_blksize = 4096,
        .st_blocks = (blkcnt_t)((ps->size + 511) / 512),
    };
    return 0;
}

/* Fill a struct stat from the file's answer. */
static long fd_stat(struct posix_file *f, struct stat *st)
{
    struct posix_stat ps = {0};
    if (!f->ops->fstat)
        return -EBADF;
    long r = f->ops->fstat(f, &ps);
    return r ? r : posix_stat_fill(&ps, st);
}

long posix_sys_fstat(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    return f ? fd_stat(f, (struct stat *)a[1]) : -EBADF;
}

/* newfstatat(dirfd, "", st, AT_EMPTY_PATH): fstat of dirfd. */
long posix_fstat_empty(long fd, struct stat *st)
{
    struct posix_file *f = fd_file(fd);
    return f ? fd_stat(f, st) : -EBADF;
}

/* fsync/fdatasync/ftruncate: nothing open supports them yet. */
long posix_sys_fd_only(const long a[6])
{
    return fd_file(a[0]) ? -EINVAL : -EBADF;
}

/* getdents64(fd, buf, n). */
long posix_sys_getdents(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f)
        return -EBADF;
    if (!f->ops->getdents)
        return -ENOTDIR;
    return f->ops->getdents(f, (void *)a[1], (size_t)a[2]);
}

/* fchdir(fd): the directory's path becomes the current directory. */
long posix_sys_fchdir(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f)
        return -EBADF;
    if (!f->dir_path)
        return -ENOTDIR;
    strcpy(posix.cwd, f->dir_path);
    return 0;
}


