/* SPDX-License-Identifier: MIT */
/*
 * fd.c - the file-descriptor table (see fd.h).  Uses the Linux values of
 * the fcntl constants, which musl and the host's libc share on x86_64.
 */
#include <errno.h>
#include <fcntl.h>

#include "fd.h"

#define FL_CHANGEABLE (O_APPEND | O_NONBLOCK)

/* fd as an index, or -1 if out of range. */
static long fd_index(long fd)
{
    return fd >= 0 && fd < POSIX_FD_MAX ? fd : -1;
}

/* Install f at the lowest free descriptor >= min_fd. */
long posix_fd_install(struct posix_fdtab *t, struct posix_file *f,
                      long min_fd, bool cloexec)
{
    if (fd_index(min_fd) < 0)
        return -EINVAL;
    for (long i = min_fd; i < POSIX_FD_MAX; i++) {
        if (t->file[i])
            continue;
        t->file[i] = f;
        t->cloexec[i] = cloexec;
        f->refs++;
        return i;
    }
    return -EMFILE;
}

/* The open file at fd or NULL. */
struct posix_file *posix_fd_get(const struct posix_fdtab *t, long fd)
{
    long i = fd_index(fd);
    return i < 0 ? NULL : t->file[i];
}

/* Close fd; release the file with its last reference. */
long posix_fd_close(struct posix_fdtab *t, long fd)
{
    struct posix_file *f = posix_fd_get(t, fd);
    if (!f)
        return -EBADF;
    t->file[fd] = NULL;
    t->cloexec[fd] = false;
    if (--f->refs == 0 && f->ops->release)
        f->ops->release(f);
    return 0;
}

/* dup: lowest free descriptor, without close-on-exec. */
long posix_fd_dup(struct posix_fdtab *t, long fd)
{
    struct posix_file *f = posix_fd_get(t, fd);
    return f ? posix_fd_install(t, f, 0, false) : -EBADF;
}

/* dup2 with an explicit close-on-exec for the new descriptor. */
static long fd_dup_to(struct posix_fdtab *t, long fd, long to, bool cloexec)
{
    struct posix_file *f = posix_fd_get(t, fd);
    if (!f || fd_index(to) < 0)
        return -EBADF;
    if (fd == to)
        return to;
    f->refs++;                      /* keep f alive across closing `to` */
    if (t->file[to])
        posix_fd_close(t, to);
    t->file[to] = f;
    t->cloexec[to] = cloexec;
    return to;
}

/* dup2 (see fd.h). */
long posix_fd_dup2(struct posix_fdtab *t, long fd, long to)
{
    return fd_dup_to(t, fd, to, false);
}

/* dup3 (see fd.h). */
long posix_fd_dup3(struct posix_fdtab *t, long fd, long to, long flags,
                   long cloexec_flag)
{
    if (flags & ~cloexec_flag)
        return -EINVAL;
    if (fd == to)
        return posix_fd_get(t, fd) ? -EINVAL : -EBADF;
    return fd_dup_to(t, fd, to, flags != 0);
}

/* fcntl (see fd.h). */
long posix_fd_fcntl(struct posix_fdtab *t, long fd, long cmd, long arg)
{
    struct posix_file *f = posix_fd_get(t, fd);
    if (!f)
        return -EBADF;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        return posix_fd_install(t, f, arg, cmd == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return t->cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD:
        t->cloexec[fd] = (arg & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return f->status_flags;
    case F_SETFL:
        f->status_flags = (f->status_flags & ~FL_CHANGEABLE) |
                          ((int)arg & FL_CHANGEABLE);
        return 0;
    default:
        return -EINVAL;
    }
}
