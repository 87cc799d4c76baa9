/*
 * handle.c - the ProcessHandle capability: the process object seen from
 * outside (wait for its exit code, its pid, kill it).  Releasing a handle
 * never kills the process; kill marks it and wakes it wherever it waits,
 * and it exits (PROC_KILLED_CODE) on its way back to user mode: at the
 * end of its system call or of the tick that preempted it.
 */
#include <capos.capnp.h>
#include <kernel/kobjs.h>
#include <kernel/proc.h>
#include <kernel/procwait.h>

static int handle_wait(void *ctx, capos_process_handle_wait_params_r params,
                       capos_process_handle_wait_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    struct process *target = (struct process *)c->target;
    if (target == c->caller)
        return call_fail(c, ERR_INVAL, "a process cannot wait for itself");
    uint64_t f = spin_lock_irqsave(&target->lock);
    bool exited = target->state == PROC_EXITED;
    int64_t code = target->exit_code;
    spin_unlock_irqrestore(&target->lock, f);
    if (exited) {
        capos_process_handle_wait_results_set_exit_code(results, code);
        return ERR_OK;
    }
    return procwait_exit(c, target);
}

static int handle_pid(void *ctx, capos_process_handle_pid_params_r params,
                      capos_process_handle_pid_results_b results)
{
    (void)params;
    struct call_ctx *c = ctx;
    capos_process_handle_pid_results_set_pid(results,
                                             ((struct process *)c->target)->pid);
    return ERR_OK;
}

static int handle_kill(void *ctx, capos_process_handle_kill_params_r params,
                       capos_process_handle_kill_results_b results)
{
    (void)params;
    (void)results;
    struct call_ctx *c = ctx;
    struct process *target = (struct process *)c->target;
    if (target == c->caller)
        return call_fail(c, ERR_INVAL, "a process cannot kill itself (exit)");
    proc_kill(target);
    return ERR_OK;
}

static const capos_process_handle_server_t handle_server = {
    .wait = handle_wait,
    .pid = handle_pid,
    .kill = handle_kill,
};

static int handle_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_process_handle_dispatch(&handle_server, c, m, params, res);
}

const struct kiface process_handle_iface = {
    .id = CAPOS_PROCESS_HANDLE_INTERFACE_ID, .name = "ProcessHandle",
    .dispatch = handle_dispatch};
