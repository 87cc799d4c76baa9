/*
 * syscall.c - the two system calls, dispatched by number through one table,
 * and the fate of a process whose user code faults.
 */
#include <abi/ring.h>
#include <abi/syscall.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <common/fmt.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/ring.h>
#include <kernel/vm.h>

void syscall_dispatch(struct trap_frame *tf);
void syscall_fault_init(void);
extern void (*trap_user_fault_hook)(struct trap_frame *tf);

typedef void (*syscall_fn)(struct trap_frame *tf);

/* The process a trap from user mode came from; a user trap with no
 * current thread is a kernel bug. */
static struct process *trapping_proc(const char *what)
{
    struct process *p = proc_current();
    if (!p)
        panic("%s from user mode without a current process", what);
    return p;
}

static void sys_cap_enter(struct trap_frame *tf)
{
    struct process *p = trapping_proc("cap_enter");
    tf->rax = (uint64_t)cap_enter(p, tf->rdi, tf->rsi);
    proc_exit_if_requested(p);  /* exitThread: nothing is in flight now */
}

static void sys_exit(struct trap_frame *tf)
{
    proc_exit(trapping_proc("exit"), (int64_t)tf->rdi, "exit");
}

static const syscall_fn syscalls[SYS__COUNT] = {
    [SYS_CAP_ENTER] = sys_cap_enter,
    [SYS_EXIT] = sys_exit,
};

void syscall_dispatch(struct trap_frame *tf)
{
    if (tf->rax >= SYS__COUNT)
        tf->rax = (uint64_t)(int64_t)CAP_ERR_INVALID_REQUEST;
    else
        syscalls[tf->rax](tf);
    proc_exit_if_killed();      /* ProcessHandle.kill: before user code */
    /* A SYSCALL in the last bytes of the user half returns to a
     * non-canonical RIP: neither SYSRET nor IRETQ may be used (both fault
     * in ring 0), so the process ends as if it had faulted there. */
    if (tf->rip >= USER_TOP) {
        struct process *p = trapping_proc("syscall");
        printk("process %s (pid %u) killed: return to non-canonical rip %#llx\n",
               p->name, p->pid, (unsigned long long)tf->rip);
        proc_exit(p, -(128 + 13), "#GP return to a non-canonical address");
    }
}

static const char *const fault_names[32] = {
    [0] = "#DE divide error", [1] = "#DB debug", [3] = "#BP breakpoint",
    [4] = "#OF overflow", [5] = "#BR bound range", [6] = "#UD invalid opcode",
    [7] = "#NM device not available", [13] = "#GP general protection",
    [12] = "#SS stack fault", [14] = "#PF page fault", [16] = "#MF x87 error",
    [17] = "#AC alignment check", [19] = "#XM SIMD error",
};

/* Print the faulting process's frame-pointer backtrace (read through its
 * page tables, so a bad frame pointer just ends the walk). */
static void user_backtrace(struct process *p, uint64_t rbp)
{
    uint64_t ret[8];
    int n = 0;
    for (; n < 8 && rbp && !(rbp & 7); n++) {
        uint64_t frame[2];
        if (vm_read(&p->vm, rbp, frame, sizeof frame))
            break;
        ret[n] = frame[1];
        rbp = frame[0];
    }
    if (!n)
        return;
    printk("  user backtrace:");
    for (int i = 0; i < n; i++)
        printk(" %#llx", (unsigned long long)ret[i]);
    printk("\n");
}

/* A user-mode exception ends the process with a recorded reason. */
static void user_fault(struct trap_frame *tf)
{
    struct process *p = trapping_proc("exception");
    char reason[96];
    const char *name = tf->vector < 32 && fault_names[tf->vector]
                           ? fault_names[tf->vector] : "exception";
    if (tf->vector == 14)
        fmt_snprintf(reason, sizeof reason, "%s at %#llx (error %#llx) rip %#llx",
                     name, (unsigned long long)read_cr2(),
                     (unsigned long long)tf->error,
                     (unsigned long long)tf->rip);
    else
        fmt_snprintf(reason, sizeof reason, "%s (error %#llx) rip %#llx", name,
                     (unsigned long long)tf->error,
                     (unsigned long long)tf->rip);
    printk("process %s (pid %u) killed: %s\n", p->name, p->pid, reason);
    user_backtrace(p, tf->rbp);
    proc_exit(p, -(int64_t)(128 + tf->vector), reason);
}

void syscall_fault_init(void)
{
    trap_user_fault_hook = user_fault;
}
