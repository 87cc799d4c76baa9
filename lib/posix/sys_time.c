/* SPDX-License-Identifier: MIT */
/*
 * sys_time.c - clocks and sleeps over the Timer capability.
 *
 * Theory of operation: Timer.now counts nanoseconds since boot.  Every
 * monotonic clock is that count; CLOCK_REALTIME is the same count read as
 * seconds since the Unix epoch, because capOS has no wall clock yet (no
 * RTC driver): the first boot second is 1970-01-01 00:00:00 UTC.  The
 * CPU-time clocks measure time since the process started (there is no
 * per-process CPU accounting yet), so clock() is wall time of the
 * process.  Sleeps are Timer.sleep; they are never interrupted (no signal
 * can arrive while sleeping), so the remaining time is always 0.
 * Without a "timer" grant the clocks fail with EACCES.
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include "posix.h"

#define NS 1000000000ull

/* Nanoseconds on clock clk, or -errno. */
static long clock_ns(long clk, uint64_t *ns)
{
    uint64_t now;
    switch (clk) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        break;
    default:
        return -EINVAL;
    }
    if (posix.caps.timer == CAPS_NONE)
        return -EACCES;
    err_t e = posix_cap_timer_now(posix.caps.timer, &now);
    if (e != ERR_OK)
        return posix_err(e);
    if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
        now = now >= posix.start_ns ? now - posix.start_ns : 0;
    *ns = now;
    return 0;
}

long posix_sys_clock_gettime(const long a[6])
{
    struct timespec *ts = (struct timespec *)a[1];
    uint64_t ns = 0;
    long r = clock_ns(a[0], &ns);
    if (r)
        return r;
    if (!ts)
        return -EFAULT;
    ts->tv_sec = (time_t)(ns / NS);
    ts->tv_nsec = (long)(ns % NS);
    return 0;
}

long posix_sys_clock_getres(const long a[6])
{
    struct timespec *ts = (struct timespec *)a[1];
    uint64_t ns = 0;
    long r = clock_ns(a[0], &ns);
    if (r)
        return r;
    if (ts)
        *ts = (struct timespec){.tv_sec = 0, .tv_nsec = 1};
    return 0;
}

long posix_sys_gettimeofday(const long a[6])
{
    struct timeval *tv = (struct timeval *)a[0];
    uint64_t ns = 0;
    if (a[1])
        ((struct timezone *)a[1])[0] = (struct timezone){0, 0};
    if (!tv)
        return 0;
    long r = clock_ns(CLOCK_REALTIME, &ns);
    if (r)
        return r;
    tv->tv_sec = (time_t)(ns / NS);
    tv->tv_usec = (suseconds_t)(ns % NS / 1000);
    return 0;
}

/* A valid relative or absolute request in ns (saturated), or -errno. */
static long timespec_ns(const struct timespec *ts, uint64_t *ns)
{
    if (!ts)
        return -EFAULT;
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NS)
        return -EINVAL;
    uint64_t s = (uint64_t)ts->tv_sec;
    *ns = s > (UINT64_MAX - (uint64_t)ts->tv_nsec) / NS
              ? UINT64_MAX
              : s * NS + (uint64_t)ts->tv_nsec;
    return 0;
}

/* Sleep ns; the remaining time (if asked) is 0. */
static long sleep_ns(uint64_t ns, struct timespec *rem)
{
    if (posix.caps.timer == CAPS_NONE)
        return -EACCES;
    if (ns) {
        err_t e = posix_cap_timer_sleep(posix.caps.timer, ns);
        if (e != ERR_OK)
            return posix_err(e);
    }
    if (rem)
        *rem = (struct timespec){0, 0};
    return 0;
}

long posix_sys_nanosleep(const long a[6])
{
    uint64_t ns = 0;
    long r = timespec_ns((const struct timespec *)a[0], &ns);
    return r ? r : sleep_ns(ns, (struct timespec *)a[1]);
}

/* clock_nanosleep(clk, flags, req, rem); returns -errno like the kernel. */
long posix_sys_clock_nanosleep(const long a[6])
{
    uint64_t ns, now;
    long r;
    if (a[0] == CLOCK_PROCESS_CPUTIME_ID || a[0] == CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    if ((r = clock_ns(a[0], &now)) != 0)
        return r;
    if ((r = timespec_ns((const struct timespec *)a[2], &ns)) != 0)
        return r;
    if (a[1] & TIMER_ABSTIME)
        return sleep_ns(ns > now ? ns - now : 0, NULL);
    return sleep_ns(ns, (struct timespec *)a[3]);
}
