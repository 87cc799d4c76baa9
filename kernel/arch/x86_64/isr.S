/*
 * isr.S - interrupt and exception entry stubs.
 *
 * One 16-byte-aligned stub per vector pushes a zero error code where the
 * CPU does not push one, then the vector number, and jumps to isr_common,
 * which saves the general registers as a struct trap_frame (arch/trap.h),
 * switches GS to the kernel's per-CPU base when coming from user mode, and
 * calls trap_dispatch(frame).  isr_stub_table lists the 256 stub addresses.
 */
#include <arch/layout.h>
#include <arch/frame.inc>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                    (v) == 21 || (v) == 29 || (v) == 30)

    .text
    .balign 16
    .global isr_stubs
isr_stubs:
    vec = 0
    .rept 256
    .balign 16
    .if HAS_ERR(vec)
    nop; nop
    .else
    pushq $0
    .endif
    pushq $vec
    jmp isr_common
    vec = vec + 1
    .endr

isr_common:
    cld
    testq $3, 24(%rsp)          /* saved CS: from user mode? */
    jz 1f
    swapgs
1:  TRAP_PUSH_GPRS
    mov %rsp, %rdi
    call trap_dispatch
    .global isr_return
isr_return:
    TRAP_POP_GPRS
    testq $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp
    iretq
