/*
 * spinner.c - a child for SCHED0001: spins without any system call for
 * about 200 ms of timer time, then exits 5.  Only preemption lets its
 * parent run meanwhile.
 */
#include "t.h"

int main(void)
{
    uint32_t timer = t_cap("timer");
    uint64_t t0 = 0, now = 0;
    capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t0, NULL);
    /* Spin on the TSC-free path: re-read the clock rarely. */
    for (;;) {
        for (volatile uint32_t i = 0; i < 2000000; i++)
            ;
        capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &now, NULL);
        if (now - t0 > 200000000ull)
            return 5;
    }
}
