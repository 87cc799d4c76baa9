/*
 * churn_spawn.c - CHURN0001: 1,000 spawn/exit/wait cycles with failures
 * mixed in (deterministic pseudo-random: a refused grant, a malformed
 * binary, a child that faults, a released handle).  The driver's leak
 * check afterwards proves frames, heap, processes and threads are back at
 * their baseline.
 */
#include "tspawn.h"

static uint32_t rng = 12345;

static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 16;
}

int main(void)
{
    uint32_t sp = t_cap("spawner"), con = t_cap("console"), h;
    struct tgrant g = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 0};
    struct tgrant bad = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 3};
    uint32_t ok = 0, refused = 0;
    for (int i = 0; i < 1000; i++) {
        switch (next() % 5) {
        case 0:
            CHECK_EQ(t_spawn(sp, "c", "exit_code", &bad, 1, &h), ERR_INVAL);
            refused++;
            break;
        case 1:
            CHECK_EQ(t_spawn(sp, "c", "bad_truncated", &g, 1, &h), ERR_BADFORMAT);
            refused++;
            break;
        case 2:
            CHECK_EQ(t_spawn(sp, "c", "fault_null", &g, 1, &h), ERR_OK);
            CHECK_EQ(t_wait(h), -142);
            ok++;
            break;
        default:
            CHECK_EQ(t_spawn(sp, "c", "exit_code", &g, 1, &h), ERR_OK);
            CHECK_EQ(t_wait(h), 7);
            ok++;
        }
        if (t_failures)
            break;
    }
    printf("CHURN0001: %u spawned, %u refused\n", ok, refused);
    return t_result();
}
