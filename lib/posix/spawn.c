/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - posix_spawn over ProcessSpawner, and waiting for the child
 * (wait4, so waitpid and wait).
 *
 * Theory of operation: capOS has no fork or exec; a process is started
 * fresh from a binary of the boot package with explicit grants.  These
 * definitions replace musl's posix_spawn and posix_spawnp (which need
 * clone): lib/posix is linked before musl's libc.a.  The program is a
 * path that must resolve to a file of the /boot mount (its name there is
 * the binary); posix_spawnp takes a bare name as /boot/NAME.  The child
 * gets argv (argv[0] becomes its process name) and the parent's console,
 * timer, vm, thread and boot caps; it gets no environment (the CapSet
 * carries none yet) and file actions are not supported (ENOTSUP): the
 * child's descriptors are 0-2 on its console.  Without a "spawner"
 * grant posix_spawn is EACCES.  Children are remembered
 * by pid until waited for (at most POSIX_CHILDREN); wait4 blocks on
 * ProcessHandle.wait and reports an exit as WIFEXITED with the low 8
 * bits of the code, and a fault (-(128 + vector)) as WIFSIGNALED with
 * SIGSEGV, SIGFPE, SIGILL, SIGTRAP or SIGBUS.  WNOHANG is EINVAL (no
 * non-blocking wait yet); pid -1 waits for the oldest child.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "posix.h"

#define POSIX_CHILDREN 16
#define SPAWN_ARGS 32

static struct {
    uint32_t pid, handle;
    bool used;
} children[POSIX_CHILDREN];

/* The boot binary named by path, or -errno. */
static long spawn_binary(const char *path, const char **binary)
{
    static char rel[POSIX_PATH_MAX];
    struct posix_stat st;
    int m;
    long r = posix_path_resolve(posix.cwd, path, posix.mount_name,
                                posix.mounts, &m, rel);
    if (r)
        return r;
    if (m == POSIX_MOUNT_ROOT || posix.mount[m] != &posix_bootfs || !rel[0])
        return -EACCES;             /* only boot-package files run */
    if ((r = posix.mount[m]->stat(rel, &st)) != 0)
        return r;
    *binary = rel;
    return 0;
}

/* Process name for argv[0]: its last component, at most 27 bytes. */
static const char *spawn_name(const char *argv0, char *buf, size_t n)
{
    const char *s = argv0 && argv0[0] ? argv0 : "child";
    const char *slash = strrchr(s, '/');
    if (slash && slash[1])
        s = slash + 1;
    size_t len = strnlen(s, n - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

int posix_spawn(pid_t *restrict res, const char *restrict path,
                const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *restrict attr,
                char *const argv[restrict], char *const envp[restrict])
{
    const char *binary;
    char name[28];
    uint32_t n = 0, slot, handle, pid;
    (void)attr, (void)envp;
    if (posix.caps.spawner == CAPS_NONE)
        return EACCES;              /* no ProcessSpawner granted */
    if (fa && fa->__actions)
        return ENOTSUP;
    long r = spawn_binary(path, &binary);
    if (r)
        return (int)-r;
    while (argv && argv[n] && n <= SPAWN_ARGS)
        n++;
    if (n > SPAWN_ARGS)
        return E2BIG;
    for (slot = 0; slot < POSIX_CHILDREN && children[slot].used; slot++)
        ;
    if (slot == POSIX_CHILDREN)
        return EAGAIN;
    const char *pname = spawn_name(argv ? argv[0] : NULL, name, sizeof name);
    err_t e = posix_cap_spawn(posix.caps.spawner, pname, binary,
                              (const char *const *)(argv ? argv + 1 : NULL),
                              n ? n - 1 : 0, &handle, &pid);
    if (e == ERR_RANGE)
        return E2BIG;               /* over the kernel's argument limits */
    if (e != ERR_OK)
        return (int)-posix_err(e);
    children[slot].pid = pid;
    children[slot].handle = handle;
    children[slot].used = true;
    if (res)
        *res = (pid_t)pid;
    return 0;
}

int posix_spawnp(pid_t *restrict res, const char *restrict file,
                 const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *restrict attr,
                 char *const argv[restrict], char *const envp[restrict])
{
    static char path[POSIX_PATH_MAX];
    if (!file)
        return EFAULT;
    if (strchr(file, '/'))
        return posix_spawn(res, file, fa, attr, argv, envp);
    if (strlen(file) + sizeof "/boot/" > sizeof path)
        return ENAMETOOLONG;
    strcpy(path, "/boot/");
    strcat(path, file);
    return posix_spawn(res, path, fa, attr, argv, envp);
}

/* The signal a fault vector stands for. */
static int fault_signal(int64_t code)
{
    switch (-code - 128) {
    case 0: return SIGFPE;          /* #DE */
    case 3: return SIGTRAP;         /* #BP */
    case 6: return SIGILL;          /* #UD */
    case 17: return SIGBUS;         /* #AC */
    default: return SIGSEGV;        /* #PF, #GP and the rest */
    }
}

/* wait4(pid, status, options, rusage). */
long posix_sys_wait4(const long a[6])
{
    long pid = a[0];
    int *status = (int *)a[1];
    int64_t code;
    uint32_t i;
    if (a[2] & WNOHANG)
        return -EINVAL;
    for (i = 0; i < POSIX_CHILDREN; i++)
        if (children[i].used && (pid == -1 || (long)children[i].pid == pid))
            break;
    if (i == POSIX_CHILDREN)
        return -ECHILD;
    children[i].used = false;
    err_t e = posix_cap_wait(children[i].handle, &code);
    if (e != ERR_OK)
        return posix_err(e);
    if (status)
        *status = code < 0 ? fault_signal(code) : (int)(code & 0xff) << 8;
    if (a[3])
        memset((void *)a[3], 0, sizeof(struct rusage));  /* no accounting */
    return (long)children[i].pid;
}
