/*
 * ring_fuzz.c - FUZZ0001: 20,000 semi-valid random SQEs (opcodes valid and
 * not, CapIds from the own table and random, method ids, buffers that are
 * valid, unmapped, kernel, wrapping or misaligned, random lengths and
 * transfer lists), submitted in random batches.  The kernel must answer
 * every one that is not deferred, never fault, and keep serving: at the
 * end a NOP still round-trips.  The driver's leak check covers the rest.
 * Deterministic (fixed seed); the console cap is never a target.
 */
#include "t.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
/* Every valid address the fuzzer hands the kernel points into sink, and
 * no length exceeds sink's slack, so kernel writes (results, RECV) can
 * never reach the program's own state. */
static uint64_t sink[4096];
#define res ((uint8_t *)&sink[2048])
static struct ring_xfer xf[RING_MAX_XFER];

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A buffer address; `for_write` leaves out the ring page itself (writing
 * results over its own ring header is the process's loss, not a test). */
static uint64_t pick_addr_w(int for_write)
{
    static const uint64_t bad[] = {0, 0x10000000ull, 0xffff800000000000ull,
                                   0x0000900000000000ull, 0xfffffffffffff000ull,
                                   0x7ffffffff000ull, CAPSET_VADDR, RING_VADDR};
    uint64_t r = rnd() % 4;
    if (r == 0)
        return bad[rnd() % (sizeof bad / sizeof bad[0] - (for_write ? 1 : 0))];
    return (uintptr_t)sink + (r == 1 ? rnd() % 64 : 0);
}

static uint64_t pick_addr(void)
{
    return pick_addr_w(0);
}

static uint32_t pick_cap(const uint32_t *pool, uint32_t n)
{
    return rnd() % 4 ? pool[rnd() % n] : (uint32_t)rnd();
}

static struct ring_sqe random_sqe(const uint32_t *pool, uint32_t n)
{
    struct ring_sqe s = {0};
    s.opcode = rnd() % 8 ? (uint8_t)(rnd() % RING_OP__COUNT) : (uint8_t)rnd();
    s.cap_id = pick_cap(pool, n);
    s.method_id = (uint16_t)(rnd() % 6);
    s.addr = pick_addr();
    s.len = (uint32_t)(rnd() % 3 ? rnd() % 128 : rnd());
    s.result_addr = rnd() % 3 ? (uintptr_t)res : pick_addr_w(1);
    s.result_len = (uint32_t)(rnd() % 3 ? 512 : rnd() % 600);
    if (rnd() % 8 == 0) {
        s.xfer_count = (uint16_t)(rnd() % (RING_MAX_XFER + 2));
        for (uint32_t i = 0; i < RING_MAX_XFER; i++)
            xf[i] = (struct ring_xfer){pick_cap(pool, n), (uint32_t)(rnd() % 3)};
        s.xfer_addr = rnd() % 4 ? (uintptr_t)xf : pick_addr();
    }
    if (rnd() % 16 == 0)
        s.flags = (uint16_t)rnd();
    if (rnd() % 32 == 0)
        s.rsvd1 = 1;
    s.user_data = rnd();
    return s;
}

int main(void)
{
    uint32_t pool[8], n = 0;
    const char *names[] = {"timer", "caps", "boot", "spawner"};
    for (uint32_t i = 0; i < 4; i++)
        pool[n++] = t_cap(names[i]);
    struct ring_header *h = (struct ring_header *)(uintptr_t)RING_VADDR;
    struct ring_sqe *sq = (struct ring_sqe *)(uintptr_t)(RING_VADDR + RING_SQ_OFFSET);
    uint64_t completions = 0;
    for (int round = 0; round < 2500; round++) {
        uint32_t tail = h->sq_tail, room = RING_SQ_ENTRIES - (tail - h->sq_head);
        uint32_t batch = (uint32_t)(rnd() % (room + 1));
        for (uint32_t i = 0; i < batch; i++)
            sq[(tail + i) & (RING_SQ_ENTRIES - 1)] = random_sqe(pool, n);
        __atomic_store_n(&h->sq_tail, tail + batch, __ATOMIC_RELEASE);
        int64_t avail = capos_cap_enter(0, 0);
        CHECK(avail >= 0);
        /* Consume everything that completed. */
        completions += (uint64_t)avail;
        __atomic_store_n(&h->cq_head, h->cq_tail, __ATOMIC_RELEASE);
        if (t_failures)
            break;

    }
    CHECK(completions > 10000);
    struct capos_ring *r = capos_rt_ring();
    CHECK_EQ(capos_ring_init(r, r->hdr, r->enter, r->enter_ctx), ERR_OK);
    CHECK_EQ(raw((struct ring_sqe){.opcode = RING_OP_NOP}).result, 0);
    printf("FUZZ0001: %llu completions\n", (unsigned long long)completions);
    return t_result();
}
