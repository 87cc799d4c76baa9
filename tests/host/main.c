/*
 * main.c - entry point of every host unit-test binary.
 *
 * Each host test binary links this file, lib/common/test.c and the test
 * files of one area; argv[1] optionally selects tests by name ("cap_*").
 */
#include <common/test.h>
#include <stdarg.h>
#include <stdio.h>

static void host_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const struct test_env env = {.print = host_print};
    return test_run_all(&env, argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
