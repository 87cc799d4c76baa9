/* SPDX-License-Identifier: MIT */
/*
 * signals.c - POSIX0002: signals a process raises itself (docs/posix.md):
 * a blocked signal stays pending until unblocked, SA_RESETHAND, SIG_IGN,
 * SA_SIGINFO, a default-ignored signal, SIGKILL refused, and abort(),
 * which ends the process with 134.  abort does not flush stdio; every line
 * is complete on the line-buffered console before it.  Output compared
 * with tests/posix/POSIX0002.out.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t count, last_code;

static void on_sig(int sig)
{
    count++;
    printf("handler: %s\n", strsignal(sig));
}

static void on_info(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    last_code = info->si_code;
    printf("siginfo: signo %d matches: %s\n", info->si_signo,
           info->si_signo == sig ? "yes" : "no");
}

int main(void)
{
    sigset_t set, old;
    struct sigaction sa;

    signal(SIGUSR1, on_sig);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    printf("blocked: %d deliveries\n", (int)count);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: %d deliveries\n", (int)count);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &sa);
    printf("SA_RESETHAND: default again: %s\n",
           sa.sa_handler == SIG_DFL ? "yes" : "no");

    signal(SIGTERM, SIG_IGN);
    raise(SIGTERM);
    printf("SIG_IGN: still running\n");
    raise(SIGWINCH);
    printf("SIGWINCH by default: ignored\n");

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGHUP);

    printf("sigaction(SIGKILL): %s\n",
           sigaction(SIGKILL, &sa, NULL) == -1 ? "refused" : "accepted");
    printf("abort:\n");
    abort();
}
