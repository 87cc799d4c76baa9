/*
 * test.c - runner for the TEST() harness (see common/test.h).
 *
 * Walks the "capos_tests" linker section, runs each test, prints
 * "PASS name" / "FAIL name" lines and the final "N passed, N failed" line.
 * Freestanding: used by the host test binaries and by the test kernel.
 */
#include <common/test.h>

/* Weak: a binary without any TEST() has no section and no bounds. */
extern const struct test_case __start_capos_tests[] __attribute__((weak));
extern const struct test_case __stop_capos_tests[] __attribute__((weak));

static const struct test_env *test_cur_env;

/* Record a plain failure of the running test. */
void test_fail(struct test_ctx *t, const char *file, int line,
               const char *what)
{
    t->failures++;
    test_cur_env->print("  %s:%d: %s: failed: %s\n", file, line, t->name,
                        what);
}

/* Record a failed equality with both values. */
void test_fail_u64(struct test_ctx *t, const char *file, int line,
                   const char *what, uint64_t got, uint64_t want)
{
    t->failures++;
    test_cur_env->print("  %s:%d: %s: failed: %s (got %llu = %#llx, want "
                        "%llu = %#llx)\n",
                        file, line, t->name, what, (unsigned long long)got,
                        (unsigned long long)got, (unsigned long long)want,
                        (unsigned long long)want);
}

/* Return true if `name` is selected by `filter` (exact or "prefix*"). */
static bool test_selected(const char *name, const char *filter)
{
    if (!filter || !filter[0])
        return true;
    for (;; name++, filter++) {
        if (*filter == '*' && filter[1] == '\0')
            return true;
        if (*name != *filter)
            return false;
        if (*name == '\0')
            return true;
    }
}

int test_run_all(const struct test_env *env, const char *filter)
{
    int passed = 0, failed = 0;

    test_cur_env = env;
    for (const struct test_case *c = __start_capos_tests;
         c < __stop_capos_tests; c++) {
        if (!test_selected(c->name, filter))
            continue;
        struct test_ctx t = {.name = c->name, .failures = 0};
        if (env->before)
            env->before();
        c->fn(&t);
        if (env->after && !env->after(&t) && t.failures == 0)
            t.failures = 1;
        if (t.failures) {
            failed++;
            env->print("FAIL %s\n", c->name);
        } else {
            passed++;
            env->print("PASS %s\n", c->name);
        }
    }
    env->print("%d passed, %d failed\n", passed, failed);
    return failed;
}
