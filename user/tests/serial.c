/*
 * serial.c - SERIAL0001: the Serial capability with no input on the line
 * (the test QEMU's serial has none): a read of 0 bytes is INVAL; a huge
 * maxBytes is clamped; a result buffer too small for one byte is
 * TOOSMALL; timeout 0 returns at once and empty; a read with a timeout
 * waits at least that long and returns empty; a second read while one is
 * outstanding is BUSY and the first still completes; write of 4,096
 * bytes works and 4,097 is INVAL; stats answer.
 */
#include "t.h"
#include "../term/serialc.h"

static struct serialc_read rd, rd2;

/* One read, waited for; the error, the byte count in *n. */
static err_t read_once(uint32_t s, uint32_t max, uint64_t timeout, uint32_t *n)
{
    struct ring_cqe c;
    uint8_t buf[256];
    uint64_t ud = capos_ring_user_data(capos_rt_ring());
    err_t e = serialc_read_submit(&rd, s, max, timeout, ud);
    if (e)
        return e;
    CHECK_EQ(capos_ring_wait(capos_rt_ring(), ud, CAP_ENTER_NO_TIMEOUT, &c),
             ERR_OK);
    return serialc_read_parse(&rd, &c, buf, sizeof buf, n, NULL);
}

static void edge_reads(uint32_t s)
{
    uint32_t n = 99;
    CHECK_EQ(read_once(s, 0, 0, &n), ERR_INVAL);
    CHECK_EQ(read_once(s, 0xffffffffu, 0, &n), ERR_OK);
    CHECK_EQ(n, 0);
    /* A 39-byte result buffer cannot hold the framing and one byte. */
    uint8_t small[40] __attribute__((aligned(8)));
    uint64_t pw[8];
    struct capos_msgbuf m;
    capos_serial_read_params_b p = capos_serial_read_params_init_root(
        capos_msg_begin(&m, pw, 8));
    capos_serial_read_params_set_max_bytes(p, 16);
    capos_msg_finish(&m);
    struct ring_cqe c = raw(raw_call(s, CAPOS_SERIAL_METHOD_READ,
                                     (uint64_t)(uintptr_t)m.words, m.len,
                                     (uint64_t)(uintptr_t)small, 39));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED);
    CHECK_EQ(c.aux, ERR_TOOSMALL);
}

static void timed_read(uint32_t s, uint32_t timer)
{
    uint64_t a = 0, b = 0;
    uint32_t n = 99;
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &a, NULL), ERR_OK);
    CHECK_EQ(read_once(s, 64, 30000000ull, &n), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &b, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    CHECK(b - a >= 30000000ull);
}

static void busy(uint32_t s)
{
    struct capos_ring *r = capos_rt_ring();
    struct ring_cqe c;
    uint8_t buf[256];
    uint32_t n = 99;
    CHECK_EQ(serialc_read_submit(&rd, s, 8, 20000000ull, 41), ERR_OK);
    CHECK_EQ(serialc_read_submit(&rd2, s, 8, 20000000ull, 42), ERR_OK);
    CHECK_EQ(capos_ring_wait(r, 42, CAP_ENTER_NO_TIMEOUT, &c), ERR_OK);
    CHECK_EQ(serialc_read_parse(&rd2, &c, buf, sizeof buf, &n, NULL), ERR_BUSY);
    CHECK_EQ(c.aux, ERR_BUSY);
    CHECK_EQ(capos_ring_wait(r, 41, CAP_ENTER_NO_TIMEOUT, &c), ERR_OK);
    CHECK_EQ(serialc_read_parse(&rd, &c, buf, sizeof buf, &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
}

static void writes(uint32_t s)
{
    static char big[4097];
    uint64_t w[4097 / 8 + 8], rw[8];
    struct capos_msgbuf m;
    memset(big, '.', sizeof big);
    big[4094] = '\r';
    big[4095] = '\n';
    CHECK_EQ(serialc_write(s, big, 4096), ERR_OK);
    capos_serial_write_params_set_data(capos_serial_write_params_init_root(
                                           capos_msg_begin(&m, w, sizeof w / 8)),
                                       big, 4097);
    capos_msg_finish(&m);
    CHECK_EQ(capos_call(s, CAPOS_SERIAL_METHOD_WRITE, m.words, m.len, rw,
                        sizeof rw, NULL),
             ERR_INVAL);
    uint64_t rx = 1, dropped = 1;
    uint32_t buffered = 1;
    CHECK_EQ(serialc_stats(s, &rx, &dropped, &buffered), ERR_OK);
    CHECK_EQ(dropped, 0);
    CHECK_EQ(buffered, 0);
}

int main(void)
{
    uint32_t s = t_cap("serial"), timer = t_cap("timer");
    edge_reads(s);
    timed_read(s, timer);
    busy(s);
    writes(s);
    return t_result();
}
