/*
 * trap.h - interrupt/exception frame and the IDT, GDT and TSS interfaces.
 */
#pragma once

#include <stdint.h>

/* Vectors. 0-31 exceptions; PIC remapped to 0x20-0x2f (masked). */
#define VEC_PIC_BASE   0x20
#define VEC_TIMER      0x40
#define VEC_SPURIOUS   0xff

/* Segment selectors (GDT order fixed by SYSCALL/SYSRET, see gdt.c). */
#define SEL_KCODE  0x08
#define SEL_KDATA  0x10
#define SEL_UDATA  0x1b
#define SEL_UCODE  0x23
#define SEL_TSS    0x28

/* Register state pushed by isr.S; field order is asm-visible. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8,
               "trap_frame.vector is used by isr.S");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == 18 * 8,
               "trap_frame.cs is used by isr.S");

typedef void (*irq_handler_t)(struct trap_frame *tf);

struct cpu;
void gdt_init(struct cpu *c);
void idt_init(void);
void idt_load(void);
/* Install the handler for interrupt vector `vec` (>= 32). */
void irq_set_handler(uint8_t vec, irq_handler_t h);
void trap_dispatch(struct trap_frame *tf);
/* Print a register dump of `tf` (exceptions, panics). */
void trap_dump(const struct trap_frame *tf);
