/*
 * time_test.c - in-kernel tests of the timer interrupt and the clock.
 */
#include <arch/cpu.h>
#include <arch/hw.h>
#include <common/test.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>

TEST(timer_ticks_advance)
{
    uint64_t t0 = clock_ticks(), ns0 = clock_ns();
    EXPECT_TRUE(read_rflags() & RFLAGS_IF);
    while (clock_ticks() < t0 + 5)
        cpu_idle_wait();
    uint64_t ms = (clock_ns() - ns0) / 1000000;
    /* 5 ticks at CLOCK_HZ = 50 ms; allow for the partial first tick and
     * emulator jitter, but catch a wrong calibration by 2x. */
    EXPECT_TRUE(ms >= 35 && ms <= 100);
}

TEST(clock_monotonic)
{
    uint64_t prev = clock_ns();
    for (int i = 0; i < 10000; i++) {
        uint64_t now = clock_ns();
        ASSERT_TRUE(now >= prev);
        prev = now;
    }
}

TEST(clock_delay_waits)
{
    uint64_t t0 = clock_ns();
    clock_delay_ns(2000000);
    EXPECT_TRUE(clock_ns() - t0 >= 2000000);
}

TEST(cpu_protections_enabled)
{
    uint64_t cr4 = read_cr4();
    if (cpu_feat.smep)
        EXPECT_TRUE(cr4 & CR4_SMEP);
    if (cpu_feat.smap)
        EXPECT_TRUE(cr4 & CR4_SMAP);
    if (cpu_feat.umip)
        EXPECT_TRUE(cr4 & CR4_UMIP);
    EXPECT_TRUE(rdmsr(MSR_EFER) & EFER_NXE);
    EXPECT_TRUE(read_cr0() & CR0_WP);
}

TEST(percpu_self_pointer)
{
    EXPECT_EQ((uintptr_t)cpu_this(), (uintptr_t)&cpus[0]);
    EXPECT_EQ(cpu_this()->id, 0);
    EXPECT_TRUE(cpu_this()->irq_count > 0);
}
