/*
 * harness_test.c - the test harness's assertions really record failures
 * (a harness whose EXPECT cannot fail would make every test meaningless).
 * The inner failures print lines marked "(expected)".
 */
#include <common/test.h>

/* Run assertions against a private context; two of three must fail. */
static void inner_body(struct test_ctx *t)
{
    EXPECT_EQ(1, 2);
    EXPECT_TRUE(0);
    EXPECT_EQ(3, 3);
}

/* ASSERT must return from the test; *reached stays 0 if it did. */
static void inner_assert(struct test_ctx *t, int *reached)
{
    ASSERT_TRUE(0);
    *reached = 1;
}

TEST(harness_expect_records_failure)
{
    struct test_ctx inner = {.name = "inner (expected)", .failures = 0};
    inner_body(&inner);
    EXPECT_EQ(inner.failures, 2);
}

TEST(harness_assert_stops_test)
{
    struct test_ctx inner = {.name = "inner (expected)", .failures = 0};
    int reached = 0;
    inner_assert(&inner, &reached);
    EXPECT_EQ(inner.failures, 1);
    EXPECT_EQ(reached, 0);
}
