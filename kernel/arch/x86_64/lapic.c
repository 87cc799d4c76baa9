/*
 * lapic.c - the local APIC (xAPIC MMIO mode): enable, EOI, and the timer
 * calibrated against the PIT.
 *
 * The register page is mapped uncached in the MMIO window.  LINT0 is set
 * to ExtINT, so the 8259's unmasked lines (the serial receive interrupt)
 * still reach the CPU with the APIC enabled.  The spurious
 * vector is VEC_SPURIOUS; spurious interrupts are counted, never
 * acknowledged (the APIC does not expect an EOI for them).
 */
#include <arch/cpu.h>
#include <arch/hw.h>
#include <arch/paging.h>
#include <arch/trap.h>

#define LAPIC_ID      0x020
#define LAPIC_EOI     0x0b0
#define LAPIC_SVR     0x0f0
#define LAPIC_LVT_TMR 0x320
#define LAPIC_TMR_INIT 0x380
#define LAPIC_TMR_CUR 0x390
#define LAPIC_TMR_DIV 0x3e0
#define LAPIC_LVT_LINT0 0x350
#define LVT_EXTINT    (7u << 8)
#define LVT_MASKED    (1u << 16)
#define LVT_PERIODIC  (1u << 17)

static volatile uint32_t *lapic;
static uint64_t lapic_spurious;

static inline uint32_t lapic_read(uint32_t reg)
{
    return lapic[reg / 4];
}

static inline void lapic_write(uint32_t reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

static void lapic_spurious_irq(struct trap_frame *tf)
{
    (void)tf;
    lapic_spurious++;
}

bool lapic_init(void)
{
    if (!cpu_feat.apic)
        return false;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | (1u << 11));   /* global enable */
    lapic = paging_map_mmio(base & 0xfffff000u, 4096);
    lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);  /* the 8259 (serial IRQ 4) */
    irq_set_handler(VEC_SPURIOUS, lapic_spurious_irq);
    return true;
}

void lapic_eoi(void)
{
    if (lapic)
        lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    return lapic ? lapic_read(LAPIC_ID) >> 24 : 0;
}

uint64_t lapic_spurious_count(void)
{
    return lapic_spurious;
}

void lapic_timer_calibrate_begin(void)
{
    lapic_write(LAPIC_TMR_DIV, 0x3);           /* divide by 16 */
    lapic_write(LAPIC_LVT_TMR, LVT_MASKED | VEC_SPURIOUS);
    lapic_write(LAPIC_TMR_INIT, 0xffffffffu);
}

uint32_t lapic_timer_calibrate_end(void)
{
    uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TMR_CUR);
    lapic_write(LAPIC_TMR_INIT, 0);
    return elapsed;
}

void lapic_timer_start(uint8_t vec, uint32_t count)
{
    lapic_write(LAPIC_TMR_DIV, 0x3);
    lapic_write(LAPIC_LVT_TMR, LVT_PERIODIC | vec);
    lapic_write(LAPIC_TMR_INIT, count ? count : 1);
}
