/*
 * serial_test.c - in-kernel tests of the Serial object's input buffer,
 * fed through serialport_rx as the UART interrupt does: binary garbage
 * (every byte value) is stored as is; a flood larger than the buffer
 * keeps the first SERIAL_RX_BUF bytes and counts every other one as
 * dropped; the buffer takes bytes again once it is drained.
 */
#include <common/test.h>
#include <kernel/serialport.h>

TEST(serial_rx_garbage_and_flood)
{
    static uint8_t junk[SERIAL_RX_BUF + 1000];
    struct serialport_stats a, b;
    for (uint32_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37u + 11u);
    serialport_flush();
    serialport_stats(&a);
    ASSERT_EQ(a.buffered, 0);
    serialport_rx(junk, 256);
    serialport_stats(&b);
    EXPECT_EQ(b.buffered, 256);
    EXPECT_EQ(b.received - a.received, 256);
    EXPECT_EQ(b.dropped, a.dropped);
    serialport_rx(junk, sizeof junk);      /* flood: more than the buffer */
    serialport_stats(&b);
    EXPECT_EQ(b.buffered, SERIAL_RX_BUF);
    EXPECT_EQ(b.received - a.received, 256 + sizeof junk);
    EXPECT_EQ(b.dropped - a.dropped, 256 + sizeof junk - SERIAL_RX_BUF);
    EXPECT_FALSE(b.reader_waiting);
    serialport_flush();
    serialport_rx(junk, 1);
    serialport_stats(&b);
    EXPECT_EQ(b.buffered, 1);
    serialport_flush();
}
