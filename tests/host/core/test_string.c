/*
 * test_string.c - memcpy/memmove/memset/memcmp over every length and
 * alignment combination against byte-loop references (with guard bytes),
 * overlapping memmove both ways, and the str* functions' edge cases.
 * Host builds call the common_* implementations through <common/string.h>.
 */
#include "core_test.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h> /* libc too: its declarations get renamed, harmlessly */

#define STR_BUF 160

static unsigned char str_src[STR_BUF] __attribute__((aligned(16)));
static unsigned char str_dst[STR_BUF] __attribute__((aligned(16)));
static unsigned char str_ref[STR_BUF] __attribute__((aligned(16)));

/* Fill buf with a position-dependent pattern seeded by seed. */
static void str_fill(unsigned char *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

/* Byte-loop reference of an overlapping move inside one buffer. */
static void str_ref_move(unsigned char *buf, size_t d, size_t s, size_t n)
{
    unsigned char tmp[STR_BUF];

    for (size_t i = 0; i < n; i++)
        tmp[i] = buf[s + i];
    for (size_t i = 0; i < n; i++)
        buf[d + i] = tmp[i];
}

/* First index where a and b differ, or n. */
static size_t str_diff(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return i;
    return n;
}

TEST(str_memcpy_all_alignments)
{
    int bad = 0;

    for (size_t so = 0; so < 8; so++)
        for (size_t dof = 0; dof < 8; dof++)
            for (size_t n = 0; n <= 100; n++) {
                str_fill(str_src, STR_BUF, 1);
                str_fill(str_dst, STR_BUF, 2);
                str_fill(str_ref, STR_BUF, 2);
                for (size_t i = 0; i < n; i++)
                    str_ref[dof + i] = str_src[so + i];
                void *r = memcpy(str_dst + dof, str_src + so, n);
                bad += r != str_dst + dof;
                bad += str_diff(str_dst, str_ref, STR_BUF) != STR_BUF;
            }
    EXPECT_EQ(bad, 0);
}

TEST(str_memmove_overlap_both_ways)
{
    int bad = 0;

    for (size_t s = 0; s < 24; s++)
        for (size_t d = 0; d < 24; d++)
            for (size_t n = 0; n <= 120; n += (n < 40 ? 1 : 7)) {
                str_fill(str_dst, STR_BUF, 3);
                str_fill(str_ref, STR_BUF, 3);
                str_ref_move(str_ref, d, s, n);
                void *r = memmove(str_dst + d, str_dst + s, n);
                bad += r != str_dst + d;
                bad += str_diff(str_dst, str_ref, STR_BUF) != STR_BUF;
            }
    EXPECT_EQ(bad, 0);
}

TEST(str_memset_all_alignments)
{
    int bad = 0;

    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n <= 120; n++) {
            str_fill(str_dst, STR_BUF, 4);
            str_fill(str_ref, STR_BUF, 4);
            for (size_t i = 0; i < n; i++)
                str_ref[off + i] = 0xa5;
            void *r = memset(str_dst + off, 0x3a5, n); /* (unsigned char) */
            bad += r != str_dst + off;
            bad += str_diff(str_dst, str_ref, STR_BUF) != STR_BUF;
        }
    EXPECT_EQ(bad, 0);
}

TEST(str_memcmp_sign_and_position)
{
    int bad = 0;

    for (size_t off = 0; off < 8; off++)
        for (size_t n = 1; n <= 64; n++)
            for (size_t pos = 0; pos < n; pos += 3) {
                str_fill(str_src, STR_BUF, 5);
                str_fill(str_dst, STR_BUF, 5);
                bad += memcmp(str_src + off, str_dst + off, n) != 0;
                str_dst[off + pos] = 0xff;
                str_src[off + pos] = 0x01;
                bad += memcmp(str_src + off, str_dst + off, n) >= 0;
                bad += memcmp(str_dst + off, str_src + off, n) <= 0;
                bad += memcmp(str_src + off, str_dst + off, pos) != 0;
            }
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(memcmp("a", "b", 0), 0);
    EXPECT_TRUE(memcmp("\x80", "\x7f", 1) > 0); /* unsigned compare */
}

TEST(str_strlen_strnlen)
{
    EXPECT_EQ(strlen(""), 0);
    EXPECT_EQ(strlen("capOS"), 5);
    EXPECT_EQ(strnlen("capOS", 3), 3);
    EXPECT_EQ(strnlen("capOS", 10), 5);
    EXPECT_EQ(strnlen("capOS", 0), 0);
    const char raw[2] = {'x', 'y'}; /* no NUL: must not read past max */
    EXPECT_EQ(strnlen(raw, 2), 2);
}

TEST(str_strcmp_strncmp)
{
    EXPECT_EQ(strcmp("", ""), 0);
    EXPECT_EQ(strcmp("abc", "abc"), 0);
    EXPECT_TRUE(strcmp("abc", "abd") < 0);
    EXPECT_TRUE(strcmp("abd", "abc") > 0);
    EXPECT_TRUE(strcmp("ab", "abc") < 0);
    EXPECT_TRUE(strcmp("abc", "ab") > 0);
    EXPECT_TRUE(strcmp("\xff", "a") > 0);
    EXPECT_EQ(strncmp("abcX", "abcY", 3), 0);
    EXPECT_TRUE(strncmp("abcX", "abcY", 4) < 0);
    EXPECT_EQ(strncmp("ab", "ab", 10), 0);
    EXPECT_TRUE(strncmp("ab", "abc", 10) < 0);
    EXPECT_EQ(strncmp("x", "y", 0), 0);
}

TEST(str_strchr)
{
    const char *s = "hello";

    EXPECT_TRUE(strchr(s, 'l') == s + 2);
    EXPECT_TRUE(strchr(s, 'h') == s);
    EXPECT_TRUE(strchr(s, 'z') == NULL);
    EXPECT_TRUE(strchr(s, '\0') == s + 5);
    EXPECT_TRUE(strchr(s, 'o' + 256) == s + 4); /* converted to char */
}

TEST(str_strlcpy)
{
    char buf[8];

    memset(buf, 'Z', sizeof(buf));
    EXPECT_EQ(strlcpy(buf, "abc", sizeof(buf)), 3);
    EXPECT_STR(buf, "abc");
    EXPECT_EQ(buf[4], 'Z');
    EXPECT_EQ(strlcpy(buf, "0123456789", sizeof(buf)), 10);
    EXPECT_STR(buf, "0123456");
    EXPECT_EQ(strlcpy(buf, "0123456", sizeof(buf)), 7);
    EXPECT_STR(buf, "0123456");
    memset(buf, 'Z', sizeof(buf));
    EXPECT_EQ(strlcpy(buf, "abc", 1), 3);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], 'Z');
    EXPECT_EQ(strlcpy(buf, "abc", 0), 3);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], 'Z');
}

TEST(str_host_names_are_ours)
{
    /* The macros in <common/string.h> route host calls to our code. */
    void *(*fn)(void *, const void *, size_t) = memcpy;

    EXPECT_TRUE(fn == common_memcpy);
}
