/*
 * pic.c - the legacy 8259 PICs: remapped to vectors 0x20-0x2f, all lines
 * masked (a driver unmasks its own: the PIT fallback IRQ 0, the serial
 * line's IRQ 4; the local APIC takes the 8259's output on LINT0).  Spurious IRQ 7/15 (possible even when masked) are counted and
 * not acknowledged, as the 8259 requires (IRQ 15 needs an EOI on the master).
 */
#include <arch/cpu.h>
#include <arch/hw.h>
#include <arch/trap.h>

static uint64_t pic_spurious;

static void pic_spurious_irq(struct trap_frame *tf)
{
    pic_spurious++;
    if (tf->vector == VEC_PIC_BASE + 15)
        outb(0x20, 0x20);
}

void pic_disable(void)
{
    outb(0x20, 0x11); outb(0xa0, 0x11);         /* ICW1: init, ICW4 */
    outb(0x21, VEC_PIC_BASE); outb(0xa1, VEC_PIC_BASE + 8);
    outb(0x21, 4); outb(0xa1, 2);               /* cascade */
    outb(0x21, 1); outb(0xa1, 1);               /* 8086 mode */
    outb(0x21, 0xff); outb(0xa1, 0xff);         /* mask all */
    irq_set_handler(VEC_PIC_BASE + 7, pic_spurious_irq);
    irq_set_handler(VEC_PIC_BASE + 15, pic_spurious_irq);
}

uint64_t pic_spurious_count(void)
{
    return pic_spurious;
}
