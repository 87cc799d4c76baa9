/* SPDX-License-Identifier: MIT */
/*
 * start.c - process start of a POSIX program: from the kernel's entry to
 * musl's __libc_start_main.
 *
 * Theory of operation: crt1.S passes the entry registers (ring page, pid,
 * CapSet page) here.  lib/capos attaches the ring and parses the CapSet
 * (a bad one ends the process with 127), the POSIX layer finds its caps
 * and opens descriptors 0-2, and then the block a Linux kernel would
 * leave on the stack is built in static memory: argv (the CapSet's args,
 * copied so a program may write to them), an empty environment (the
 * CapSet carries none yet; setenv works in the process) and an auxiliary
 * vector with the page size and where the program headers are, which
 * musl's static TLS setup reads.  musl's start code then sets up TLS
 * (set_thread_area -> ThreadControl), stdio and the constructors, calls
 * main and exits with its value.  Without a "thread" grant nothing of
 * libc works (errno lives in the thread block), so the process says so on
 * the console and exits with 127.
 */
#include <capos/capos.h>
#include <elf.h>
#include <string.h>

#include "posix.h"

/* musl's entry from crt1 (src/env/__libc_start_main.c). */
int __libc_start_main(int (*main)(int, char **, char **), int argc,
                      char **argv, void (*init)(void), void (*fini)(void),
                      void (*ldso)(void));
/* The program. */
int main(int argc, char **argv, char **envp);
/* The ELF header, mapped with the text segment (lib/posix/posix.ld). */
extern const Elf64_Ehdr __ehdr_start;

_Noreturn void capos_posix_start(void *ring, uint64_t pid, const void *capset);

#define ARG_BYTES 1536          /* the kernel's largest argv (start.c) */
#define AUX_PAIRS 8

/* argv, NULL, envp (empty), NULL, auxv pairs, AT_NULL. */
static char *start_vec[CAPOS_ARGS_MAX + 1 + 1 + 2 * AUX_PAIRS + 2];
static char start_args[ARG_BYTES];

/* Copy argv into start_vec/start_args; argc (the strings that fit). */
static int start_argv(void)
{
    const struct capos_capset *set = capos_capset_self();
    size_t used = 0;
    int argc = 0;
    for (uint32_t i = 0; i < set->argc && i < CAPOS_ARGS_MAX + 1; i++) {
        size_t n = strlen(set->argv[i]) + 1;
        if (n > sizeof start_args - used)
            break;
        memcpy(start_args + used, set->argv[i], n);
        start_vec[argc++] = start_args + used;
        used += n;
    }
    return argc;
}

/* The auxiliary vector after argv's and envp's NULLs. */
static void start_auxv(char **v)
{
    const Elf64_Ehdr *eh = &__ehdr_start;
    const size_t aux[] = {
        AT_PAGESZ, 4096,
        AT_PHDR, (size_t)((const char *)eh + eh->e_phoff),
        AT_PHENT, eh->e_phentsize,
        AT_PHNUM, eh->e_phnum,
        AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0,
        AT_NULL, 0,
    };
    _Static_assert(sizeof aux / sizeof aux[0] <= 2 * AUX_PAIRS + 2, "auxv");
    memcpy(v, aux, sizeof aux);
}

/* From the kernel entry to main (see the top of the file). */
_Noreturn void capos_posix_start(void *ring, uint64_t pid, const void *capset)
{
    capos_rt_init(ring, pid, capset);
    posix_caps_find(&posix.caps);
    if (posix.caps.thread == CAPS_NONE) {
        if (posix.caps.console != CAPS_NONE)
            posix_cap_console_write(posix.caps.console,
                "posix: no \"thread\" (ThreadControl) grant\n", 41);
        posix_cap_exit(127);
    }
    if (posix.caps.timer != CAPS_NONE)
        posix_cap_timer_now(posix.caps.timer, &posix.start_ns);
    posix_console_init();
    posix_mounts_init();
    int argc = start_argv();
    start_vec[argc] = NULL;             /* end of argv */
    start_vec[argc + 1] = NULL;         /* empty environment */
    start_auxv(&start_vec[argc + 2]);
    __libc_start_main(main, argc, start_vec, NULL, NULL, NULL);
    posix_cap_exit(127);                /* not reached */
}
