/* SPDX-License-Identifier: MIT */
/*
 * fd.h - the per-process file-descriptor table of the POSIX layer.
 *
 * Theory of operation: a descriptor is an index into a fixed table of
 * pointers to open files (struct posix_file); dup'ed descriptors share one
 * file, whose reference count says how many descriptors point at it.  The
 * last close calls the file's release operation, which drops whatever
 * capability backs it.  A file knows only its operations and its
 * capability: the table is the only way a program reaches a capability
 * through a descriptor, so a closed or out-of-range descriptor reaches
 * nothing (EBADF).  Pure code: no capability calls, tested on the host.
 * Functions return a descriptor or 0 on success, -errno on failure.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POSIX_FD_MAX 64             /* descriptors 0..63 (RLIMIT_NOFILE) */

/* What fstat reports, independent of the libc's struct stat. */
struct posix_stat {
    uint32_t mode;                  /* S_IF* | permission bits */
    uint64_t size;
    uint64_t ino;
    uint64_t rdev;
};

struct posix_file;

/* Operations of one kind of open file; NULL means unsupported (the layer
 * answers the errno POSIX gives for that kind: EBADF, ESPIPE, ENOTTY,
 * ENOTDIR).  Offsets are the file's own (struct posix_file.offset). */
struct posix_file_ops {
    long (*read)(struct posix_file *f, void *buf, size_t n);
    long (*write)(struct posix_file *f, const void *buf, size_t n);
    /* Read at off without moving the offset (seekable files). */
    long (*pread)(struct posix_file *f, void *buf, size_t n, uint64_t off);
    /* The file's size (seekable files: lseek's SEEK_END). */
    uint64_t (*size)(struct posix_file *f);
    /* Linux dirent64 records from the offset (directories). */
    long (*getdents)(struct posix_file *f, void *buf, size_t n);
    long (*fstat)(struct posix_file *f, struct posix_stat *st);
    bool is_tty;                    /* answers TIOCGWINSZ (isatty) */
    void (*release)(struct posix_file *f);  /* last descriptor closed */
};

struct posix_file {
    const struct posix_file_ops *ops;
    uint32_t refs;                  /* descriptors pointing here */
    uint32_t cap;                   /* the capability behind the file */
    int status_flags;               /* O_ACCMODE | O_APPEND | O_NONBLOCK */
    uint64_t offset;                /* read/lseek position */
    const char *dir_path;           /* directories: resolved absolute path */
};

struct posix_fdtab {
    struct posix_file *file[POSIX_FD_MAX];
    bool cloexec[POSIX_FD_MAX];
};

/* Put f at the lowest free descriptor >= min_fd (taking a reference):
 * the descriptor, -EINVAL if min_fd is out of range, -EMFILE if none is
 * free. */
long posix_fd_install(struct posix_fdtab *t, struct posix_file *f,
                      long min_fd, bool cloexec);
/* The file at fd, or NULL for a descriptor out of range or not open. */
struct posix_file *posix_fd_get(const struct posix_fdtab *t, long fd);
/* close(fd): 0 or -EBADF; the last reference releases the file. */
long posix_fd_close(struct posix_fdtab *t, long fd);
/* dup(fd): the new descriptor, -EBADF, -EMFILE. */
long posix_fd_dup(struct posix_fdtab *t, long fd);
/* dup2(fd, to): to, -EBADF (either out of range or fd not open); to is
 * closed first unless it is fd. */
long posix_fd_dup2(struct posix_fdtab *t, long fd, long to);
/* dup3(fd, to, flags): as dup2, but -EINVAL if fd == to or flags has
 * anything besides O_CLOEXEC (passed as cloexec_flag's value). */
long posix_fd_dup3(struct posix_fdtab *t, long fd, long to, long flags,
                   long cloexec_flag);
/* fcntl(fd, cmd, arg) for F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD,
 * F_GETFL, F_SETFL (only O_APPEND and O_NONBLOCK change); -EBADF,
 * -EINVAL for any other command or a bad F_DUPFD minimum. */
long posix_fd_fcntl(struct posix_fdtab *t, long fd, long cmd, long arg);
