/*
 * test.h - the one test harness of capOS, for host and in-kernel tests.
 *
 * Theory of operation: a test is a function registered with TEST(name).
 * Registration places a `struct test_case` in the linker section
 * "capos_tests"; the runner walks that section (the linker provides
 * __start_capos_tests / __stop_capos_tests on both host and kernel builds).
 * EXPECT_* records a failure and continues, ASSERT_* records it and returns
 * from the test.  The runner prints one line per test and ends with the plain
 * line "N passed, N failed", the line every level of `make test` is judged by.
 *
 * The output function and an optional per-test hook (the kernel uses it to
 * check frame counters for leaks) are supplied by the environment through
 * test_env; nothing here depends on libc.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct test_ctx {
    const char *name;
    int failures;
};

struct test_case {
    const char *name;
    const char *file;
    void (*fn)(struct test_ctx *t);
};

/* Environment hooks; print is mandatory, the others may be NULL. */
struct test_env {
    void (*print)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
    /* Called before/after each test; after() returns false to fail the test
     * (used for leak checks). */
    void (*before)(void);
    bool (*after)(struct test_ctx *t);
};

#define TEST__SECTION __attribute__((used, section("capos_tests"), aligned(8)))

#define TEST(tname)                                                         \
    static void test_fn_##tname(struct test_ctx *t);                        \
    static const struct test_case test_case_##tname TEST__SECTION = {       \
        .name = #tname, .file = __FILE__, .fn = test_fn_##tname};           \
    static void test_fn_##tname(struct test_ctx *t)

/* Record a failure with a location; implemented by the runner. */
void test_fail(struct test_ctx *t, const char *file, int line,
               const char *what);
void test_fail_u64(struct test_ctx *t, const char *file, int line,
                   const char *what, uint64_t got, uint64_t want);

#define EXPECT_TRUE(c)                                                      \
    do { if (!(c)) test_fail(t, __FILE__, __LINE__, #c); } while (0)
#define EXPECT_FALSE(c) EXPECT_TRUE(!(c))
#define EXPECT_EQ(a, b)                                                     \
    do {                                                                    \
        uint64_t test_a_ = (uint64_t)(a), test_b_ = (uint64_t)(b);          \
        if (test_a_ != test_b_)                                             \
            test_fail_u64(t, __FILE__, __LINE__, #a " == " #b, test_a_,     \
                          test_b_);                                         \
    } while (0)
#define EXPECT_NE(a, b)                                                     \
    do { if ((uint64_t)(a) == (uint64_t)(b))                                \
            test_fail(t, __FILE__, __LINE__, #a " != " #b); } while (0)
#define ASSERT_TRUE(c)                                                      \
    do { if (!(c)) { test_fail(t, __FILE__, __LINE__, #c); return; } } while (0)
#define ASSERT_EQ(a, b)                                                     \
    do {                                                                    \
        uint64_t test_a_ = (uint64_t)(a), test_b_ = (uint64_t)(b);          \
        if (test_a_ != test_b_) {                                           \
            test_fail_u64(t, __FILE__, __LINE__, #a " == " #b, test_a_,     \
                          test_b_);                                         \
            return;                                                         \
        }                                                                   \
    } while (0)

/*
 * Run every registered test whose name matches `filter` (NULL or "" = all;
 * otherwise an exact name or a prefix ending in '*').  Prints
 * "N passed, N failed" last and returns the number of failures.
 */
int test_run_all(const struct test_env *env, const char *filter);
