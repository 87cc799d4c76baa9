/* SPDX-License-Identifier: MIT */
/*
 * sys_signal.c - signals a process sends to itself (raise, abort, kill of
 * its own pid).
 *
 * Theory of operation: nothing outside a process can signal it (capOS has
 * no signals; a process is ended through its ProcessHandle), so the only
 * signals are the ones it raises itself.  They follow POSIX: a blocked
 * signal stays pending until it is unblocked; a handler runs on the
 * spot with the action's mask (and the signal itself, unless SA_NODEFER)
 * blocked; SA_RESETHAND restores the default; the default action of
 * SIGCHLD, SIGCONT, SIGURG and SIGWINCH is to ignore, and of every other
 * signal to end the process with exit code 128 + the signal number (what a
 * shell reports; abort() is 134).  A pid or tid other than the caller's
 * is ESRCH.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "posix.h"

#define SIG_COUNT 64
#define SIGSET_BYTES 8
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

static uint64_t sig_bit(int sig)
{
    return 1ull << (sig - 1);
}

/* The default action: ignore or end the process. */
static void sig_default(int sig)
{
    switch (sig) {
    case SIGCHLD:
    case SIGCONT:
    case SIGURG:
    case SIGWINCH:
        return;
    default:
        posix_cap_exit(128 + sig);
    }
}

static void deliver_pending(void);

/* Act on an unblocked signal now. */
static void sig_deliver(int sig)
{
    struct posix_ksigaction *act = &posix.sig.action[sig - 1];
    void *h = act->handler;
    if (h == (void *)SIG_IGN)
        return;
    if (h == (void *)SIG_DFL) {
        sig_default(sig);
        return;
    }
    uint64_t saved = posix.sig.blocked;
    unsigned long flags = act->flags;
    posix.sig.blocked |= act->mask & ~UNBLOCKABLE;
    if (!(flags & SA_NODEFER))
        posix.sig.blocked |= sig_bit(sig);
    if (flags & SA_RESETHAND)
        memset(act, 0, sizeof *act);
    if (flags & SA_SIGINFO) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        info.si_signo = sig;
        info.si_code = SI_TKILL;
        ((void (*)(int, siginfo_t *, void *))h)(sig, &info, NULL);
    } else {
        ((void (*)(int))h)(sig);
    }
    posix.sig.blocked = saved;
    deliver_pending();
}

/* Deliver every pending signal that is no longer blocked, lowest first. */
static void deliver_pending(void)
{
    uint64_t ready;
    while ((ready = posix.sig.pending & ~posix.sig.blocked) != 0) {
        int sig = __builtin_ctzll(ready) + 1;
        posix.sig.pending &= ~sig_bit(sig);
        sig_deliver(sig);
    }
}

/* Raise sig in this process. */
static long sig_raise(long sig)
{
    if (sig == 0)
        return 0;
    if (sig < 1 || sig > SIG_COUNT)
        return -EINVAL;
    posix.sig.pending |= sig_bit((int)sig);
    deliver_pending();
    return 0;
}

/* rt_sigaction(sig, act, oact, setsize). */
long posix_sys_rt_sigaction(const long a[6])
{
    long sig = a[0];
    const struct posix_ksigaction *act = (const void *)a[1];
    struct posix_ksigaction *oact = (void *)a[2];
    if (a[3] != SIGSET_BYTES || sig < 1 || sig > SIG_COUNT)
        return -EINVAL;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (oact)
        *oact = posix.sig.action[sig - 1];
    if (act) {
        posix.sig.action[sig - 1] = *act;
        if (act->handler == (void *)SIG_IGN)
            posix.sig.pending &= ~sig_bit((int)sig);
    }
    return 0;
}

/* rt_sigprocmask(how, set, oset, setsize). */
long posix_sys_rt_sigprocmask(const long a[6])
{
    const uint64_t *set = (const uint64_t *)a[1];
    uint64_t *oset = (uint64_t *)a[2];
    if (a[3] != SIGSET_BYTES)
        return -EINVAL;
    if (set && a[0] != SIG_BLOCK && a[0] != SIG_UNBLOCK && a[0] != SIG_SETMASK)
        return -EINVAL;
    if (oset)
        *oset = posix.sig.blocked;
    if (!set)
        return 0;
    uint64_t s = *set & ~UNBLOCKABLE;
    if (a[0] == SIG_BLOCK)
        posix.sig.blocked |= s;
    else if (a[0] == SIG_UNBLOCK)
        posix.sig.blocked &= ~s;
    else
        posix.sig.blocked = s;
    deliver_pending();
    return 0;
}

/* True if id names this process (pid, or 0 / -1: its group, everyone). */
static int is_self(long id, int allow_group)
{
    return id == (long)posix_cap_pid() || (allow_group && (id == 0 || id == -1));
}

long posix_sys_kill(const long a[6])
{
    return is_self(a[0], 1) ? sig_raise(a[1]) : -ESRCH;
}

long posix_sys_tkill(const long a[6])
{
    return is_self(a[0], 0) ? sig_raise(a[1]) : -ESRCH;
}

long posix_sys_tgkill(const long a[6])
{
    return is_self(a[0], 0) && is_self(a[1], 0) ? sig_raise(a[2]) : -ESRCH;
}
