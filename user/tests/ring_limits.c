/*
 * ring_limits.c - RING0010..: hostile ring indices and a full CQ.
 * A submission tail far beyond the head is ignored and counted
 * (sq_dropped); when the completion queue is full the kernel stops
 * consuming submissions and loses nothing; cap_enter rejects an impossible
 * min_complete; an unknown syscall number fails cleanly.
 */
#include "t.h"

static struct ring_header *hdr(void)
{
    return (struct ring_header *)(uintptr_t)RING_VADDR;
}

static struct ring_sqe *sq(void)
{
    return (struct ring_sqe *)(uintptr_t)(RING_VADDR + RING_SQ_OFFSET);
}

static struct ring_cqe *cq(void)
{
    return (struct ring_cqe *)(uintptr_t)(RING_VADDR + RING_CQ_OFFSET);
}

static long raw_syscall(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b)
                     : "rcx", "r11", "memory");
    return r;
}

/* Bypass the runtime: write `n` NOPs straight into the SQ. */
static void push_nops(uint32_t n, uint64_t tag)
{
    uint32_t tail = hdr()->sq_tail;
    for (uint32_t i = 0; i < n; i++)
        sq()[(tail + i) & (RING_SQ_ENTRIES - 1)] =
            (struct ring_sqe){.opcode = RING_OP_NOP, .user_data = tag + i};
    __atomic_store_n(&hdr()->sq_tail, tail + n, __ATOMIC_RELEASE);
}

static void corrupt_tail(void)
{
    uint32_t head = hdr()->sq_head, dropped = hdr()->sq_dropped;
    hdr()->sq_tail = head + 1000;
    CHECK(capos_cap_enter(0, 0) >= 0);
    CHECK_EQ(hdr()->sq_head, head);          /* nothing consumed */
    CHECK(hdr()->sq_dropped > dropped);      /* and it was counted */
    hdr()->sq_tail = head;                   /* repair */
}

static void full_cq(void)
{
    uint32_t head = hdr()->cq_head;
    push_nops(16, 1000);
    CHECK_EQ(capos_cap_enter(0, 0), 16);
    push_nops(16, 2000);
    CHECK_EQ(capos_cap_enter(0, 0), 32);     /* CQ now full */
    uint32_t sq_head = hdr()->sq_head;
    push_nops(16, 3000);
    CHECK_EQ(capos_cap_enter(0, 0), 32);     /* nothing consumed */
    CHECK_EQ(hdr()->sq_head, sq_head);
    CHECK_EQ(hdr()->cq_overflow, 0);
    /* Consume all 32 in order, then the held 16 complete. */
    for (uint32_t i = 0; i < 32; i++)
        CHECK_EQ(cq()[(head + i) & (RING_CQ_ENTRIES - 1)].user_data,
                 (i < 16 ? 1000 : 2000 - 16) + i);
    __atomic_store_n(&hdr()->cq_head, head + 32, __ATOMIC_RELEASE);
    CHECK_EQ(capos_cap_enter(0, 0), 16);
    for (uint32_t i = 0; i < 16; i++)
        CHECK_EQ(cq()[(head + 32 + i) & (RING_CQ_ENTRIES - 1)].user_data,
                 3000 + i);
    __atomic_store_n(&hdr()->cq_head, head + 48, __ATOMIC_RELEASE);
}

/* The runtime's ring client copies the indices; resync it after the raw
 * manipulation above. */
static void resync(void)
{
    struct capos_ring *r = capos_rt_ring();
    CHECK_EQ(capos_ring_init(r, r->hdr, r->enter, r->enter_ctx), 0);
}

int main(void)
{
    /* The runtime must have nothing in flight: these tests drive the ring
     * directly and hand it back balanced. */
    CHECK_EQ(capos_cap_enter(RING_CQ_ENTRIES + 1, 0), CAP_ERR_INVALID_REQUEST);
    CHECK_EQ(raw_syscall(77, 0, 0), CAP_ERR_INVALID_REQUEST);
    corrupt_tail();
    full_cq();
    /* An insane cq_head (ahead of the tail) is treated as a full queue. */
    uint32_t head = hdr()->cq_head;
    hdr()->cq_head = head + 5;
    push_nops(1, 4000);
    uint32_t sq_head = hdr()->sq_head;
    capos_cap_enter(0, 0);
    CHECK_EQ(hdr()->sq_head, sq_head);
    hdr()->cq_head = head;
    CHECK_EQ(capos_cap_enter(1, 1000000000ull), 1);
    __atomic_store_n(&hdr()->cq_head, head + 1, __ATOMIC_RELEASE);
    resync();
    /* cap_enter with a timeout and nothing pending returns after it. */
    uint32_t timer = t_cap("timer");
    uint64_t t0 = 0, t1 = 0;
    capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t0, NULL);
    CHECK_EQ(capos_cap_enter(1, 30000000ull), 0);
    capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &t1, NULL);
    CHECK(t1 - t0 >= 30000000ull);
    return t_result();
}
