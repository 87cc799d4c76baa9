/*
 * serial_exit.c - SERIAL0002: a process exits with a Serial.read waiting
 * for ever; the kernel drops the read (the manifest driver's leak check
 * sees the process, its wait and its reference go), and SERIAL0003 (the
 * same binary with argument "again") can read at once: the reader slot
 * is free, not BUSY.
 */
#include "t.h"
#include "../term/serialc.h"

static struct serialc_read rd;

int main(int argc, char **argv)
{
    uint32_t s = t_cap("serial");
    uint8_t buf[16];
    uint32_t n = 99;
    struct ring_cqe c;
    if (argc > 1 && !strcmp(argv[argc - 1], "again")) {
        CHECK_EQ(serialc_read_submit(&rd, s, 16, 0, 7), ERR_OK);
        CHECK_EQ(capos_ring_wait(capos_rt_ring(), 7, CAP_ENTER_NO_TIMEOUT, &c),
                 ERR_OK);
        CHECK_EQ(serialc_read_parse(&rd, &c, buf, sizeof buf, &n, NULL), ERR_OK);
        CHECK_EQ(n, 0);
        return t_result();
    }
    CHECK_EQ(serialc_read_submit(&rd, s, 16, UINT64_MAX, 7), ERR_OK);
    CHECK_EQ(capos_ring_wait(capos_rt_ring(), 7, 1000000ull, &c), ERR_TIMEOUT);
    return t_result();
}
