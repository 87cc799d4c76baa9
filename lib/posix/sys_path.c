/* SPDX-License-Identifier: MIT */
/*
 * sys_path.c - system calls on paths, through the mount table.
 *
 * Theory of operation: a path is resolved (path.c) from the current
 * directory, or from an *at call's directory descriptor when it is
 * relative, to a mount and the path inside it; "/" itself is the
 * namespace root.  Reading calls (open, stat, access, readlink, chdir)
 * ask the mount.  Every mount today is read-only, and so is the root:
 * a call that would create something answers EEXIST if it exists and
 * EROFS otherwise; a call that would change or remove something answers
 * ENOENT if it does not exist and EROFS otherwise.  There are no
 * symbolic links.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix.h"

/* Where (dirfd, path) leads: 0 and *m (an index or POSIX_MOUNT_ROOT) and
 * rel, or -errno. */
static long resolve(long dirfd, const char *path, int *m, char *rel)
{
    const char *base = posix.cwd;
    if (path && path[0] != '/' && dirfd != AT_FDCWD) {
        struct posix_file *f = posix_fd_get(&posix.fds, dirfd);
        if (!f)
            return -EBADF;
        if (!f->dir_path)
            return -ENOTDIR;
        base = f->dir_path;
    }
    return posix_path_resolve(base, path, posix.mount_name, posix.mounts, m,
                              rel);
}

/* stat of a resolved path. */
static long stat_at(int m, const char *rel, struct posix_stat *st)
{
    if (m == POSIX_MOUNT_ROOT) {
        *st = (struct posix_stat){.mode = S_IFDIR | 0555, .ino = 1};
        return 0;
    }
    return posix.mount[m]->stat(rel, st);
}

/* stat of (dirfd, path). */
static long stat_path(long dirfd, const char *path, struct posix_stat *st,
                      int *m, char *rel)
{
    long r = resolve(dirfd, path, m, rel);
    return r ? r : stat_at(*m, rel, st);
}

/* open/openat: the new descriptor or -errno. */
static long open_at(long dirfd, const char *path, long flags)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_file *f;
    int m;
    long r = resolve(dirfd, path, &m, rel);
    if (r)
        return r;
    r = m == POSIX_MOUNT_ROOT ? posix_root_open((int)flags, &f)
                              : posix.mount[m]->open(rel, (int)flags, &f);
    if (r)
        return r;
    r = posix_fd_install(&posix.fds, f, 0, (flags & O_CLOEXEC) != 0);
    if (r < 0)
        f->ops->release(f);
    return r;
}

long posix_sys_open(const long a[6])
{
    return open_at(AT_FDCWD, (const char *)a[0], a[1]);
}

long posix_sys_openat(const long a[6])
{
    return open_at(a[0], (const char *)a[1], a[2]);
}

/* Creating (dirfd, path): ENOENT outside every mount, else EEXIST or
 * EROFS (everything is read-only). */
static long create_at(long dirfd, const char *path)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat st;
    int m;
    long r = resolve(dirfd, path, &m, rel);
    if (r)
        return r;
    r = stat_at(m, rel, &st);
    if (r == 0)
        return -EEXIST;
    return r == -ENOENT ? -EROFS : r;
}

/* The lookup's error if (dirfd, path) does not exist, else err. */
static long exists_or(long dirfd, const char *path, long err)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat st;
    int m;
    long r = stat_path(dirfd, path, &st, &m, rel);
    return r ? r : err;
}

/* Changing or removing (dirfd, path): ENOENT or EROFS. */
static long modify_at(long dirfd, const char *path)
{
    return exists_or(dirfd, path, -EROFS);
}

/* creat, mkdir: (path, ...). */
long posix_sys_create(const long a[6])
{
    return create_at(AT_FDCWD, (const char *)a[0]);
}

/* mkdirat, mknodat: (dirfd, path, ...). */
long posix_sys_createat(const long a[6])
{
    return create_at(a[0], (const char *)a[1]);
}

/* symlink(target, linkpath). */
long posix_sys_symlink(const long a[6])
{
    return a[0] ? create_at(AT_FDCWD, (const char *)a[1]) : -EFAULT;
}

/* symlinkat(target, dirfd, linkpath). */
long posix_sys_symlinkat(const long a[6])
{
    return a[0] ? create_at(a[1], (const char *)a[2]) : -EFAULT;
}

/* unlink, rmdir, truncate, chmod, chown, lchown: (path, ...). */
long posix_sys_modify(const long a[6])
{
    return modify_at(AT_FDCWD, (const char *)a[0]);
}

