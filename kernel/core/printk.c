/*
 * printk.c - formatted kernel output to the serial console, and panic.
 *
 * Output goes through one irq-safe spinlock so lines from different CPUs
 * never interleave mid-line.  panic() prints without taking the lock if the
 * lock is already held by a dying CPU (it uses a try-once policy), then
 * stops QEMU with QEMU_EXIT_FAILURE so test harnesses see the failure.
 */
#include <common/fmt.h>
#include <kernel/printk.h>
#include <kernel/serial.h>
#include <kernel/spinlock.h>

static struct spinlock printk_lock = SPINLOCK_INIT("printk");
static volatile int panicking;

static void printk_out(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
}

void vprintk(const char *fmt, va_list ap)
{
    if (panicking) {
        fmt_vformat(printk_out, 0, fmt, ap);
        return;
    }
    uint64_t f = spin_lock_irqsave(&printk_lock);
    fmt_vformat(printk_out, 0, fmt, ap);
    spin_unlock_irqrestore(&printk_lock, f);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void backtrace_print(uint64_t rbp)
{
    printk("backtrace:\n");
    for (int depth = 0; depth < 16 && rbp >= 0xffff800000000000ull &&
                        (rbp & 7) == 0; depth++) {
        uint64_t *frame = (uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];
        if (ret < 0xffff800000000000ull)
            break;
        printk("  #%d %#llx\n", depth, (unsigned long long)ret);
        rbp = frame[0];
    }
}

void panic(const char *fmt, ...)
{
    va_list ap;
    irq_disable();
    panicking = 1;
    printk("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    backtrace_print((uint64_t)(uintptr_t)__builtin_frame_address(0));
    machine_exit(QEMU_EXIT_FAILURE);
}
