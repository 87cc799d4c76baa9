/* SPDX-License-Identifier: MIT */
/*
 * syscall.c - capos_posix_syscall: the one table from Linux system-call
 * numbers to the POSIX layer's handlers (see posix.h).  A number that is
 * not in the table is ENOSYS; docs/posix.md lists what is served and what
 * each unsupported call means for a program (fork and exec: ENOSYS).
 */
#include <errno.h>
#include <sys/syscall.h>

#include "errno_map.h"
#include "posix.h"

struct posix_state posix;

static const posix_sys_fn sys_table[] = {
    /* descriptors (sys_fs.c) */
    [SYS_read] = posix_sys_read,
    [SYS_write] = posix_sys_write,
    [SYS_readv] = posix_sys_readv,
    [SYS_writev] = posix_sys_writev,
    [SYS_pread64] = posix_sys_pread,
    [SYS_preadv] = posix_sys_preadv,
    [SYS_pwrite64] = posix_sys_pwrite,
    [SYS_pwritev] = posix_sys_pwrite,
    [SYS_close] = posix_sys_close,
    [SYS_dup] = posix_sys_dup,
    [SYS_dup2] = posix_sys_dup2,
    [SYS_dup3] = posix_sys_dup3,
    [SYS_fcntl] = posix_sys_fcntl,
    [SYS_ioctl] = posix_sys_ioctl,
    [SYS_lseek] = posix_sys_lseek,
    [SYS_fstat] = posix_sys_fstat,
    [SYS_fsync] = posix_sys_fd_only,
    [SYS_fdatasync] = posix_sys_fd_only,
    [SYS_ftruncate] = posix_sys_fd_only,
    [SYS_getdents64] = posix_sys_getdents,
    [SYS_fchdir] = posix_sys_fchdir,
    /* paths, through the mount table (sys_path.c) */
    [SYS_open] = posix_sys_open,
    [SYS_openat] = posix_sys_openat,
    [SYS_stat] = posix_sys_stat,
    [SYS_lstat] = posix_sys_stat,
    [SYS_newfstatat] = posix_sys_fstatat,
    [SYS_access] = posix_sys_access,
    [SYS_faccessat] = posix_sys_faccessat,
    [SYS_faccessat2] = posix_sys_faccessat,
    [SYS_readlink] = posix_sys_readlink,
    [SYS_readlinkat] = posix_sys_readlinkat,
    [SYS_chdir] = posix_sys_chdir,
    [SYS_getcwd] = posix_sys_getcwd,
    [SYS_creat] = posix_sys_create,
    [SYS_mkdir] = posix_sys_create,
    [SYS_mkdirat] = posix_sys_createat,
    [SYS_mknodat] = posix_sys_createat,
    [SYS_symlink] = posix_sys_symlink,
    [SYS_symlinkat] = posix_sys_symlinkat,
    [SYS_unlink] = posix_sys_modify,
    [SYS_rmdir] = posix_sys_modify,
    [SYS_truncate] = posix_sys_modify,
    [SYS_chmod] = posix_sys_modify,
    [SYS_chown] = posix_sys_modify,
    [SYS_lchown] = posix_sys_modify,
    [SYS_unlinkat] = posix_sys_modifyat,
    [SYS_fchmodat] = posix_sys_modifyat,
    [SYS_fchownat] = posix_sys_modifyat,
    [SYS_utimensat] = posix_sys_modifyat,
    [SYS_rename] = posix_sys_path2,
    [SYS_link] = posix_sys_path2,
    [SYS_renameat] = posix_sys_at_path2,
    [SYS_renameat2] = posix_sys_at_path2,
    [SYS_linkat] = posix_sys_at_path2,
    /* time (sys_time.c) */
    [SYS_clock_gettime] = posix_sys_clock_gettime,
    [SYS_clock_getres] = posix_sys_clock_getres,
    [SYS_gettimeofday] = posix_sys_gettimeofday,
    [SYS_nanosleep] = posix_sys_nanosleep,
    [SYS_clock_nanosleep] = posix_sys_clock_nanosleep,
    /* memory (sys_mem.c) */
    [SYS_brk] = posix_sys_brk,
    [SYS_mmap] = posix_sys_mmap,
    [SYS_munmap] = posix_sys_munmap,
    [SYS_mprotect] = posix_sys_mprotect,
    [SYS_madvise] = posix_sys_madvise,
    /* the process (sys_proc.c) */
    [SYS_exit] = posix_sys_exit,
    [SYS_exit_group] = posix_sys_exit,
    [SYS_getpid] = posix_sys_getpid,
    [SYS_gettid] = posix_sys_getpid,
    [SYS_set_tid_address] = posix_sys_getpid,
    [SYS_getppid] = posix_sys_zero,
    [SYS_getuid] = posix_sys_zero,
    [SYS_geteuid] = posix_sys_zero,
    [SYS_getgid] = posix_sys_zero,
    [SYS_getegid] = posix_sys_zero,
    [SYS_umask] = posix_sys_zero,
    [SYS_uname] = posix_sys_uname,
    [SYS_set_thread_area] = posix_sys_set_thread_area,
    [SYS_arch_prctl] = posix_sys_arch_prctl,
    [SYS_sched_yield] = posix_sys_sched_yield,
    [SYS_wait4] = posix_sys_wait4,
    /* signals, delivered only by a process to itself (sys_signal.c) */
    [SYS_rt_sigaction] = posix_sys_rt_sigaction,
    [SYS_rt_sigprocmask] = posix_sys_rt_sigprocmask,
    [SYS_kill] = posix_sys_kill,
    [SYS_tkill] = posix_sys_tkill,
    [SYS_tgkill] = posix_sys_tgkill,
};

/* -errno for a capOS error. */
long posix_err(err_t e)
{
    return -(long)posix_errno_from_err(e);
}

/* The system-call entry of musl (see syscall_arch.h). */
long capos_posix_syscall(long n, long a1, long a2, long a3, long a4, long a5,
                         long a6)
{
    const long a[6] = {a1, a2, a3, a4, a5, a6};
    if (n < 0 || (unsigned long)n >= sizeof sys_table / sizeof sys_table[0] ||
        !sys_table[n])
        return -ENOSYS;
    return sys_table[n](a);
}
