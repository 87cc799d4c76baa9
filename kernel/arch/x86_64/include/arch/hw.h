/*
 * hw.h - x86 platform devices: PIC, PIT, local APIC, CPU features.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

void pic_disable(void);
uint64_t pic_spurious_count(void);

/* Busy-wait `us` microseconds on PIT channel 2 (us <= 50000). */
void pit_wait_us(uint32_t us);
/* Program PIT channel 0 as a periodic interrupt at `hz` (fallback timer). */
void pit_start_periodic(uint32_t hz);

/* Local APIC: returns false if the CPU has none. */
bool lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
/* LAPIC timer calibration: begin counting down, and the ticks (divide
 * by 16) elapsed since. */
void lapic_timer_calibrate_begin(void);
uint32_t lapic_timer_calibrate_end(void);
/* Start the LAPIC timer periodic on `vec`, one interrupt per `count`. */
void lapic_timer_start(uint8_t vec, uint32_t count);
uint64_t lapic_spurious_count(void);

struct cpu_features {
    char vendor[13];
    char brand[49];
    bool nx, smep, smap, umip, pcid, fsgsbase, x2apic, apic, tsc_deadline,
        invariant_tsc, pages_1g, rdrand, syscall, hypervisor;
    uint32_t phys_bits, virt_bits;
};
extern struct cpu_features cpu_feat;
extern uint8_t cpu_smap_enabled;
/* Read CPUID into cpu_feat. */
void cpu_features_detect(void);
/* Enable SMEP, SMAP, UMIP, NX, PGE and write protection where present. */
void cpu_features_enable(void);
/* Print the feature line of the boot banner. */
void cpu_features_print(void);
