/* SPDX-License-Identifier: MIT */
/*
 * test_fd.c - the POSIX layer's descriptor table (lib/posix/fd.c): lowest
 * free descriptor, EMFILE, EBADF for every bad descriptor, dup/dup2/dup3
 * and fcntl semantics, and that a file is released exactly once, when its
 * last descriptor closes.
 */
#include <common/test.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "../../../lib/posix/fd.h"

static int released;

static void count_release(struct posix_file *f)
{
    (void)f;
    released++;
}

static const struct posix_file_ops ops = {.release = count_release};

static struct posix_fdtab tab;
static struct posix_file a, b;

static void setup(void)
{
    memset(&tab, 0, sizeof tab);
    a = (struct posix_file){.ops = &ops, .status_flags = O_RDWR};
    b = (struct posix_file){.ops = &ops, .status_flags = O_RDONLY};
    released = 0;
}

TEST(fd_install_lowest_free)
{
    setup();
    EXPECT_EQ(posix_fd_install(&tab, &a, 0, false), 0);
    EXPECT_EQ(posix_fd_install(&tab, &a, 0, false), 1);
    EXPECT_EQ(posix_fd_install(&tab, &b, 5, true), 5);
    EXPECT_EQ(posix_fd_install(&tab, &b, 0, false), 2);
    EXPECT_EQ(a.refs, 2u);
    EXPECT_EQ(b.refs, 2u);
    EXPECT_EQ(posix_fd_close(&tab, 1), 0);
    EXPECT_EQ(posix_fd_install(&tab, &b, 0, false), 1);
    EXPECT_TRUE(posix_fd_get(&tab, 5) == &b);
    EXPECT_EQ(posix_fd_fcntl(&tab, 5, F_GETFD, 0), FD_CLOEXEC);
    EXPECT_EQ(posix_fd_fcntl(&tab, 2, F_GETFD, 0), 0);
}

TEST(fd_full_table_is_emfile)
{
    setup();
    for (int i = 0; i < POSIX_FD_MAX; i++)
        EXPECT_EQ(posix_fd_install(&tab, &a, 0, false), i);
    EXPECT_EQ(posix_fd_install(&tab, &a, 0, false), -EMFILE);
    EXPECT_EQ(posix_fd_dup(&tab, 0), -EMFILE);
    EXPECT_EQ(a.refs, (uint32_t)POSIX_FD_MAX);
    EXPECT_EQ(posix_fd_install(&tab, &a, POSIX_FD_MAX, false), -EINVAL);
    EXPECT_EQ(posix_fd_install(&tab, &a, -1, false), -EINVAL);
    for (int i = 0; i < POSIX_FD_MAX; i++)
        EXPECT_EQ(posix_fd_close(&tab, i), 0);
    EXPECT_EQ(released, 1);
}

TEST(fd_bad_descriptors_are_ebadf)
{
    setup();
    posix_fd_install(&tab, &a, 0, false);
    const long bad[] = {-1, 1, POSIX_FD_MAX, POSIX_FD_MAX + 1, 1l << 40,
                        -(1l << 40)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT_TRUE(posix_fd_get(&tab, bad[i]) == NULL);
        EXPECT_EQ(posix_fd_close(&tab, bad[i]), -EBADF);
        EXPECT_EQ(posix_fd_dup(&tab, bad[i]), -EBADF);
        EXPECT_EQ(posix_fd_dup2(&tab, bad[i], 3), -EBADF);
        EXPECT_EQ(posix_fd_dup2(&tab, 0, bad[i] == 1 ? -1 : bad[i]), -EBADF);
        EXPECT_EQ(posix_fd_fcntl(&tab, bad[i], F_GETFL, 0), -EBADF);
    }
    EXPECT_EQ(a.refs, 1u);
    EXPECT_EQ(posix_fd_close(&tab, 0), 0);
    EXPECT_EQ(posix_fd_close(&tab, 0), -EBADF);   /* closed twice */
    EXPECT_EQ(released, 1);
}

TEST(fd_release_on_last_close_only)
{
    setup();
    posix_fd_install(&tab, &a, 0, false);
    EXPECT_EQ(posix_fd_dup(&tab, 0), 1);
    EXPECT_EQ(posix_fd_close(&tab, 0), 0);
    EXPECT_EQ(released, 0);
    EXPECT_EQ(posix_fd_close(&tab, 1), 0);
    EXPECT_EQ(released, 1);
    EXPECT_EQ(a.refs, 0u);
}

TEST(fd_dup2_replaces_and_keeps_same)
{
    setup();
    posix_fd_install(&tab, &a, 0, false);
    posix_fd_install(&tab, &b, 0, false);
    EXPECT_EQ(posix_fd_dup2(&tab, 0, 0), 0);      /* same: nothing happens */
    EXPECT_EQ(a.refs, 1u);
    EXPECT_EQ(posix_fd_dup2(&tab, 0, 1), 1);      /* b's only fd goes */
    EXPECT_EQ(released, 1);
    EXPECT_TRUE(posix_fd_get(&tab, 1) == &a);
    EXPECT_EQ(a.refs, 2u);
    EXPECT_EQ(posix_fd_dup2(&tab, 0, 1), 1);      /* onto its own file */
    EXPECT_EQ(a.refs, 2u);
    EXPECT_EQ(released, 1);
    EXPECT_EQ(posix_fd_dup2(&tab, 0, 63), 63);
    EXPECT_EQ(posix_fd_fcntl(&tab, 63, F_GETFD, 0), 0);
}

TEST(fd_dup3_flags_and_same)
{
    setup();
    posix_fd_install(&tab, &a, 0, false);
    EXPECT_EQ(posix_fd_dup3(&tab, 0, 0, 0, O_CLOEXEC), -EINVAL);
    EXPECT_EQ(posix_fd_dup3(&tab, 4, 4, 0, O_CLOEXEC), -EBADF);
    EXPECT_EQ(posix_fd_dup3(&tab, 0, 2, O_NONBLOCK, O_CLOEXEC), -EINVAL);
    EXPECT_TRUE(posix_fd_get(&tab, 2) == NULL);
    EXPECT_EQ(posix_fd_dup3(&tab, 0, 2, O_CLOEXEC, O_CLOEXEC), 2);
    EXPECT_EQ(posix_fd_fcntl(&tab, 2, F_GETFD, 0), FD_CLOEXEC);
}

TEST(fd_fcntl_commands)
{
    setup();
    posix_fd_install(&tab, &a, 0, false);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_DUPFD, 10), 10);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_DUPFD_CLOEXEC, 10), 11);
    EXPECT_EQ(posix_fd_fcntl(&tab, 11, F_GETFD, 0), FD_CLOEXEC);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_DUPFD, POSIX_FD_MAX), -EINVAL);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_DUPFD, -3), -EINVAL);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_SETFD, FD_CLOEXEC), 0);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_GETFD, 0), FD_CLOEXEC);
    EXPECT_EQ(posix_fd_fcntl(&tab, 10, F_GETFD, 0), 0);   /* per descriptor */
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_GETFL, 0), O_RDWR);
    /* Only O_APPEND and O_NONBLOCK change; the access mode stays. */
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, F_SETFL, O_WRONLY | O_APPEND), 0);
    EXPECT_EQ(posix_fd_fcntl(&tab, 10, F_GETFL, 0), O_RDWR | O_APPEND);
    EXPECT_EQ(posix_fd_fcntl(&tab, 0, 9999, 0), -EINVAL);
}
