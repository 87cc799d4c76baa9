/* SPDX-License-Identifier: MIT */
/*
 * test_path.c - path resolution against the mount table (lib/posix/path.c):
 * mounts found by their first component, "." and "//" ignored, ".." never
 * leaving a mount or the root, relative paths from the current directory,
 * and the exact error of every bad path.
 */
#include <common/test.h>
#include <errno.h>
#include <string.h>

#include "../../../lib/posix/path.h"

static const char *const names[] = {"boot", "tmp"};
static char rel[POSIX_PATH_MAX];
static int m;

/* Resolve p from cwd; the error, and *m/rel on success. */
static long res(const char *cwd, const char *p)
{
    m = -99;
    return posix_path_resolve(cwd, p, names, 2, &m, rel);
}

TEST(path_mounts_and_normal_forms)
{
    EXPECT_EQ(res("/", "/boot/a.lua"), 0);
    EXPECT_EQ(m, 0);
    EXPECT_TRUE(strcmp(rel, "a.lua") == 0);
    EXPECT_EQ(res("/", "//tmp///x/./y//"), 0);
    EXPECT_EQ(m, 1);
    EXPECT_TRUE(strcmp(rel, "x/y") == 0);
    EXPECT_EQ(res("/", "/"), 0);
    EXPECT_EQ(m, POSIX_MOUNT_ROOT);
    EXPECT_TRUE(strcmp(rel, "") == 0);
    EXPECT_EQ(res("/", "/boot"), 0);
    EXPECT_EQ(m, 0);
    EXPECT_TRUE(strcmp(rel, "") == 0);
}

TEST(path_dotdot_never_leaves_a_mount)
{
    EXPECT_EQ(res("/", "/boot/../../../x"), 0);
    EXPECT_EQ(m, 0);
    EXPECT_TRUE(strcmp(rel, "x") == 0);
    EXPECT_EQ(res("/", "/tmp/a/b/../../c/.."), 0);
    EXPECT_EQ(m, 1);
    EXPECT_TRUE(strcmp(rel, "") == 0);
    EXPECT_EQ(res("/", "/../../.."), 0);
    EXPECT_EQ(m, POSIX_MOUNT_ROOT);
    EXPECT_EQ(res("/", "/../boot/x"), 0);
    EXPECT_EQ(m, 0);
    /* A deep chain: 1,000 ".." stay inside /tmp. */
    static char deep[POSIX_PATH_MAX];
    strcpy(deep, "/tmp");
    for (int i = 0; i < 1000; i++)
        strcat(deep, "/..");
    EXPECT_EQ(res("/", deep), 0);
    EXPECT_EQ(m, 1);
    EXPECT_TRUE(strcmp(rel, "") == 0);
}

TEST(path_relative_from_cwd)
{
    EXPECT_EQ(res("/boot", "x/y"), 0);
    EXPECT_EQ(m, 0);
    EXPECT_TRUE(strcmp(rel, "x/y") == 0);
    EXPECT_EQ(res("/boot/x", "../../z"), 0);
    EXPECT_EQ(m, 0);
    EXPECT_TRUE(strcmp(rel, "z") == 0);
    EXPECT_EQ(res("/", "tmp"), 0);
    EXPECT_EQ(m, 1);
    EXPECT_EQ(res("/", "."), 0);
    EXPECT_EQ(m, POSIX_MOUNT_ROOT);
}

TEST(path_errors)
{
    static char big[POSIX_PATH_MAX + 10];
    EXPECT_EQ(res("/", NULL), -EFAULT);
    EXPECT_EQ(res("/", ""), -ENOENT);
    EXPECT_EQ(res("/", "/etc/passwd"), -ENOENT);    /* outside every mount */
    EXPECT_EQ(res("/", "/bootx"), -ENOENT);
    EXPECT_EQ(res("/", "/boo"), -ENOENT);
    EXPECT_EQ(res("/", "etc"), -ENOENT);
    memset(big, 'a', POSIX_PATH_MAX);
    big[POSIX_PATH_MAX] = '\0';
    EXPECT_EQ(res("/", big), -ENAMETOOLONG);        /* PATH_MAX bytes */
    big[POSIX_PATH_MAX - 1] = '\0';
    EXPECT_EQ(res("/", big), -ENAMETOOLONG);        /* a long component */
    memcpy(big, "/tmp/", 5);
    memset(big + 5, 'b', 256);
    big[5 + 256] = '\0';
    EXPECT_EQ(res("/", big), -ENAMETOOLONG);        /* NAME_MAX + 1 */
    big[5 + 255] = '\0';
    EXPECT_EQ(res("/", big), 0);                    /* NAME_MAX is fine */
    /* cwd + relative path over PATH_MAX. */
    static char cwd[POSIX_PATH_MAX];
    memset(cwd, 'c', sizeof cwd - 100);
    cwd[0] = '/';
    cwd[sizeof cwd - 100] = '\0';
    EXPECT_EQ(res(cwd, "0123456789012345678901234567890123456789"
                       "01234567890123456789012345678901234567890123456789"
                       "0123456789"), -ENAMETOOLONG);
}
