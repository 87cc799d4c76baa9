/*
 * clock.h - the monotonic clock and the periodic tick.
 *
 * clock_ns() counts nanoseconds since boot from the TSC, calibrated against
 * the PIT.  The LAPIC timer (or the PIT as a fallback) interrupts
 * CLOCK_HZ times per second; each tick runs clock_tick().
 */
#pragma once

#include <stdint.h>

#define CLOCK_HZ 100

/* Calibrate the TSC and start the periodic timer on this CPU. */
void clock_init(uint64_t boot_tsc);
/* Nanoseconds since kernel entry. */
uint64_t clock_ns(void);
/* Timer ticks since clock_init. */
uint64_t clock_ticks(void);
/* TSC frequency in Hz as calibrated. */
uint64_t clock_tsc_hz(void);
/* The TSC when the kernel was entered (boot.S). */
uint64_t clock_entry_tsc(void);
/* Name of the timer source in use ("lapic" or "pit"). */
const char *clock_source(void);
/* Convert a TSC delta to nanoseconds. */
uint64_t clock_tsc_to_ns(uint64_t delta);
/* Spin for at least `ns` nanoseconds (interrupts may stay off). */
void clock_delay_ns(uint64_t ns);
