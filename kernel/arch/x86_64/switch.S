/*
 * switch.S - kernel stack switch and the first entry of a new thread.
 *
 * void arch_switch(uint64_t *old_ksp, uint64_t new_ksp)
 *   Saves the callee-saved registers on the current stack, stores the
 *   stack pointer in *old_ksp, loads new_ksp and pops the new thread's
 *   registers; `ret` resumes it where it called arch_switch (or at
 *   thread_entry_user for a thread that never ran).
 *
 * thread_entry_user: the first "return" of a new user thread; the trap
 * frame prepared by thread_create_user is right above, so finishing the
 * switch and jumping to isr_return enters user mode.
 */
    .text
    .global arch_switch
arch_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .global thread_entry_user
thread_entry_user:
    call sched_switch_done
    jmp isr_return
