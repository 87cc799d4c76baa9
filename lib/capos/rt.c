/* SPDX-License-Identifier: MIT */
/*
 * rt.c - process-wide runtime state: the ring client, the parsed CapSet,
 * the pid and the exit hooks (portable; the entry and exit paths that
 * need real syscalls are in start.c).
 *
 * Theory of operation: all runtime globals live here, set once by
 * capos_rt_setup() before main() and only read afterwards (one thread).
 */
#include <capos/capset.h>
#include <capos/rt.h>

static struct capos_ring rt_ring;        /* the process's ring client */
static struct capos_capset rt_capset;    /* parsed CapSet, immutable */
static uint64_t rt_pid;
static void (*rt_exit_hooks[CAPOS_RT_MAX_EXIT_HOOKS])(void);
static uint32_t rt_nexit_hooks;

/* Attach the ring and parse the CapSet. */
err_t capos_rt_setup(void *ring, uint64_t pid, const void *capset,
                     size_t capset_len, capos_enter_fn enter, void *ctx)
{
    err_t e;

    rt_pid = pid;
    rt_nexit_hooks = 0;
    rt_capset.count = 0;
    if ((e = capos_ring_init(&rt_ring, ring, enter, ctx)) != ERR_OK)
        return e;
    if (!capset)
        return ERR_OK;
    return capos_capset_parse(&rt_capset, capset, capset_len);
}

/* The process-wide ring client. */
struct capos_ring *capos_rt_ring(void)
{
    return &rt_ring;
}

/* The pid passed at entry. */
uint64_t capos_rt_pid(void)
{
    return rt_pid;
}

/* The parsed CapSet of this process. */
struct capos_capset *capos_capset_self(void)
{
    return &rt_capset;
}

/* Register an exit hook. */
err_t capos_rt_atexit(void (*fn)(void))
{
    if (rt_nexit_hooks >= CAPOS_RT_MAX_EXIT_HOOKS)
        return ERR_FULL;
    rt_exit_hooks[rt_nexit_hooks++] = fn;
    return ERR_OK;
}

/* Run hooks last-first; each runs at most once. */
void capos_rt_run_exit_hooks(void)
{
    while (rt_nexit_hooks > 0)
        rt_exit_hooks[--rt_nexit_hooks]();
}

/* capos_ring_call on the process ring. */
err_t capos_call(uint32_t cap_id, uint16_t method, const void *params,
                 uint32_t params_len, void *result, uint32_t result_len,
                 struct ring_cqe *out)
{
    return capos_ring_call(&rt_ring, cap_id, method, params, params_len,
                           result, result_len, out);
}

/* capos_ring_release on the process ring. */
err_t capos_release(uint32_t cap_id)
{
    return capos_ring_release(&rt_ring, cap_id);
}
