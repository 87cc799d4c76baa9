/*
 * clock.c - monotonic nanosecond clock (TSC) and the periodic tick.
 *
 * At boot the TSC and the LAPIC timer are calibrated together against one
 * 1 ms PIT channel-2 wait (1,193 PIT ticks: 0.1% resolution); ns are
 * then (tsc - tsc_at_entry) * mult >> 32 with a 128-bit product, so no
 * division happens on the read path.  The tick comes from the LAPIC timer
 * (vector VEC_TIMER), calibrated against the PIT too; without a LAPIC, PIT
 * channel 0 drives the tick through the (otherwise masked) PIC.
 */
#include <arch/cpu.h>
#include <arch/hw.h>
#include <arch/trap.h>
#include <kernel/clock.h>
#include <stdbool.h>
#include <kernel/printk.h>

static uint64_t tsc_at_entry;
static uint64_t tsc_hz;
static uint64_t ns_mult;                 /* ns per tick << 32 */
static volatile uint64_t ticks;
static const char *source = "none";

/* Hook run on every tick (the scheduler sets it). */
void (*clock_tick_hook)(struct trap_frame *tf);

static void clock_lapic_irq(struct trap_frame *tf)
{
    __atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
    lapic_eoi();
    if (clock_tick_hook)
        clock_tick_hook(tf);
}

static void clock_pit_irq(struct trap_frame *tf)
{
    __atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
    outb(0x20, 0x20);
    if (clock_tick_hook)
        clock_tick_hook(tf);
}

#define CALIBRATE_US 1000      /* one PIT window for both TSC and LAPIC */

void clock_init(uint64_t boot_tsc)
{
    tsc_at_entry = boot_tsc;
    bool lapic = lapic_init();
    if (lapic)
        lapic_timer_calibrate_begin();
    uint64_t t0 = rdtsc_ordered();
    pit_wait_us(CALIBRATE_US);
    uint64_t t1 = rdtsc_ordered();
    uint32_t lapic_ticks = lapic ? lapic_timer_calibrate_end() : 0;
    tsc_hz = (t1 - t0) * (1000000 / CALIBRATE_US);
    if (tsc_hz == 0)
        panic("clock: TSC does not advance");
    ns_mult = (1000000000ull << 32) / tsc_hz;  /* 4.3e18 fits in 64 bits */
    if (lapic) {
        irq_set_handler(VEC_TIMER, clock_lapic_irq);
        lapic_timer_start(VEC_TIMER, (uint32_t)((uint64_t)lapic_ticks *
                                                (1000000 / CALIBRATE_US) /
                                                CLOCK_HZ));
        source = "lapic";
    } else {
        irq_set_handler(VEC_PIC_BASE + 0, clock_pit_irq);
        pit_start_periodic(CLOCK_HZ);
        source = "pit";
    }
}

uint64_t clock_entry_tsc(void)
{
    return tsc_at_entry;
}

uint64_t clock_tsc_to_ns(uint64_t delta)
{
    return (uint64_t)(((unsigned __int128)delta * ns_mult) >> 32);
}

uint64_t clock_ns(void)
{
    return clock_tsc_to_ns(rdtsc() - tsc_at_entry);
}

uint64_t clock_ticks(void)
{
    return __atomic_load_n(&ticks, __ATOMIC_RELAXED);
}

uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}

const char *clock_source(void)
{
    return source;
}

void clock_delay_ns(uint64_t ns)
{
    uint64_t end = clock_ns() + ns;
    while (clock_ns() < end)
        cpu_relax();
}
