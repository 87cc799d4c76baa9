/* SPDX-License-Identifier: MIT */
/*
 * sys_proc.c - the process: exit, ids, uname, the thread pointer, wait.
 *
 * Theory of operation: a capOS process has one thread, so exit and
 * exit_group both end the process, with the low 8 bits of the status as
 * the exit code (as a POSIX parent would see it).  The pid is the one the
 * kernel passed at entry and doubles as the thread id; there are no users
 * (every id is 0) and no parent to name (getppid is 0).  The thread
 * pointer (musl's TLS and errno) is set with ThreadControl.setFsBase.
 * fork, vfork, clone and execve are not in the table (ENOSYS): processes
 * are started by a ProcessSpawner with explicit grants, never copied.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "posix.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

long posix_sys_exit(const long a[6])
{
    posix_cap_exit(a[0] & 0xff);
}

long posix_sys_getpid(const long a[6])
{
    (void)a;
    return (long)posix_cap_pid();
}

long posix_sys_zero(const long a[6])
{
    (void)a;
    return 0;
}

long posix_sys_sched_yield(const long a[6])
{
    (void)a;
    return 0;
}

/* No children can exist (no fork; spawned processes are waited for
 * through their ProcessHandle). */
long posix_sys_wait4(const long a[6])
{
    (void)a;
    return -ECHILD;
}

long posix_sys_uname(const long a[6])
{
    struct utsname *u = (struct utsname *)a[0];
    if (!u)
        return -EFAULT;
    memset(u, 0, sizeof *u);
    strcpy(u->sysname, "capOS");
    strcpy(u->nodename, "capos");
    strcpy(u->release, "0");
    strcpy(u->version, "capOS POSIX layer");
    strcpy(u->machine, "x86_64");
    return 0;
}

/* Set the thread pointer with ThreadControl.setFsBase. */
static long set_fs(uint64_t base)
{
    if (posix.caps.thread == CAPS_NONE)
        return -EPERM;
    err_t e = posix_cap_set_fs_base(posix.caps.thread, base);
    if (e != ERR_OK)
        return posix_err(e);
    posix.fs_base = base;
    return 0;
}

long posix_sys_set_thread_area(const long a[6])
{
    return set_fs((uint64_t)a[0]);
}

long posix_sys_arch_prctl(const long a[6])
{
    switch (a[0]) {
    case ARCH_SET_FS:
        return set_fs((uint64_t)a[1]);
    case ARCH_GET_FS:
        if (!a[1])
            return -EFAULT;
        *(uint64_t *)a[1] = posix.fs_base;
        return 0;
    default:
        return -EINVAL;
    }
}