/* unlinkat, fchmodat, fchownat, utimensat: (dirfd, path, ...). */
long posix_sys_modifyat(const long a[6])
{
    return modify_at(a[0], (const char *)a[1]);
}

/* 0 if (dirfd, path) resolves (its last part need not exist). */
static long resolve_check(long dirfd, const char *path)
{
    static char rel[POSIX_PATH_MAX];
    int m;
    return resolve(dirfd, path, &m, rel);
}

/* rename, link: (old, new): old must exist, new must be reachable. */
long posix_sys_path2(const long a[6])
{
    long r = modify_at(AT_FDCWD, (const char *)a[0]);
    if (r != -EROFS)
        return r;
    r = resolve_check(AT_FDCWD, (const char *)a[1]);
    return r ? r : -EROFS;
}

/* renameat, renameat2, linkat: (olddirfd, old, newdirfd, new, ...). */
long posix_sys_at_path2(const long a[6])
{
    long r = modify_at(a[0], (const char *)a[1]);
    if (r != -EROFS)
        return r;
    r = resolve_check(a[2], (const char *)a[3]);
    return r ? r : -EROFS;
}

/* stat of (dirfd, path) into a struct stat. */
static long stat_into(long dirfd, const char *path, struct stat *st)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat ps;
    int m;
    long r = stat_path(dirfd, path, &ps, &m, rel);
    return r ? r : posix_stat_fill(&ps, st);
}

/* stat, lstat: (path, st). */
long posix_sys_stat(const long a[6])
{
    return stat_into(AT_FDCWD, (const char *)a[0], (struct stat *)a[1]);
}

/* newfstatat(dirfd, path, st, flags): AT_EMPTY_PATH with "" is fstat. */
long posix_sys_fstatat(const long a[6])
{
    const char *p = (const char *)a[1];
    if (a[3] & ~(long)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
        return -EINVAL;
    if ((a[3] & AT_EMPTY_PATH) && p && !p[0])
        return posix_fstat_empty(a[0], (struct stat *)a[2]);
    return stat_into(a[0], p, (struct stat *)a[2]);
}

/* access of (dirfd, path, mode): W_OK is EROFS (all read-only). */
static long access_at(long dirfd, const char *path, long mode)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat st;
    int m;
    if (mode & ~(long)(R_OK | W_OK | X_OK))
        return -EINVAL;
    long r = stat_path(dirfd, path, &st, &m, rel);
    if (r)
        return r;
    if (mode & W_OK)
        return -EROFS;
    if ((mode & X_OK) && !(st.mode & 0111))
        return -EACCES;
    return 0;
}

long posix_sys_access(const long a[6])
{
    return access_at(AT_FDCWD, (const char *)a[0], a[1]);
}

long posix_sys_faccessat(const long a[6])
{
    return access_at(a[0], (const char *)a[1], a[2]);
}

/* readlink: nothing is a symbolic link (EINVAL for what exists). */
long posix_sys_readlink(const long a[6])
{
    return exists_or(AT_FDCWD, (const char *)a[0], -EINVAL);
}

long posix_sys_readlinkat(const long a[6])
{
    return exists_or(a[0], (const char *)a[1], -EINVAL);
}

/* chdir(path): a directory becomes the current one. */
long posix_sys_chdir(const long a[6])
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat st;
    int m;
    long r = stat_path(AT_FDCWD, (const char *)a[0], &st, &m, rel);
    if (r)
        return r;
    if (!S_ISDIR(st.mode))
        return -ENOTDIR;
    if (m == POSIX_MOUNT_ROOT) {
        strcpy(posix.cwd, "/");
        return 0;
    }
    /* "/" name ["/" rel]: no longer than the path that led here. */
    size_t n = strlen(posix.mount_name[m]);
    posix.cwd[0] = '/';
    memcpy(posix.cwd + 1, posix.mount_name[m], n + 1);
    if (rel[0]) {
        posix.cwd[n + 1] = '/';
        strcpy(posix.cwd + n + 2, rel);
    }
    return 0;
}

/* getcwd(buf, size): the length with the NUL, ERANGE if it does not fit. */
long posix_sys_getcwd(const long a[6])
{
    char *buf = (char *)a[0];
    size_t n = strlen(posix.cwd) + 1;
    if (!buf)
        return -EFAULT;
    if ((size_t)a[1] < n)
        return -ERANGE;
    memcpy(buf, posix.cwd, n);
    return (long)n;
}
