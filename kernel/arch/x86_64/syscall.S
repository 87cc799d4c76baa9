/*
 * syscall.S - the SYSCALL entry and the SYSRET fast return.
 *
 * Entry: interrupts are off (SFMASK), GS is the user's.  We swap to the
 * kernel GS, save the user RSP in the per-CPU scratch slot (gs:16), load
 * the thread's kernel stack (gs:8) and build a struct trap_frame exactly
 * like an interrupt would (vector SYSCALL_VECTOR), so preemption, exit and
 * the first entry of threads all share one frame format.
 *
 * Return: SYSRET only if the saved RIP is a canonical user address below
 * the last user page (SYSRET to a non-canonical RIP faults in ring 0 on
 * Intel CPUs); otherwise, and for every frame changed to something
 * unusual, the IRETQ path in isr.S.
 */
#include <arch/frame.inc>
#include <arch/layout.h>

#define SYSCALL_VECTOR 0x100
#define TF_RIP    (17 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP    (20 * 8)

    .text
    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:16
    mov %gs:8, %rsp
    pushq $0x1b                 /* ss: user data */
    pushq %gs:16                /* rsp */
    pushq %r11                  /* rflags */
    pushq $0x23                 /* cs: user code */
    pushq %rcx                  /* rip */
    pushq $0                    /* error */
    pushq $SYSCALL_VECTOR
    TRAP_PUSH_GPRS
    cld
    mov %rsp, %rdi
    call syscall_dispatch

    /* Fast return if RIP is a safe user address. */
    mov TF_RIP(%rsp), %rcx
    movabs $(USER_TOP - 0x1000), %rax
    cmp %rax, %rcx
    jae isr_return
    TRAP_POP_GPRS
    /* rsp -> vector; rip at 16, rflags at 32, rsp at 40 */
    mov 16(%rsp), %rcx
    mov 32(%rsp), %r11
    mov 40(%rsp), %rsp
    swapgs
    sysretq
