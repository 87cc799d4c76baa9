/*
 * sched.c - SCHED0001: two runnable processes share the CPU.  The parent
 * spawns a spinner child, sleeps 20 ms and must be woken long before the
 * child's 200 ms of spinning end (the timer preempts the child).
 */
#include "tspawn.h"

int main(void)
{
    uint32_t sp = t_cap("spawner"), timer = t_cap("timer"), h;
    struct tgrant g = {"timer", timer, CAPOS_TIMER_INTERFACE_ID, 0};
    uint64_t t0 = 0, t1 = 0;
    CHECK_EQ(t_spawn(sp, "spinner", "spinner", &g, 1, &h), ERR_OK);
    capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t0, NULL);
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 20000000ull, NULL), ERR_OK);
    capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t1, NULL);
    CHECK(t1 - t0 >= 20000000ull);
    CHECK(t1 - t0 < 150000000ull);    /* woke while the child still spins */
    CHECK_EQ(t_wait(h), 5);
    return t_result();
}
