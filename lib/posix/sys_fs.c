/* SPDX-License-Identifier: MIT */
/*
 * sys_fs.c - descriptor and path system calls.
 *
 * Theory of operation: descriptor calls look the descriptor up in the
 * table (fd.c; EBADF if it is not open) and use the file's operations.
 * Path calls check the path as Linux would (EFAULT for NULL,
 * ENAMETOOLONG past PATH_MAX or a component past NAME_MAX, ENOENT for an
 * empty path) and then answer ENOENT: a path reaches only what is mounted
 * in the process's table, and no mounts exist yet (docs/posix.md).
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
    if (!f || !can_read(f) || !f->ops->read)
        return -EBADF;
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

/* readv/writev: one operation per element, stopping at a short one. */
static long rw_vec(const long a[6], bool write)
{
    struct posix_file *f = fd_file(a[0]);
    const struct iovec *iov = (const struct iovec *)a[1];
    long r = 0;
    if (!f || !(write ? can_write(f) && f->ops->write
                      : can_read(f) && f->ops->read))
        return -EBADF;
    if ((r = iov_check(iov, a[2])) != 0)
        return r;
    for (long i = 0; i < a[2]; i++) {
        if (!iov[i].iov_len)
            continue;
        long k = write ? f->ops->write(f, iov[i].iov_base, iov[i].iov_len)
                       : f->ops->read(f, iov[i].iov_base, iov[i].iov_len);
        if (k < 0)
            return r ? r : k;
        r += k;
        if ((size_t)k < iov[i].iov_len)
            break;
    }
    return r;
}

long posix_sys_readv(const long a[6])
{
    return rw_vec(a, false);
}

long posix_sys_writev(const long a[6])
{
    return rw_vec(a, true);
}

/* pread/pwrite/preadv/pwritev: no open file is seekable yet. */
long posix_sys_pread(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f)
        return -EBADF;
    return f->ops->seekable ? -ENOSYS : -ESPIPE;
}

/* lseek(fd, off, whence). */
long posix_sys_lseek(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    if (!f)
        return -EBADF;
    return f->ops->seekable ? -ENOSYS : -ESPIPE;
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

/* Fill a struct stat from the file's answer. */
static long fd_stat(struct posix_file *f, struct stat *st)
{
    struct posix_stat ps = {0};
    if (!st)
        return -EFAULT;
    if (!f->ops->fstat)
        return -EBADF;
    long r = f->ops->fstat(f, &ps);
    if (r)
        return r;
    *st = (struct stat){
        .st_mode = ps.mode,
        .st_size = (off_t)ps.size,
        .st_ino = ps.ino,
        .st_rdev = ps.rdev,
        .st_nlink = 1,
        .st_blksize = 4096,
    };
    return 0;
}

long posix_sys_fstat(const long a[6])
{
    struct posix_file *f = fd_file(a[0]);
    return f ? fd_stat(f, (struct stat *)a[1]) : -EBADF;
}

/* fsync/fdatasync/ftruncate: nothing open supports them yet. */
long posix_sys_fd_only(const long a[6])
{
    return fd_file(a[0]) ? -EINVAL : -EBADF;
}

/* getdents64/fchdir: no open file is a directory yet. */
long posix_sys_getdents(const long a[6])
{
    return fd_file(a[0]) ? -ENOTDIR : -EBADF;
}

/* Check a path as Linux would; then ENOENT (nothing is mounted). */
static long path_check(const char *p)
{
    if (!p)
        return -EFAULT;
    size_t n = strnlen(p, PATH_MAX);
    if (n == PATH_MAX)
        return -ENAMETOOLONG;
    if (n == 0)
        return -ENOENT;
    for (size_t i = 0, comp = 0; i < n; i++) {
        comp = p[i] == '/' ? 0 : comp + 1;
        if (comp > NAME_MAX)
            return -ENAMETOOLONG;
    }
    return -ENOENT;
}

/* A directory descriptor of an *at call: AT_FDCWD, or EBADF/ENOTDIR
 * (no open file is a directory yet); absolute paths ignore it. */
static long dirfd_check(long dirfd, const char *p)
{
    if (dirfd == AT_FDCWD || (p && p[0] == '/'))
        return 0;
    return fd_file(dirfd) ? -ENOTDIR : -EBADF;
}

/* Calls with one path first (stat, mkdir, unlink, ...). */
long posix_sys_path1(const long a[6])
{
    return path_check((const char *)a[0]);
}

/* Calls with two paths (rename, link, symlink). */
long posix_sys_path2(const long a[6])
{
    long r = path_check((const char *)a[0]);
    return r != -ENOENT ? r : path_check((const char *)a[1]);
}

/* *at calls with one path: (dirfd, path, ...). */
long posix_sys_at_path1(const long a[6])
{
    const char *p = (const char *)a[1];
    long r = path_check(p);
    if (r != -ENOENT || !p || !p[0])
        return r;
    r = dirfd_check(a[0], p);
    return r ? r : -ENOENT;
}

/* *at calls with two paths: (olddirfd, old, newdirfd, new, ...). */
long posix_sys_at_path2(const long a[6])
{
    long r = posix_sys_at_path1(a);
    if (r != -ENOENT)
        return r;
    const long b[6] = {a[2], a[3]};
    return posix_sys_at_path1(b);
}

/* open(path, flags, mode). */
long posix_sys_open(const long a[6])
{
    return path_check((const char *)a[0]);
}

/* openat(dirfd, path, flags, mode). */
long posix_sys_openat(const long a[6])
{
    return posix_sys_at_path1(a);
}

/* newfstatat(dirfd, path, st, flags): AT_EMPTY_PATH with "" is fstat. */
long posix_sys_fstatat(const long a[6])
{
    const char *p = (const char *)a[1];
    if ((a[3] & AT_EMPTY_PATH) && p && !p[0]) {
        struct posix_file *f = fd_file(a[0]);
        return f ? fd_stat(f, (struct stat *)a[2]) : -EBADF;
    }
    return posix_sys_at_path1(a);
}

/* getcwd(buf, size): "/", the root of the (empty) mount table. */
long posix_sys_getcwd(const long a[6])
{
    char *buf = (char *)a[0];
    if (!buf)
        return -EFAULT;
    if ((size_t)a[1] < 2)
        return -ERANGE;
    buf[0] = '/';
    buf[1] = '\0';
    return 2;
}
