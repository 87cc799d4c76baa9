/*
 * main.c - kernel entry and boot order.
 *
 * boot.S enters kmain in long mode on the boot stack with the boot tables
 * (physical 0..1 GiB mapped twice).  The order below matters: the console
 * first (so everything after can report), per-CPU state and traps (so a
 * fault is a readable dump, not a triple fault), then the boot information,
 * physical memory, the real page tables, the heap, interrupts and time.
 *
 * The command line selects what runs after the banner:
 *   (nothing)          validate the manifest module and start init; with
 *                      no module, a heartbeat once a second, forever
 *   test=manifest      run each manifest service as a leak-checked test
 *   test=boot          wait for three timer ticks, print the PASS sentinel
 *                      and stop QEMU with success (boot smoke test)
 *   test=<other>       the test kernel's modes (kernel/test/ktest.c)
 */
#include <stdbool.h>
#include <arch/cpu.h>
#include <arch/hw.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/trap.h>
#include <common/string.h>
#include <arch/pci.h>
#include <kernel/boot_init.h>
#include <kernel/bootinfo.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/kmem.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/serial.h>
#include <kernel/thread.h>

void kmain(uint64_t magic, uint64_t info, uint64_t boot_tsc);
void syscall_init(void);
void syscall_fault_init(void);

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[];

static struct boot_info boot_info;

/* Test kernels override this to run `test=` modes; false = unknown mode. */
__attribute__((weak)) bool ktest_dispatch(const struct boot_info *bi,
                                          const char *mode);
__attribute__((weak)) bool ktest_dispatch(const struct boot_info *bi,
                                          const char *mode)
{
    (void)bi;
    (void)mode;
    return false;
}

/* Loader memory below 1 GiB is reachable through the boot mapping. */
static const void *early_phys(uint64_t pa, uint64_t len)
{
    if (pa + len < pa || pa + len > (1ull << 30))
        return NULL;
    return (const void *)(uintptr_t)(KERNEL_VMA + pa);
}

static void banner_sections(void)
{
    printk("kernel: text   %p-%p (%lu KiB, RX)\n", (void *)_text_start,
           (void *)_text_end, (unsigned long)(_text_end - _text_start) / 1024);
    printk("kernel: rodata %p-%p (%lu KiB, R NX)\n", (void *)_rodata_start,
           (void *)_rodata_end,
           (unsigned long)(_rodata_end - _rodata_start) / 1024);
    printk("kernel: data   %p-%p (%lu KiB, RW NX)\n", (void *)_data_start,
           (void *)_data_end, (unsigned long)(_data_end - _data_start) / 1024);
}

static void banner(const struct boot_info *bi)
{
    printk("capOS: boot via %s (%s), cmdline \"%s\"\n", bi->protocol,
           bi->loader, bi->cmdline);
    cpu_features_print();
    banner_sections();
    uint64_t total = pmm_total_frames(), free = pmm_free_frames();
    printk("memory: %llu frames (%llu MiB) usable, %llu free (%llu MiB)\n",
           (unsigned long long)total, (unsigned long long)(total >> 8),
           (unsigned long long)free, (unsigned long long)(free >> 8));
    for (uint32_t i = 0; i < bi->nmods; i++)
        printk("module: \"%s\" at %#llx, %llu bytes (reserved)\n",
               bi->mods[i].name, (unsigned long long)bi->mods[i].base,
               (unsigned long long)bi->mods[i].len);
    printk("timer: %s at %d Hz, TSC %llu.%03llu MHz\n", clock_source(),
           CLOCK_HZ, (unsigned long long)(clock_tsc_hz() / 1000000),
           (unsigned long long)(clock_tsc_hz() / 1000 % 1000));
    uint64_t ns = clock_ns();
    printk("capOS: booted in %llu.%03llu ms (guest clock, since kernel entry; "
           "entry tsc=%llu)\n", (unsigned long long)(ns / 1000000),
           (unsigned long long)(ns / 1000 % 1000),
           (unsigned long long)clock_entry_tsc());
}

/* Wait until the tick counter passes `target` (interrupts on). */
static void wait_ticks(uint64_t target)
{
    while (clock_ticks() < target)
        cpu_idle_wait();
}

static void boot_smoke(void)
{
    uint64_t t0 = clock_ticks(), ns0 = clock_ns();
    wait_ticks(t0 + 3);
    printk("timer: %llu ticks in %llu us\n",
           (unsigned long long)(clock_ticks() - t0),
           (unsigned long long)((clock_ns() - ns0) / 1000));
    printk("capOS: PASS boot\n");
    machine_exit(QEMU_EXIT_SUCCESS);
}

static void heartbeat(void)
{
    for (uint64_t s = 1;; s++) {
        wait_ticks(s * CLOCK_HZ);
        printk("uptime %llu s (%llu ticks, %llu ms)\n", (unsigned long long)s,
               (unsigned long long)clock_ticks(),
               (unsigned long long)(clock_ns() / 1000000));
    }
}

void kmain(uint64_t magic, uint64_t info, uint64_t boot_tsc)
{
    serial_init();
    cpu_install(&cpus[0], 0);
    lockcheck_init();           /* test kernel: per-CPU held-lock stacks */
    gdt_init(&cpus[0]);
    idt_init();
    printk("\ncapOS kernel starting\n");
    err_t r = bootinfo_parse(&boot_info, (uint32_t)magic, info, early_phys);
    if (r)
        panic("boot: cannot parse boot information (magic %#llx): %s",
              (unsigned long long)magic, err_name(r));
    cpu_features_detect();
    cpu_features_enable();
    pmm_init(&boot_info);
    paging_init(&boot_info);
    kmem_init();
    kstack_init();
    pic_disable();
    clock_init(boot_tsc);
    syscall_init();
    syscall_fault_init();
    sched_init();
    pci_scan();
    irq_enable();
    banner(&boot_info);

    char mode[32];
    if (bootinfo_arg(&boot_info, "test", mode, sizeof mode) == ERR_OK) {
        if (!strcmp(mode, "boot"))
            boot_smoke();
        if (!strcmp(mode, "manifest"))
            boot_run_manifest_tests(&boot_info);
        if (!ktest_dispatch(&boot_info, mode))
            panic("unknown test mode \"%s\"", mode);
    }
    boot_start_init(&boot_info);
    if (boot_info.nmods == 0)
        heartbeat();
    sched_start();
}
