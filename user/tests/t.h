/*
 * t.h - helpers for capOS system test programs (user/tests/).
 *
 * Each test program is one process started by the kernel's manifest test
 * driver (test=manifest) with a minimal CapSet; it checks exact error codes
 * with CHECK/CHECK_EQ and returns t_result() from main: 0 = pass.  The
 * driver also checks the exit code it expects (args of the ServiceEntry)
 * and that frames, heap, processes, threads and waits are back to their
 * values from before the test.  raw_* helpers put hand-made SQEs on the
 * ring, bypassing the runtime's checks, for hostile-input tests.
 */
#pragma once

#include <abi/layout.h>
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

static int t_failures;

#define CHECK(c)                                                            \
    do {                                                                    \
        if (!(c)) {                                                         \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #c);  \
            t_failures++;                                                   \
        }                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);             \
        if (t_a_ != t_b_) {                                                 \
            printf("  %s:%d: %s == %s failed: %lld != %lld\n", __FILE__,    \
                   __LINE__, #a, #b, t_a_, t_b_);                           \
            t_failures++;                                                   \
        }                                                                   \
    } while (0)

static inline int t_result(void)
{
    return t_failures ? 1 : 0;
}

/* The cap named `name` in the CapSet (any interface), or 0. */
static inline uint32_t t_cap(const char *name)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        if (!strcmp(e->name, name))
            return e->cap_id;
    }
    printf("  no cap named %s\n", name);
    t_failures++;
    return 0;
}

/* Number of caps in the table (CapabilityManager "caps"). */
static inline uint32_t t_ncaps(void)
{
    static struct capos_cap_info info[64];
    uint32_t n = 0;
    CHECK_EQ(capos_capmgr_list(CAPOS_HANDLE(capos_capability_manager, t_cap("caps")), info, 64, &n), ERR_OK);
    return n;
}

/* Submit one hand-made SQE and wait for its completion. */
static inline struct ring_cqe raw(struct ring_sqe sqe)
{
    struct ring_cqe cqe = {0};
    err_t r = capos_ring_call_sqe(capos_rt_ring(), &sqe, &cqe);
    if (r) {
        printf("  raw: ring error %d\n", r);
        t_failures++;
    }
    return cqe;
}

/* A CALL SQE with the given buffers. */
static inline struct ring_sqe raw_call(uint32_t cap, uint16_t method,
                                       uint64_t addr, uint32_t len,
                                       uint64_t raddr, uint32_t rlen)
{
    return (struct ring_sqe){.opcode = RING_OP_CALL, .cap_id = cap,
                             .method_id = method, .addr = addr, .len = len,
                             .result_addr = raddr, .result_len = rlen};
}
