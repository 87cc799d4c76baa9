/*
 * serial.c - COM1 16550 UART driver: 115200 8N1, polled output.
 *
 * Output is polled (no interrupts) so that printk works from any context,
 * including exception handlers and panic.  Input is off until
 * serial_rx_irq_enable(): then the UART raises IRQ 4 (PIC vector
 * VEC_PIC_BASE + 4) when bytes are waiting, and the handler drains the
 * receive FIFO into the consumer's callback before the EOI.
 */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/serial.h>

#define COM1 0x3F8

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xC7);   /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

static void serial_put_raw(char c)
{
    for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_put_raw('\r');
    serial_put_raw(c);
}

int serial_getc(void)
{
    if (!(inb(COM1 + 5) & 0x01))
        return -1;
    return inb(COM1);
}

#define COM1_IRQ 4
#define RX_BATCH 64     /* bytes handed over per callback */

static void (*rx_consumer)(const uint8_t *b, uint32_t n);

/* Hand the waiting bytes to the consumer (bounded: a stuck "data
 * ready" cannot hold the CPU). */
static void serial_rx_drain(void)
{
    uint8_t buf[RX_BATCH];
    uint32_t n = 0;
    for (int i = 0; i < 4 * RX_BATCH && (inb(COM1 + 5) & 0x01); i++) {
        buf[n++] = inb(COM1);
        if (n == RX_BATCH) {
            rx_consumer(buf, n);
            n = 0;
        }
    }
    if (n)
        rx_consumer(buf, n);
}

/* IRQ 4: acknowledge, drain, EOI the master PIC. */
static void serial_rx_irq(struct trap_frame *tf)
{
    (void)tf;
    (void)inb(COM1 + 2);                    /* IIR */
    serial_rx_drain();
    outb(0x20, 0x20);
}

void serial_rx_irq_enable(void (*consumer)(const uint8_t *b, uint32_t n))
{
    rx_consumer = consumer;
    irq_set_handler(VEC_PIC_BASE + COM1_IRQ, serial_rx_irq);
    serial_rx_drain();                      /* typed before now */
    outb(COM1 + 4, 0x0b);                   /* DTR, RTS, OUT2 (IRQ gate) */
    outb(COM1 + 1, 0x01);                   /* interrupt on received data */
    outb(0x21, inb(0x21) & (uint8_t)~(1u << COM1_IRQ));
}
