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

struct posix_state {
    struct posix_caps caps;
    struct posix_fdtab fds;
    struct posix_vma vma;           /* mmap arena; pages == 0 until used */
    struct posix_signals sig;
    uint64_t start_ns;              /* Timer.now at start (process clock) */
    uint64_t fs_base;               /* last thread pointer set */
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

/* Handlers, by area (sys_*.c); named after the Linux call. */
long posix_sys_read(const long a[6]);
long posix_sys_write(const long a[6]);
long posix_sys_readv(const long a[6]);
long posix_sys_writev(const long a[6]);
long posix_sys_pread(const long a[6]);
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
long posix_sys_path1(const long a[6]);
long posix_sys_path2(const long a[6]);
long posix_sys_at_path1(const long a[6]);
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
