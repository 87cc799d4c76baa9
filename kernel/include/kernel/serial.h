/*
 * serial.h - the COM1 UART (16550), the kernel's console.
 */
#pragma once

void serial_init(void);
/* Write one byte, waiting for the transmitter; '\n' becomes "\r\n". */
void serial_putc(char c);
/* Return the next received byte, or -1 if none is waiting. */
int serial_getc(void);
