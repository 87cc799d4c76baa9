/*
 * tls.c - THREAD0002: static thread-local storage.  Initialised (.tdata)
 * and zeroed (.tbss) __thread variables of several alignments have their
 * initial values at the first instruction and can be written; %fs:0 holds
 * the TCB's own address (x86_64 variant II).
 */
#include "t.h"

static __thread uint64_t tdata64 = 0x0123456789abcdefull;
static __thread uint8_t tdata8 = 42;
static __thread uint32_t tbss32;
static __thread uint64_t tbss_big[8] __attribute__((aligned(64)));

int main(void)
{
    uint64_t self = 0;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
    uint64_t fs = (uintptr_t)&self;        /* any address: compared below */
    (void)fs;
    CHECK_EQ(tdata64, 0x0123456789abcdefull);
    CHECK_EQ(tdata8, 42);
    CHECK_EQ(tbss32, 0);
    CHECK_EQ(((uintptr_t)tbss_big) & 63, 0);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(tbss_big[i], 0);
    tdata64 = 7;
    tbss32 = 9;
    tbss_big[7] = 11;
    CHECK_EQ(tdata64 + tbss32 + tbss_big[7], 27);
    CHECK(self != 0);
    CHECK((uintptr_t)&tdata64 < self && self - (uintptr_t)&tdata64 < 4096);
    return t_result();
}
