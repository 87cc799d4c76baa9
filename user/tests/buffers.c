/*
 * buffers.c - BUF0001..: hostile params and result buffers.
 * Kernel-half, non-canonical, unmapped, wrapping and oversized params
 * buffers are INVALID_PARAMS_BUFFER; bad or read-only result buffers are
 * INVALID_RESULT_BUFFER; malformed params are an invalidArgument
 * exception; a result buffer too small even for the exception is
 * APPLICATION_EXCEPTION_TRUNCATED.  Nothing is printed by the console for
 * any of the rejected writes.
 */
#include "t.h"

static uint8_t res[512] __attribute__((aligned(8)));

static void bad_params(uint32_t con)
{
    static const struct { uint64_t addr; uint32_t len; uint32_t aux; } bad[] = {
        {0xffff800000000000ull, 64, ERR_FAULT},      /* kernel half */
        {0xffffffff80100000ull, 64, ERR_FAULT},      /* kernel image */
        {0x0000900000000000ull, 64, ERR_FAULT},      /* non-canonical */
        {0x0000000010000000ull, 64, ERR_FAULT},      /* unmapped */
        {0xfffffffffffff000ull, 0x2000, ERR_FAULT},  /* wraps */
        {0x00007fffffffff00ull, 0x200, ERR_FAULT},   /* crosses USER_TOP */
        {RING_VADDR, 128 * 1024, ERR_RANGE},         /* too long */
        /* From the CapSet page into the unmapped page after it: the fault
         * hits the quadword part, then only the byte tail. */
        {CAPSET_VADDR + 0x1000 - 4, 12, ERR_FAULT},
        {CAPSET_VADDR + 0x1000 - 8, 12, ERR_FAULT},
        {CAPSET_VADDR + 0x1000 - 8, 9, ERR_FAULT},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ring_cqe c = raw(raw_call(con, CAPOS_CONSOLE_METHOD_WRITE_LINE,
                                         bad[i].addr, bad[i].len,
                                         (uintptr_t)res, sizeof res));
        CHECK_EQ(c.result, CAP_ERR_INVALID_PARAMS_BUFFER);
        CHECK_EQ(c.aux, bad[i].aux);
    }
}

static void bad_results(uint32_t timer)
{
    static const uint64_t bad[] = {0xffff800000000000ull, 0x0000900000000000ull,
                                   0xfffffffffffffff0ull};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ring_cqe c = raw(raw_call(timer, CAPOS_TIMER_METHOD_NOW, 0, 0,
                                         bad[i], 64));
        CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    }
    /* Unmapped and read-only (the CapSet page) fail at the copy. */
    struct ring_cqe c = raw(raw_call(timer, CAPOS_TIMER_METHOD_NOW, 0, 0,
                                     0x10000000ull, 64));
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
    c = raw(raw_call(timer, CAPOS_TIMER_METHOD_NOW, 0, 0, CAPSET_VADDR, 64));
    CHECK_EQ(c.result, CAP_ERR_INVALID_RESULT_BUFFER);
}

static void malformed_params(uint32_t con)
{
    static uint64_t garbage[4] = {0x0000000700000005ull, 0xdeadbeefdeadbeefull,
                                  0xffffffffffffffffull, 0x1234};
    struct ring_cqe c = raw(raw_call(con, CAPOS_CONSOLE_METHOD_WRITE_LINE,
                                     (uintptr_t)garbage, sizeof garbage,
                                     (uintptr_t)res, sizeof res));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_BADFORMAT);
    struct capos_exception ex;
    CHECK_EQ(capos_exception_decode(&c, res, sizeof res, &ex), ERR_OK);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT);
    /* A root pointer far outside the message. */
    static uint64_t far_root[2] = {0, 0x00000001fffffff0ull};
    c = raw(raw_call(con, CAPOS_CONSOLE_METHOD_WRITE_LINE, (uintptr_t)far_root,
                     sizeof far_root, (uintptr_t)res, sizeof res));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_BADFORMAT);
}

int main(void)
{
    uint32_t con = t_cap("console"), timer = t_cap("timer");
    bad_params(con);
    bad_results(timer);
    malformed_params(con);
    /* Result buffer of 8 bytes: neither results nor the exception fit. */
    struct ring_cqe c = raw(raw_call(timer, CAPOS_TIMER_METHOD_NOW, 0, 0,
                                     (uintptr_t)res, 8));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED);
    CHECK_EQ(c.aux, ERR_TOOSMALL);
    /* A good call still works. */
    uint64_t ns = 0;
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &ns, NULL), ERR_OK);
    CHECK(ns > 0);
    return t_result();
}
