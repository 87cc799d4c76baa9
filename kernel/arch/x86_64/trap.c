/*
 * trap.c - exception and interrupt dispatch.
 *
 * Exceptions in kernel mode are fatal: a register dump (with the page-fault
 * error code decoded) and a panic, which stops QEMU with a failure code.
 * Exceptions in user mode go to the process layer's fault hook (it ends the
 * faulting process).  Interrupts go through irq_handlers[], one entry per
 * vector; a vector without a handler is counted and reported once.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/cpu.h>
#include <kernel/kstack.h>
#include <kernel/printk.h>

static irq_handler_t irq_handlers[256];
static uint64_t irq_unhandled;

/* Hook for user-mode faults; set by the process layer (NULL: panic). */
void (*trap_user_fault_hook)(struct trap_frame *tf);

static const char *const exc_names[32] = {
    [0] = "#DE divide error",       [1] = "#DB debug",
    [2] = "NMI",                    [3] = "#BP breakpoint",
    [4] = "#OF overflow",           [5] = "#BR bound range",
    [6] = "#UD invalid opcode",     [7] = "#NM device not available",
    [8] = "#DF double fault",       [9] = "coprocessor overrun",
    [10] = "#TS invalid TSS",       [11] = "#NP segment not present",
    [12] = "#SS stack fault",       [13] = "#GP general protection",
    [14] = "#PF page fault",        [16] = "#MF x87 error",
    [17] = "#AC alignment check",   [18] = "#MC machine check",
    [19] = "#XM SIMD error",        [20] = "#VE virtualization",
    [21] = "#CP control protection",
};

/* Name of exception vector `v`. */
static const char *exc_name(uint64_t v)
{
    return v < 32 && exc_names[v] ? exc_names[v] : "reserved exception";
}

void irq_set_handler(uint8_t vec, irq_handler_t h)
{
    irq_handlers[vec] = h;
}

/* Print the decoded page-fault error code and faulting address. */
static void trap_dump_pf(const struct trap_frame *tf)
{
    uint64_t e = tf->error;
    printk("page fault at %#llx: %s, %s, %s mode%s%s%s\n",
           (unsigned long long)read_cr2(),
           (e & 1) ? "protection violation" : "page not present",
           (e & 16) ? "instruction fetch" : (e & 2) ? "write" : "read",
           (e & 4) ? "user" : "supervisor",
           (e & 8) ? ", reserved bit set" : "",
           (e & 32) ? ", protection key" : "",
           (e & 64) ? ", shadow stack" : "");
}

void trap_dump(const struct trap_frame *tf)
{
    printk("rip=%#018llx cs=%#llx rflags=%#llx rsp=%#018llx ss=%#llx\n",
           (unsigned long long)tf->rip, (unsigned long long)tf->cs,
           (unsigned long long)tf->rflags, (unsigned long long)tf->rsp,
           (unsigned long long)tf->ss);
    printk("rax=%#018llx rbx=%#018llx rcx=%#018llx rdx=%#018llx\n",
           (unsigned long long)tf->rax, (unsigned long long)tf->rbx,
           (unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
    printk("rsi=%#018llx rdi=%#018llx rbp=%#018llx r8 =%#018llx\n",
           (unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
           (unsigned long long)tf->rbp, (unsigned long long)tf->r8);
    printk("r9 =%#018llx r10=%#018llx r11=%#018llx r12=%#018llx\n",
           (unsigned long long)tf->r9, (unsigned long long)tf->r10,
           (unsigned long long)tf->r11, (unsigned long long)tf->r12);
    printk("r13=%#018llx r14=%#018llx r15=%#018llx\n",
           (unsigned long long)tf->r13, (unsigned long long)tf->r14,
           (unsigned long long)tf->r15);
    printk("cr0=%#llx cr2=%#llx cr3=%#llx cr4=%#llx\n",
           (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
           (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

extern const char uaccess_copy_insn[], uaccess_copy_tail[], uaccess_fault[];

/* A CPU exception: user faults go to the hook, kernel faults are fatal
 * except a page fault at one of the user-copy routine's two copying
 * instructions, which fails the copy. */
static void trap_exception(struct trap_frame *tf)
{
    if (tf->vector == 14 && !(tf->cs & 3) &&
        (tf->rip == (uint64_t)(uintptr_t)uaccess_copy_insn ||
         tf->rip == (uint64_t)(uintptr_t)uaccess_copy_tail)) {
        tf->rip = (uint64_t)(uintptr_t)uaccess_fault;
        return;
    }
    if ((tf->cs & 3) && trap_user_fault_hook) {
        trap_user_fault_hook(tf);
        return;
    }
    printk("\nEXCEPTION: %s (vector %llu, error %#llx) in %s mode\n",
           exc_name(tf->vector), (unsigned long long)tf->vector,
           (unsigned long long)tf->error, (tf->cs & 3) ? "user" : "kernel");
    if (tf->vector == 14)
        trap_dump_pf(tf);
    if (tf->vector == 8 && kstack_is_guard(read_cr2()))
        printk("kernel stack overflow: fault at %#llx in a guard page\n",
               (unsigned long long)read_cr2());
    trap_dump(tf);
    backtrace_print(tf->rbp);
    panic("unhandled %s", exc_name(tf->vector));
}

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector < 32) {
        trap_exception(tf);
        return;
    }
    cpu_this()->irq_count++;
    irq_handler_t h = irq_handlers[tf->vector];
    if (h) {
        h(tf);
        return;
    }
    if (irq_unhandled++ == 0)
        printk("trap: unexpected interrupt vector %llu\n",
               (unsigned long long)tf->vector);
}
