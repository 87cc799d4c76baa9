/* SPDX-License-Identifier: MIT */
/*
 * bench.h - the timing recipe and report format shared by the capOS
 * benchmark driver (user/bench/) and the Linux guest benchmark
 * (tools/bench/linux/), so both sides measure and print the same way.
 *
 * Theory of operation (docs/performance.md): a benchmark is a function
 * that performs n identical operations.  One trial is `lfence; rdtsc`,
 * the n operations, `lfence; rdtsc`.  bench_run() runs one discarded
 * warm-up trial and then BENCH_TRIALS timed ones, subtracts the median of
 * timed empty n-iteration loops (the loop overhead) and optionally a
 * per-operation baseline (e.g. filling and summing a buffer), and keeps
 * min and median per operation in hundredths.  Under QEMU TCG with
 * `-icount shift=0,sleep=off` one TSC tick is one guest instruction, so
 * the figures are instruction counts.  Nothing is printed inside a timed
 * region; results are printed after each benchmark, one line each:
 *
 *   BENCH os=<os> name=<id> n=<ops per trial> trials=<T> min=<x.xx>
 *         median=<x.xx> unit=<unit>
 *   BENCHVAL os=<os> name=<id> value=<integer> unit=<unit>
 *
 * The host side (tools/bench/run.py) parses exactly these lines.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_TRIALS 11

/* One benchmark body: perform n identical operations. */
typedef void (*bench_fn)(void *ctx, uint64_t n);

/* min/median per operation, in hundredths of a tick. */
struct bench_stat {
    uint64_t min_x100, med_x100;
};

/* The operating system name printed in every report line. */
extern const char *bench_os;

/* `lfence; rdtsc`: the TSC after every earlier instruction has finished. */
static inline uint64_t bench_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* The empty n-iteration loop whose cost is subtracted from every trial. */
static inline void bench_empty_loop(void *ctx, uint64_t n)
{
    (void)ctx;
    for (uint64_t i = 0; i < n; i++)
        __asm__ volatile("" : : "r"(i) : "memory");
}

/* Ticks for one trial of fn(ctx, n). */
static inline uint64_t bench_time(bench_fn fn, void *ctx, uint64_t n)
{
    uint64_t t0 = bench_tsc();
    fn(ctx, n);
    return bench_tsc() - t0;
}

/* Insertion sort (BENCH_TRIALS values). */
static inline void bench_sort(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i - 1;
        for (; j >= 0 && v[j] > x; j--)
            v[j + 1] = v[j];
        v[j + 1] = x;
    }
}

/* Warm-up plus BENCH_TRIALS trials of fn; raw ticks sorted into t[]. */
static inline void bench_trials(bench_fn fn, void *ctx, uint64_t n,
                                uint64_t *t)
{
    (void)bench_time(fn, ctx, n);
    for (int i = 0; i < BENCH_TRIALS; i++)
        t[i] = bench_time(fn, ctx, n);
    bench_sort(t, BENCH_TRIALS);
}

/* Median ticks of the empty n-iteration loop. */
static inline uint64_t bench_overhead(uint64_t n)
{
    uint64_t t[BENCH_TRIALS];
    bench_trials(bench_empty_loop, NULL, n, t);
    return t[BENCH_TRIALS / 2];
}

/* (ticks - sub) per op in hundredths, never below 0. */
static inline uint64_t bench_per_op_x100(uint64_t ticks, uint64_t sub,
                                         uint64_t n)
{
    return ticks > sub ? ((ticks - sub) * 100 + n / 2) / n : 0;
}

/*
 * Run fn as described above; base_x100 is a baseline per operation (in
 * hundredths) subtracted on top of the loop overhead, 0 for none.
 */
static inline struct bench_stat bench_run_base(bench_fn fn, void *ctx,
                                               uint64_t n, uint64_t base_x100)
{
    uint64_t t[BENCH_TRIALS];
    uint64_t sub = bench_overhead(n) + (base_x100 * n + 50) / 100;
    bench_trials(fn, ctx, n, t);
    return (struct bench_stat){bench_per_op_x100(t[0], sub, n),
                               bench_per_op_x100(t[BENCH_TRIALS / 2], sub, n)};
}

/* bench_run_base without a baseline. */
static inline struct bench_stat bench_run(bench_fn fn, void *ctx, uint64_t n)
{
    return bench_run_base(fn, ctx, n, 0);
}

/* Print one BENCH line. */
static inline void bench_print(const char *name, uint64_t n,
                               struct bench_stat s, const char *unit)
{
    printf("BENCH os=%s name=%s n=%llu trials=%d min=%llu.%02llu "
           "median=%llu.%02llu unit=%s\n", bench_os, name,
           (unsigned long long)n, BENCH_TRIALS,
           (unsigned long long)(s.min_x100 / 100),
           (unsigned long long)(s.min_x100 % 100),
           (unsigned long long)(s.med_x100 / 100),
           (unsigned long long)(s.med_x100 % 100), unit);
}

/* Run fn and print its line; returns the statistics. */
static inline struct bench_stat bench_report(const char *name, bench_fn fn,
                                             void *ctx, uint64_t n,
                                             const char *unit)
{
    struct bench_stat s = bench_run(fn, ctx, n);
    bench_print(name, n, s, unit);
    return s;
}

/* Print one BENCHVAL line. */
static inline void bench_value(const char *name, uint64_t v, const char *unit)
{
    printf("BENCHVAL os=%s name=%s value=%llu unit=%s\n", bench_os, name,
           (unsigned long long)v, unit);
}
