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

/* Call main with the CapSet's argv (argv[0] = process name), then exit
 * with its return value. */
_Noreturn void capos_rt_run_main(void)
{
    struct capos_capset *set = capos_capset_self();
    capos_rt_exit(main((int)set->argc, set->argv));
}

/* Run the exit hooks, then exit. */
_Noreturn void capos_rt_exit(int64_t code)
{
    capos_rt_run_exit_hooks();
    capos_exit(code);
}
