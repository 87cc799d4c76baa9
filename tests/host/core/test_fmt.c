/*
 * test_fmt.c - the printf engine: fixed expectations for every conversion,
 * flag and edge case, snprintf truncation, and a differential run against
 * the host libc's snprintf over random specs.
 */
#include "core_test.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Check one format: output text and returned length. */
static void fmt_check(struct test_ctx *t, int line, const char *want,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fmt_check(struct test_ctx *t, int line, const char *want,
                      const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    core_expect_str(t, __FILE__, line, buf, want);
    if ((size_t)n != strlen(want))
        test_fail_u64(t, __FILE__, line, fmt, (uint64_t)n, strlen(want));
}

#define CHECK(want, ...) fmt_check(t, __LINE__, want, __VA_ARGS__)

/*
 * Same, for formats the compiler's printf checker rightly complains about
 * (flag combinations C calls ignored, NULL %s, huge widths): the format is
 * passed as a non-literal so only our engine sees it.
 */
static void fmt_check_odd(struct test_ctx *t, int line, const char *want,
                          const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    core_expect_str(t, __FILE__, line, buf, want);
    if ((size_t)n != strlen(want))
        test_fail_u64(t, __FILE__, line, fmt, (uint64_t)n, strlen(want));
}

#define CHECK_ODD(want, ...) fmt_check_odd(t, __LINE__, want, __VA_ARGS__)

/* Hide a format string from the compiler's format analysis. */
__attribute__((noinline)) static const char *fmt_opaque(const char *s)
{
    return s;
}

TEST(fmt_integers_basic)
{
    CHECK("0", "%d", 0);
    CHECK("-1 1", "%d %i", -1, 1);
    CHECK("2147483647 -2147483648", "%d %d", INT32_MAX, INT32_MIN);
    CHECK("4294967295", "%u", UINT32_MAX);
    CHECK("ff FF 377", "%x %X %o", 255u, 255u, 255u);
    CHECK("deadbeef", "%x", 0xdeadbeefu);
    CHECK("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK("-9223372036854775808", "%ld", (long)INT64_MIN);
    CHECK("9223372036854775807", "%jd", (intmax_t)INT64_MAX);
    CHECK("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
    CHECK("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
}

TEST(fmt_length_modifiers)
{
    CHECK_ODD("-1 255", "%hhd %hhu", 255, 255);
    CHECK_ODD("-128 128", "%hhd %hhu", 128, 128);
    CHECK_ODD("-1 65535", "%hd %hu", 65535, 65535);
    CHECK_ODD("ff", "%hhx", 0x1ff);
    CHECK("18446744073709551615", "%zu", (size_t)-1);
    CHECK("-5", "%zd", (size_t)-5);
    CHECK("-7 7", "%td %tu", (ptrdiff_t)-7, (ptrdiff_t)7);
    CHECK("ffffffffffffffff", "%jx", (uintmax_t)UINT64_MAX);
}

TEST(fmt_flags_width_precision)
{
    CHECK("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
    CHECK("  -42|-42  |-0042", "%5d|%-5d|%05d", -42, -42, -42);
    CHECK("+42  42 +0", "%+d % d %+d", 42, 42, 0);
    CHECK("-42 -42", "%+d % d", -42, -42);
    CHECK("00042|  00042|00042  ", "%.5d|%7.5d|%-7.5d", 42, 42, 42);
    CHECK_ODD("  042", "%05.3d", 42); /* precision disables '0' */
    CHECK_ODD("42   ", "%-05d", 42);  /* '-' overrides '0' */
    CHECK("|    |", "|%.0d%4.0d|", 0, 0);
    CHECK("-0000000000000000000000009223372036854775808", "%.43lld",
          (long long)INT64_MIN);
    CHECK(" +007", "%+5.3d", 7);
    CHECK("+0007", "%+05d", 7);
    CHECK(" 0007", "% 05d", 7);
}

TEST(fmt_alternate_forms)
{
    CHECK("0xff 0XFF 0377", "%#x %#X %#o", 255u, 255u, 255u);
    CHECK("0 0 0", "%#x %#X %#o", 0u, 0u, 0u);
    CHECK("0", "%#.0o", 0u);
    CHECK("", "%#.0x", 0u);
    CHECK("0x00ff", "%#06x", 255u);
    CHECK("  0xff", "%#6x", 255u);
    CHECK("0x0ff", "%#.3x", 255u);
    CHECK("0377", "%#.3o", 255u);
    CHECK("00377", "%#.5o", 255u);
}

TEST(fmt_star_width_precision)
{
    CHECK("   7", "%*d", 4, 7);
    CHECK("7   |", "%*d|", -4, 7);
    CHECK("007", "%.*d", 3, 7);
    CHECK("7", "%.*d", -3, 7); /* negative precision = none */
    CHECK("  abc", "%*.*s", 5, 3, "abcdef");
    CHECK("ab   |", "%-*.*s|", 5, 2, "abcdef");
}

TEST(fmt_strings_chars)
{
    CHECK("hello", "%s", "hello");
    CHECK_ODD("(null)", "%s", (char *)NULL);
    CHECK_ODD("(nu", "%.3s", (char *)NULL);
    CHECK_ODD("  (null)", "%8s", (char *)NULL);
    CHECK("   ab|ab   |a", "%5s|%-5s|%.1s", "ab", "ab", "ab");
    CHECK("", "%.0s", "abc");
    CHECK("x", "%c", 'x');
    CHECK("  x|x  |", "%3c|%-3c|", 'x', 'x');
    CHECK("100%", "100%%");
    CHECK_ODD("%5", "%5%5", 0); /* %% with flags/width still prints '%' */
}

TEST(fmt_string_precision_does_not_read_past)
{
    /* Not NUL-terminated: the precision bounds the read (ASan checks). */
    const char raw[3] = {'a', 'b', 'c'};

    CHECK("abc", "%.3s", raw);
    CHECK("ab", "%.2s", raw);
}

TEST(fmt_pointers)
{
    CHECK("0x0", "%p", (void *)0);
    CHECK("0x1234abcd", "%p", (void *)(uintptr_t)0x1234abcd);
    CHECK("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
    CHECK("    0x10|0x10    ", "%8p|%-8p", (void *)16, (void *)16);
}

TEST(fmt_unknown_and_trailing)
{
    char buf[32];
    int n;

    /* Built at run time so the compiler's format checker stays quiet. */
    char f1[] = {'a', '%', 'y', 'b', 0};
    char f2[] = {'a', 'b', '%', 0};
    char f3[] = {'%', '-', '5', 'l', 0};

    n = fmt_snprintf(buf, sizeof(buf), f1, 0);
    EXPECT_STR(buf, "a%yb");
    EXPECT_EQ(n, 4);
    n = fmt_snprintf(buf, sizeof(buf), f2, 0);
    EXPECT_STR(buf, "ab%");
    EXPECT_EQ(n, 3);
    n = fmt_snprintf(buf, sizeof(buf), f3, 0);
    EXPECT_STR(buf, "%-5l");
    EXPECT_EQ(n, 4);
    const char *fn = fmt_opaque("%n");
    n = fmt_snprintf(buf, sizeof(buf), fn, (int *)NULL); /* not supported */
    EXPECT_STR(buf, "%n");
    EXPECT_EQ(n, 2);
}

TEST(fmt_snprintf_truncation)
{
    char buf[8];
    int n;

    memset(buf, 'Z', sizeof(buf));
    n = fmt_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);
    EXPECT_EQ(n, 12);
    EXPECT_STR(buf, "abcdef-");
    memset(buf, 'Z', sizeof(buf));
    n = fmt_snprintf(buf, 1, "abc");
    EXPECT_EQ(n, 3);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], 'Z');
    memset(buf, 'Z', sizeof(buf));
    n = fmt_snprintf(buf, 0, "abc");
    EXPECT_EQ(n, 3);
    EXPECT_EQ(buf[0], 'Z');
    n = fmt_snprintf(NULL, 0, "%d", -123);
    EXPECT_EQ(n, 4);
    n = fmt_snprintf(buf, 4, "abc");
    EXPECT_EQ(n, 3);
    EXPECT_STR(buf, "abc");
    n = fmt_snprintf(buf, 3, "abc");
    EXPECT_EQ(n, 3);
    EXPECT_STR(buf, "ab");
}

TEST(fmt_width_cap)
{
    char buf[8];
    const char *f1 = fmt_opaque("%999999999d"), *f2 = fmt_opaque("%*d");
    int n = fmt_snprintf(buf, sizeof(buf), f1, 1);

    EXPECT_EQ(n, FMT_MAX_WIDTH);
    n = fmt_snprintf(buf, sizeof(buf), f2, -2147483647 - 1, 1);
    EXPECT_EQ(n, FMT_MAX_WIDTH);
    EXPECT_STR(buf, "1      ");
}

struct fmt_sink {
    char buf[64];
    int n;
};

static void fmt_sink_out(void *ctx, char c)
{
    struct fmt_sink *s = ctx;

    if (s->n < (int)sizeof(s->buf) - 1)
        s->buf[s->n] = c;
    s->n++;
    s->buf[s->n < (int)sizeof(s->buf) ? s->n : (int)sizeof(s->buf) - 1] = 0;
}

TEST(fmt_format_sink)
{
    struct fmt_sink s = {.n = 0};
    int n = fmt_format(fmt_sink_out, &s, "[%3s|%-4x|%c]", "ok", 0xa, 'z');

    EXPECT_EQ(n, 12);
    EXPECT_EQ(s.n, 12);
    EXPECT_STR(s.buf, "[ ok|a   |z]");
}

/* ---- differential test against the host libc ---------------------------- */

static const char *const fmt_lens[] = {"hh", "h", "", "l", "ll", "z", "j", "t"};

/* Call both engines with a spec and one integer argument of the right type. */
static int fmt_diff_int(char *mine, char *ref, size_t n, const char *f,
                        unsigned li, int is_signed, uint64_t v)
{
#define FMT_BOTH(T)                                                         \
    do {                                                                    \
        fmt_snprintf(mine, n, f, (T)v);                                     \
        return snprintf(ref, n, f, (T)v);                                   \
    } while (0)
    switch (li) {
    case 0: case 1: case 2:
        if (is_signed)
            FMT_BOTH(int);
        FMT_BOTH(unsigned);
    case 3: if (is_signed) FMT_BOTH(long); FMT_BOTH(unsigned long);
    case 4: if (is_signed) FMT_BOTH(long long); FMT_BOTH(unsigned long long);
    case 5: FMT_BOTH(size_t);
    case 6: if (is_signed) FMT_BOTH(intmax_t); FMT_BOTH(uintmax_t);
    default: FMT_BOTH(ptrdiff_t);
    }
#undef FMT_BOTH
}

/* Build a random integer spec into f. */
static void fmt_random_spec(struct core_rng *r, char *f, size_t size,
                            unsigned li, char conv)
{
    char flags[6];
    int nf = 0;
    const char *all = "-0# +";

    for (int i = 0; i < 5; i++)
        if (core_rng_below(r, 4) == 0)
            flags[nf++] = all[i];
    flags[nf] = 0;
    char width[8] = "", prec[8] = "";
    if (core_rng_below(r, 2))
        fmt_snprintf(width, sizeof(width), "%d", (int)core_rng_below(r, 30));
    if (core_rng_below(r, 2))
        fmt_snprintf(prec, sizeof(prec), ".%d", (int)core_rng_below(r, 25));
    fmt_snprintf(f, size, "%%%s%s%s%s%c", flags, width, prec, fmt_lens[li],
                 conv);
}

TEST(fmt_differential_vs_libc)
{
    struct core_rng r = {0x1234567887654321ull};
    const char convs[] = "diuxXo";
    char f[32], mine[128], ref[128];
    int bad = 0;

    for (int i = 0; i < 20000 && bad < 5; i++) {
        unsigned li = (unsigned)core_rng_below(&r, 8);
        char conv = convs[core_rng_below(&r, 6)];
        uint64_t v = core_rng_next(&r) >> core_rng_below(&r, 64);
        if (core_rng_below(&r, 8) == 0)
            v = core_rng_below(&r, 3);     /* 0, 1, 2: edge cases */
        if (core_rng_below(&r, 4) == 0)
            v = -v;
        fmt_random_spec(&r, f, sizeof(f), li, conv);
        int want = fmt_diff_int(mine, ref, sizeof(mine), f, li,
                                conv == 'd' || conv == 'i', v);
        if (strcmp(mine, ref) != 0 || want != (int)strlen(ref)) {
            printf("  spec \"%s\" value %#llx: got \"%s\" want \"%s\"\n", f,
                   (unsigned long long)v, mine, ref);
            bad++;
        }
    }
    EXPECT_EQ(bad, 0);
}

TEST(fmt_differential_strings_vs_libc)
{
    struct core_rng r = {42};
    const char *strs[] = {"", "a", "hello", "a longer string, 25 chars"};
    char f[32], mine[128], ref[128];
    int bad = 0;

    for (int i = 0; i < 2000; i++) {
        const char *s = strs[core_rng_below(&r, 4)];
        char conv = core_rng_below(&r, 4) ? 's' : 'c';
        fmt_snprintf(f, sizeof(f), "%%%s%.0d%s%c",
                     core_rng_below(&r, 2) ? "-" : "",
                     (int)core_rng_below(&r, 30), /* %.0d of 0 is "" */
                     core_rng_below(&r, 2) ? ".3" : "", conv);
        if (conv == 's') {
            fmt_snprintf(mine, sizeof(mine), f, s);
            snprintf(ref, sizeof(ref), f, s);
        } else {
            fmt_snprintf(mine, sizeof(mine), f, 'q');
            snprintf(ref, sizeof(ref), f, 'q');
        }
        if (strcmp(mine, ref) != 0 && bad++ < 5)
            printf("  spec \"%s\": got \"%s\" want \"%s\"\n", f, mine, ref);
    }
    EXPECT_EQ(bad, 0);
}
