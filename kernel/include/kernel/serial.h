/*
 * serial.h - the COM1 UART (16550), the kernel's console.
 */
#pragma once

#include <stdint.h>

void serial_init(void);
/* Write one byte, waiting for the transmitter; '\n' becomes "\r\n". */
void serial_putc(char c);
/* Return the next received byte, or -1 if none is waiting. */
int serial_getc(void);
/* Turn on the receive interrupt: from now on received bytes go to
 * consumer (in interrupt context, in batches), not to serial_getc.  Call
 * once, with interrupts off. */
void serial_rx_irq_enable(void (*consumer)(const uint8_t *b, uint32_t n));
