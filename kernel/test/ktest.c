/*
 * ktest.c - the test kernel's `test=` modes (built only with CONFIG_KTEST).
 *
 *   test=ktest      run every in-kernel TEST() (the files in kernel/test/) with a
 *                   leak check (free frames, heap bytes) around each one;
 *                   "capOS: PASS ktest" and QEMU success iff none failed
 *   test=fault_pf   read an unmapped kernel address      -> #PF
 *   test=fault_wp   write to the kernel's rodata         -> #PF (protection)
 *   test=fault_nx   jump into the kernel's data          -> #PF (fetch)
 *   test=fault_df   fault with an unusable stack         -> #DF on IST 1
 *   test=fault_ud   execute ud2                          -> #UD
 *   test=panic      call panic()                         -> KERNEL PANIC
 *   test=hang       spin with interrupts off             -> harness timeout
 *   test=triple     empty IDT then int3                  -> triple fault
 *   test=ubsan      signed overflow (the test kernel has UBSan) -> panic
 *   test=kstack     unbounded recursion on a guarded kernel stack -> #DF
 *                   reported as a kernel stack overflow
 * Each fault mode is expected to be reported by tests/system/run.py as
 * exactly that failure, which proves the harness detects it.
 */
#include <stdbool.h>
#include <arch/cpu.h>
#include <common/string.h>
#include <common/test.h>
#include <kernel/bootinfo.h>
#include <kernel/kmem.h>
#include <kernel/kstack.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

bool ktest_dispatch(const struct boot_info *bi, const char *mode);

static uint64_t leak_frames;
static uint64_t leak_heap;

static uint64_t heap_bytes(void)
{
    struct kheap_stats st;
    kmem_stats(&st);
    return st.bytes_inuse;
}

static void ktest_before(void)
{
    leak_frames = pmm_free_frames();
    leak_heap = heap_bytes();
}

static bool ktest_after(struct test_ctx *t)
{
    uint64_t frames = pmm_free_frames(), heap = heap_bytes();
    if (frames == leak_frames && heap == leak_heap)
        return true;
    printk("  %s: leak: free frames %llu -> %llu, heap bytes %llu -> %llu\n",
           t->name, (unsigned long long)leak_frames, (unsigned long long)frames,
           (unsigned long long)leak_heap, (unsigned long long)heap);
    return false;
}

static void ktest_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

static void run_ktests(void)
{
    static const struct test_env env = {
        .print = ktest_print, .before = ktest_before, .after = ktest_after};
    int failed = test_run_all(&env, NULL);
    if (failed)
        panic("ktest: %d test(s) failed", failed);
    printk("capOS: PASS ktest\n");
    machine_exit(QEMU_EXIT_SUCCESS);
}

extern const char _rodata_start[];
extern char _data_start[];

static void fault_df(void)
{
    /* A page fault whose frame cannot be pushed escalates to #DF. */
    __asm__ volatile("mov $0xdead0000000, %%rsp\n\tpushq $0" ::: "memory");
}

static void fault_triple(void)
{
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = {0, 0};
    __asm__ volatile("lidt %0\n\tint3" : : "m"(empty));
}

static volatile int64_t ubsan_sink;

/* Recurse until the stack runs into its guard page (not a tail call; the
 * stop condition never holds, but the compiler cannot know). */
static volatile int recurse_limit = -1;

__attribute__((noinline)) static int recurse_deep(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    if (depth == recurse_limit)
        return pad[0];
    return recurse_deep(depth + 1) + pad[0];
}

static void recurse_forever(void)
{
    recurse_deep(0);
}

/* Run recurse_forever on a fresh guarded kernel stack. */
static void kstack_overflow(void)
{
    uint64_t top;
    if (kstack_alloc(&top))
        panic("ktest: no kernel stack");
    __asm__ volatile("mov %0, %%rsp\n\txor %%edi, %%edi\n\tcall *%1"
                     : : "r"(top), "r"(recurse_forever) : "memory");
}

/* Lock misuse on purpose: the lock checker must panic naming both sites,
 * and the bare ticket lock must hang where the harness can see it. */
static struct spinlock ktest_lock_a = SPINLOCK_INIT("ktest-a");
static struct spinlock ktest_lock_b = SPINLOCK_INIT("ktest-b");

__attribute__((noinline)) static void lock_recursion(void)
{
    spin_lock(&ktest_lock_a);
    spin_lock(&ktest_lock_a);
}

__attribute__((noinline)) static void lock_inversion(void)
{
    spin_lock(&ktest_lock_a);
    spin_lock(&ktest_lock_b);
    spin_unlock(&ktest_lock_b);
    spin_unlock(&ktest_lock_a);
    spin_lock(&ktest_lock_b);
    spin_lock(&ktest_lock_a);
}

/* Unchecked self-deadlock (as in a production kernel): spins forever. */
__attribute__((noinline)) static void deadlock_self(void)
{
    irq_disable();
    spin_lock_raw(&ktest_lock_a);
    spin_lock_raw(&ktest_lock_a);
}

/* Signed overflow on purpose (noinline: the compiler cannot fold it). */
__attribute__((noinline)) static int64_t ubsan_overflow(volatile int64_t x)
{
    return x + 1;
}

bool ktest_dispatch(const struct boot_info *bi, const char *mode)
{
    (void)bi;
    if (!strcmp(mode, "ktest"))
        run_ktests();
    else if (!strcmp(mode, "fault_pf"))
        (void)*(volatile uint64_t *)0xffffc00000000000ull;
    else if (!strcmp(mode, "fault_wp"))
        *(volatile char *)_rodata_start = 1;
    else if (!strcmp(mode, "fault_nx"))
        ((void (*)(void))(uintptr_t)_data_start)();
    else if (!strcmp(mode, "fault_df"))
        fault_df();
    else if (!strcmp(mode, "fault_ud"))
        __asm__ volatile("ud2");
    else if (!strcmp(mode, "panic"))
        panic("deliberate panic (test=panic)");
    else if (!strcmp(mode, "hang"))
        for (irq_disable();;)
            cpu_relax();
    else if (!strcmp(mode, "lock_recursion"))
        lock_recursion();
    else if (!strcmp(mode, "lock_inversion"))
        lock_inversion();
    else if (!strcmp(mode, "deadlock"))
        deadlock_self();
    else if (!strcmp(mode, "triple"))
        fault_triple();
    else if (!strcmp(mode, "kstack"))
        kstack_overflow();
    else if (!strcmp(mode, "ubsan"))
        ubsan_sink = ubsan_overflow(INT64_MAX);
    else
        return false;
    panic("test mode \"%s\" returned", mode);
}
