/*
 * printk.h - kernel console output (COM1), panic and the QEMU exit port.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>

/* isa-debug-exit codes: QEMU exits with (code << 1) | 1. */
#define QEMU_EXIT_SUCCESS 0x10  /* QEMU status 33 */
#define QEMU_EXIT_FAILURE 0x11  /* QEMU status 35 */

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Print "KERNEL PANIC: <msg>", a backtrace, and stop QEMU with failure. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* Stop the machine: under QEMU via isa-debug-exit, else halt forever. */
__attribute__((noreturn)) void machine_exit(uint32_t code);

/* Print a frame-pointer backtrace starting at `rbp`. */
void backtrace_print(uint64_t rbp);

#define assert(c)                                                          \
    do {                                                                   \
        if (!(c))                                                          \
            panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);  \
    } while (0)
