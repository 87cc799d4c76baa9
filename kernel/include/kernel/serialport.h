/*
 * serialport.h - the Serial capability's input side (kernel/obj/serialport.c):
 * the hooks the tick, process exit and tests use.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct process;

#define SERIAL_RX_BUF   4096u   /* bytes of input the kernel buffers */
#define SERIAL_READ_MAX 256u    /* bytes one Serial.read returns at most */
#define SERIAL_WRITE_MAX 4096u  /* bytes one Serial.write takes at most */

/* Received bytes b[n] (the UART interrupt, or a test): buffered while
 * there is room, the rest dropped and counted; completes a waiting read. */
void serialport_rx(const uint8_t *b, uint32_t n);
/* Complete a waiting read whose deadline has passed (timer tick). */
void serialport_tick(uint64_t now);
/* Drop p's waiting read, if any (p is exiting). */
void serialport_cancel(struct process *p);

struct serialport_stats {
    uint64_t received, dropped;
    uint32_t buffered;
    bool reader_waiting;
};
/* A snapshot of the counters (tests). */
void serialport_stats(struct serialport_stats *s);
/* Forget the buffered input (tests; counters are kept). */
void serialport_flush(void);
