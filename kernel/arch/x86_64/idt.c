/*
 * idt.c - the interrupt descriptor table.
 *
 * All 256 vectors point at the stubs in isr.S (16 bytes apart).  Double
 * fault, NMI and machine check run on their own IST stacks.  Only vector 3
 * (breakpoint) may be raised from user mode with `int`.
 */
#include <arch/trap.h>
#include <arch/percpu.h>

struct idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t rsvd;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

extern const char isr_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

static void idt_set(int vec, uint8_t ist, uint8_t dpl)
{
    uint64_t off = (uint64_t)(uintptr_t)(isr_stubs + vec * 16);
    idt[vec] = (struct idt_gate){
        .off_lo = off & 0xffff,
        .sel = SEL_KCODE,
        .ist = ist,
        .type = (uint8_t)(0x8e | (dpl << 5)), /* present, interrupt gate */
        .off_mid = (off >> 16) & 0xffff,
        .off_hi = (uint32_t)(off >> 32),
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        idt_set(v, 0, 0);
    idt_set(2, IST_NMI, 0);
    idt_set(8, IST_DOUBLE_FAULT, 0);
    idt_set(18, IST_MCE, 0);
    idt_set(3, 0, 3);
    idt_load();
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(p));
}
