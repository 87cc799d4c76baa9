/*
 * threadctl.c - the ThreadControl capability: control of the calling
 * thread (its TLS base, exiting it).
 *
 * Like CapabilityManager it acts on the caller, so one object serves
 * every holder.  A process has one thread today, so exitThread ends the
 * process with the given code (the threads issue will end only the
 * thread); it never completes.  The exit happens when the dispatcher has
 * finished this operation (proc_exit_request): its params copy, result
 * arena and transfers are freed first, and the rest of the batch does
 * not run.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <capos.capnp.h>
#include <kernel/kobjs.h>
#include <kernel/proc.h>
#include <kernel/thread.h>

static const struct kobj_ops threadctl_ops = {.name = "threadctl",
                                              .type = KOBJ_THREAD};
static struct kobj threadctl;

struct kobj *threadctl_obj(void)
{
    if (!threadctl.ops)
        kobj_init(&threadctl, &threadctl_ops);
    return &threadctl;
}

static int tc_set_fs_base(void *ctx, capos_thread_control_set_fs_base_params_r params,
                          capos_thread_control_set_fs_base_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    uint64_t base = capos_thread_control_set_fs_base_params_get_base(params);
    if (base >= USER_TOP)
        return call_fail(c, ERR_INVAL, "FS base outside the user half");
    struct thread *t = thread_current();
    t->fs_base = base;
    arch_set_fs_base(base);
    return ERR_OK;
}

static int tc_exit_thread(void *ctx, capos_thread_control_exit_thread_params_r params,
                          capos_thread_control_exit_thread_results_b results)
{
    (void)results;
    struct call_ctx *c = ctx;
    int64_t code = capos_thread_control_exit_thread_params_get_code(params);
    proc_exit_request(c->caller, code, "exitThread");
    return ERR_OK;
}

static const capos_thread_control_server_t threadctl_server = {
    .set_fs_base = tc_set_fs_base,
    .exit_thread = tc_exit_thread,
};

static int threadctl_dispatch(struct call_ctx *c, uint16_t m,
                              struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_thread_control_dispatch(&threadctl_server, c, m, params, res);
}

const struct kiface threadctl_iface = {
    .id = CAPOS_THREAD_CONTROL_INTERFACE_ID, .name = "ThreadControl",
    .dispatch = threadctl_dispatch};
