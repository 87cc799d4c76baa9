/* SPDX-License-Identifier: MIT */
/*
 * test_bufout.c - stdout buffering (lib/libc/bufout.c): flush on newline,
 * on a full buffer and on demand; printf formatting through the buffer;
 * a failing sink is remembered and does not wedge the writer.
 */
#include <common/test.h>
#include <stdarg.h>
#include <string.h>

#include "../../../lib/libc/bufout.h"

struct capture {
    char data[4096];
    size_t len;
    int calls;
    int fail;
};

static int sink(void *ctx, const char *d, size_t n)
{
    struct capture *c = ctx;

    c->calls++;
    if (c->fail)
        return c->fail;
    memcpy(c->data + c->len, d, n);
    c->len += n;
    return 0;
}

static struct capture cap;
static struct capos_bufout out;

static void setup(void)
{
    memset(&cap, 0, sizeof(cap));
    capos_bufout_init(&out, sink, &cap);
}

static int bprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bprintf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = capos_bufout_vprintf(&out, fmt, ap);
    va_end(ap);
    return n;
}

TEST(bufout_flushes_on_newline_only)
{
    setup();
    capos_bufout_write(&out, "abc", 3);
    EXPECT_EQ(cap.calls, 0);
    capos_bufout_putc(&out, '\n');
    EXPECT_EQ(cap.calls, 1);
    EXPECT_EQ(cap.len, 4);
    EXPECT_TRUE(memcmp(cap.data, "abc\n", 4) == 0);
    capos_bufout_write(&out, "x\ny\nz", 5);
    EXPECT_EQ(cap.calls, 3);
    EXPECT_EQ(out.len, 1);   /* "z" still buffered */
    EXPECT_EQ(capos_bufout_flush(&out), 0);
    EXPECT_EQ(cap.calls, 4);
    EXPECT_TRUE(memcmp(cap.data, "abc\nx\ny\nz", 9) == 0);
    EXPECT_EQ(capos_bufout_flush(&out), 0);   /* empty: no call */
    EXPECT_EQ(cap.calls, 4);
}

TEST(bufout_flushes_when_full)
{
    char big[CAPOS_BUFOUT_SIZE * 2 + 10];

    setup();
    memset(big, 'q', sizeof(big));
    capos_bufout_write(&out, big, sizeof(big));
    EXPECT_EQ(cap.calls, 2);
    EXPECT_EQ(cap.len, 2 * CAPOS_BUFOUT_SIZE);
    EXPECT_EQ(out.len, 10);
    capos_bufout_flush(&out);
    EXPECT_EQ(cap.len, sizeof(big));
}

TEST(bufout_printf_formats_through_buffer)
{
    setup();
    EXPECT_EQ(bprintf("x=%d s=%s h=%#llx", -5, "ok", 0xabcull), 17);
    EXPECT_EQ(cap.calls, 0);
    bprintf("|%5u|\n", 42u);
    EXPECT_EQ(cap.calls, 1);
    cap.data[cap.len] = 0;
    EXPECT_TRUE(strcmp(cap.data, "x=-5 s=ok h=0xabc|   42|\n") == 0);
}

TEST(bufout_sink_error_is_sticky_and_drops)
{
    setup();
    cap.fail = 9;
    capos_bufout_write(&out, "lost\n", 5);
    EXPECT_EQ(out.err, 9);
    EXPECT_EQ(out.len, 0);
    cap.fail = 0;
    capos_bufout_write(&out, "ok\n", 3);
    EXPECT_EQ(out.err, 9);   /* sticky */
    EXPECT_EQ(cap.len, 3);
}

TEST(bufout_unbuffered_mode)
{
    setup();
    out.line_buffered = 0;
    capos_bufout_write(&out, "a\nb\n", 4);
    EXPECT_EQ(cap.calls, 0);
    capos_bufout_flush(&out);
    EXPECT_EQ(cap.calls, 1);
}
