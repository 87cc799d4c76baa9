/* SPDX-License-Identifier: MIT */
/*
 * posix.h - internals of libcapos-posix, the POSIX layer under musl.
 *
 * Theory of operation: musl turns every system call into
 * capos_posix_syscall(n, a1..a6) (lib/posix/musl/syscall_arch.h).
 * syscall.c looks n up in one table of handlers; a number without a
 * handler is ENOSYS.  Each handler has the Linux contract for its call:
 * it returns a value or -errno, never sets errno (musl does).  The
 * process's POSIX state is the one `posix` object below, set up by
 * start.c before musl's own start code runs.  Single-threaded, like the
 * process (threads come with the threads issue).
 */
#pragma once

#include <stdint.h>

#include "caps.h"
#include "fd.h"
#include "path.h"
#include "vma.h"

/* Arguments of one system call. */
typedef long (*posix_sys_fn)(const long a[6]);

struct posix_signals {
    uint64_t blocked, pending;      /* bit sig-1 */
    struct posix_ksigaction {       /* the kernel's struct sigaction */
        void *handler;
        unsigned long flags;
        void *restorer;
        uint64_t mask;
    } action[64];
};

/* One entry of the mount table: a file system mounted at "/<name>".
 * rel is the path inside it ("" for its root, else "a/b"). */
struct posix_mount {
    const char *name;
    /* Open rel (flags as open(2)); a file with one reference. */
    long (*open)(const char *rel, int flags, struct posix_file **out);
    long (*stat)(const char *rel, struct posix_stat *st);
    bool read_only;
};

#define POSIX_MOUNTS_MAX 8

struct posix_state {
    struct posix_caps caps;
    struct posix_fdtab fds;
    struct posix_vma vma;           /* mmap arena; pages == 0 until used */
    struct posix_signals sig;
    uint64_t start_ns;              /* Timer.now at start (process clock) */
    uint64_t fs_base;               /* last thread pointer set */
    const struct posix_mount *mount[POSIX_MOUNTS_MAX];
    const char *mount_name[POSIX_MOUNTS_MAX];
    int mounts;
    char cwd[POSIX_PATH_MAX];       /* resolved absolute path */
};

extern struct posix_state posix;

/* musl's system-call entry (lib/posix/musl/syscall_arch.h): a value or
 * -errno. */
long capos_posix_syscall(long n, long a1, long a2, long a3, long a4, long a5,
                         long a6);

/* -errno for a failed capability call. */
long posix_err(err_t e);

/* Set up descriptors 0, 1, 2 on the console (if granted). */
void posix_console_init(void);
/* Build the mount table from the granted caps; the cwd is "/". */
void posix_mounts_init(void);
/* The /boot mount (bootfs.c). */
extern const struct posix_mount posix_bootfs;

/* An open file of a file system from the shared pool (ofile.c): zeroed,
 * with ops and O_RDONLY; data/len/index are the file system's to use.
 * NULL when all POSIX_FD_MAX are in use (ENFILE). */
struct posix_ofile {
    struct posix_file f;
    const uint8_t *data;
    uint64_t len;
    uint32_t index;
    bool used;
};
struct posix_ofile *posix_ofile_alloc(const struct posix_file_ops *ops);
/* Return an ofile to the pool (its release operation). */
void posix_ofile_release(struct posix_file *f);
/* getdents64 over a directory of count entries named by name(f, i), with
 * "." and ".." first; the file offset is the entry index. */
long posix_dir_getdents(struct posix_file *f, void *buf, size_t n,
                        uint32_t count,
                        const char *(*name)(struct posix_file *f, uint32_t i,
                                            size_t *len, bool *dir));
struct stat;
/* struct stat from a file system's answer; -EFAULT for NULL st. */
long posix_stat_fill(const struct posix_stat *ps, struct stat *st);
/* fstat of descriptor fd (fstatat with AT_EMPTY_PATH). */
long posix_fstat_empty(long fd, struct stat *st);

/* Open the namespace root "/" (a directory of the mount points). */
long posix_root_open(int flags, struct posix_file **out);

/* Handlers, by area (sys_*.c); named after the Linux call. */
long posix_sys_read(const long a[6]);
long posix_sys_write(const long a[6]);
long posix_sys_readv(const long a[6]);
long posix_sys_writev(const long a[6]);
long posix_sys_pread(const long a[6]);
long posix_sys_pwrite(const long a[6]);
long posix_sys_preadv(const long a[6]);
long posix_sys_close(const long a[6]);
long posix_sys_dup(const long a[6]);
long posix_sys_dup2(const long a[6]);
long posix_sys_dup3(const long a[6]);
long posix_sys_fcntl(const long a[6]);
long posix_sys_ioctl(const long a[6]);
long posix_sys_lseek(const long a[6]);
long posix_sys_fstat(const long a[6]);
long posix_sys_fstatat(const long a[6]);
long posix_sys_fd_only(const long a[6]);
long posix_sys_getdents(const long a[6]);
long posix_sys_fchdir(const long a[6]);
long posix_sys_chdir(const long a[6]);
long posix_sys_stat(const long a[6]);
long posix_sys_access(const long a[6]);
long posix_sys_faccessat(const long a[6]);
long posix_sys_readlink(const long a[6]);
long posix_sys_readlinkat(const long a[6]);
long posix_sys_create(const long a[6]);
long posix_sys_createat(const long a[6]);
long posix_sys_symlink(const long a[6]);
long posix_sys_symlinkat(const long a[6]);
long posix_sys_modify(const long a[6]);
long posix_sys_modifyat(const long a[6]);
long posix_sys_path2(const long a[6]);
long posix_sys_at_path2(const long a[6]);
long posix_sys_open(const long a[6]);
long posix_sys_openat(const long a[6]);
long posix_sys_getcwd(const long a[6]);

long posix_sys_clock_gettime(const long a[6]);
long posix_sys_clock_getres(const long a[6]);
long posix_sys_gettimeofday(const long a[6]);
long posix_sys_nanosleep(const long a[6]);
long posix_sys_clock_nanosleep(const long a[6]);

long posix_sys_brk(const long a[6]);
long posix_sys_mmap(const long a[6]);
long posix_sys_munmap(const long a[6]);
long posix_sys_mprotect(const long a[6]);
long posix_sys_madvise(const long a[6]);

long posix_sys_exit(const long a[6]);
long posix_sys_getpid(const long a[6]);
long posix_sys_zero(const long a[6]);
long posix_sys_uname(const long a[6]);
long posix_sys_set_thread_area(const long a[6]);
long posix_sys_arch_prctl(const long a[6]);
long posix_sys_sched_yield(const long a[6]);

long posix_sys_rt_sigaction(const long a[6]);
long posix_sys_rt_sigprocmask(const long a[6]);
long posix_sys_kill(const long a[6]);
long posix_sys_tkill(const long a[6]);
long posix_sys_tgkill(const long a[6]);
long posix_sys_wait4(const long a[6]);
