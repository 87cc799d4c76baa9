/*
 * pit.c - the 8254 PIT: a calibrated delay on channel 2 (gate via port
 * 0x61, polled, no interrupts) and a periodic fallback timer on channel 0.
 */
#include <arch/cpu.h>
#include <arch/hw.h>

#define PIT_HZ 1193182u

void pit_wait_us(uint32_t us)
{
    uint32_t count = (uint32_t)(((uint64_t)PIT_HZ * us) / 1000000u);
    if (count > 0xffff)
        count = 0xffff;
    uint8_t gate = (uint8_t)((inb(0x61) & ~0x02) | 0x01);
    outb(0x61, gate & (uint8_t)~0x01);
    outb(0x43, 0xb0);                  /* ch2, lo/hi, mode 0, binary */
    outb(0x42, count & 0xff);
    outb(0x42, (uint8_t)(count >> 8));
    outb(0x61, gate);                  /* gate high: start counting */
    while (!(inb(0x61) & 0x20))
        cpu_relax();
    outb(0x61, gate & (uint8_t)~0x01);
}

void pit_start_periodic(uint32_t hz)
{
    uint32_t div = PIT_HZ / hz;
    outb(0x43, 0x34);                  /* ch0, lo/hi, mode 2 */
    outb(0x40, div & 0xff);
    outb(0x40, (uint8_t)(div >> 8));
    outb(0x21, inb(0x21) & (uint8_t)~0x01); /* unmask IRQ 0 */
}
