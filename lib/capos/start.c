/* SPDX-License-Identifier: MIT */
/*
 * start.c - the target-only ends of a process's life: capos_rt_init (called
 * by crt0 with the entry registers) and capos_rt_exit.
 *
 * Theory of operation: the kernel hands over RDI = ring page, RSI = pid,
 * RDX = CapSet page (abi/layout.h).  Without a usable ring nothing can be
 * reported, so a bad ring or CapSet ends the process with code 127.
 */
#include <abi/layout.h>
#include <capos/capset.h>
#include <capos/rt.h>
#include <capos/syscall.h>
#include <string.h>

/* The real kernel entry, in the shape of capos_enter_fn. */
static int64_t sys_enter(void *ctx, uint64_t min_complete,
                         uint64_t timeout_ns)
{
    (void)ctx;
    return capos_cap_enter(min_complete, timeout_ns);
}

/* Entry-point initialisation; exits with 127 on a bad ring or CapSet. */
void capos_rt_init(void *ring, uint64_t pid, const void *capset)
{
    if (capos_rt_setup(ring, pid, capset, capset ? CAPSET_MAX_SIZE : 0,
                       sys_enter, NULL) != ERR_OK)
        capos_exit(127);
}

/* The program's main; programs may also define it as main(void). */
int main(int argc, char **argv);

/* Room for the kernel's largest argument list (1,024 bytes, a 27-byte
 * name, 33 NULs): C lets a program write to its argv strings, and the
 * CapSet page they come from is read-only. */
#define RT_ARG_BYTES 1536
_Static_assert(RT_ARG_BYTES >= 1024 + 28 + CAPOS_ARGS_MAX,
               "the kernel's largest argument list fits");
static char rt_argbuf[RT_ARG_BYTES];
static char *rt_argv[CAPOS_ARGS_MAX + 1];

/* Copy the CapSet's argv into writable memory; argc, or -1 if it does not
 * fit (then the read-only strings are used). */
static int rt_copy_args(const struct capos_capset *set)
{
    size_t used = 0;
    for (uint32_t i = 0; i < set->argc; i++) {
        size_t n = strlen(set->argv[i]) + 1;
        if (n > RT_ARG_BYTES - used)
            return -1;
        memcpy(rt_argbuf + used, set->argv[i], n);
        rt_argv[i] = rt_argbuf + used;
        used += n;
    }
    rt_argv[set->argc] = NULL;
    return (int)set->argc;
}

/* Call main with the CapSet's argv (argv[0] = process name), writable,
 * then exit with its return value. */
_Noreturn void capos_rt_run_main(void)
{
    struct capos_capset *set = capos_capset_self();
    int argc = rt_copy_args(set);
    if (argc < 0)
        capos_rt_exit(main((int)set->argc, set->argv));
    capos_rt_exit(main(argc, rt_argv));
}

/* Run the exit hooks, then exit. */
_Noreturn void capos_rt_exit(int64_t code)
{
    capos_rt_run_exit_hooks();
    capos_exit(code);
}
