/*
 * core_test.h - helpers shared by the host tests of the core libraries:
 * a deterministic PRNG and a string equality check.
 */
#pragma once

#include <common/fmt.h>
#include <common/string.h>
#include <common/test.h>
#include <stdint.h>

/* xorshift64*: deterministic, seedable, good enough for test churn. */
struct core_rng {
    uint64_t s;
};

static inline uint64_t core_rng_next(struct core_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform-ish value in [0, n), n > 0. */
static inline uint64_t core_rng_below(struct core_rng *r, uint64_t n)
{
    return core_rng_next(r) % n;
}

/* Fail the running test, naming both strings, if they differ. */
static inline void core_expect_str(struct test_ctx *t, const char *file,
                                   int line, const char *got,
                                   const char *want)
{
    static char msg[512];

    if (strcmp(got, want) == 0)
        return;
    fmt_snprintf(msg, sizeof(msg), "got \"%s\", want \"%s\"", got, want);
    test_fail(t, file, line, msg);
}

#define EXPECT_STR(got, want) core_expect_str(t, __FILE__, __LINE__, got, want)
