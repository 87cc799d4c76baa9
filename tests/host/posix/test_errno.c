/* SPDX-License-Identifier: MIT */
/*
 * test_errno.c - the capOS error -> errno table (lib/posix/errno_map.c):
 * every code of abi/errors.def has a non-zero errno (ERR_OK is 0), the
 * documented values, and EIO for values outside the list.
 */
#include <common/test.h>
#include <errno.h>

#include "../../../lib/posix/errno_map.h"

TEST(errno_every_code_mapped)
{
#define ERR(name, value, msg)                                               \
    if (value != 0)                                                         \
        EXPECT_NE(posix_errno_from_err(value), 0);
#include <abi/errors.def>
#undef ERR
    EXPECT_EQ(posix_errno_from_err(ERR_OK), 0);
}

TEST(errno_documented_values)
{
    EXPECT_EQ(posix_errno_from_err(ERR_INVAL), EINVAL);
    EXPECT_EQ(posix_errno_from_err(ERR_BADCAP), EBADF);
    EXPECT_EQ(posix_errno_from_err(ERR_WRONGTYPE), EOPNOTSUPP);
    EXPECT_EQ(posix_errno_from_err(ERR_RANGE), EINVAL);
    EXPECT_EQ(posix_errno_from_err(ERR_FAULT), EFAULT);
    EXPECT_EQ(posix_errno_from_err(ERR_NOMEM), ENOMEM);
    EXPECT_EQ(posix_errno_from_err(ERR_QUOTA), ENOMEM);
    EXPECT_EQ(posix_errno_from_err(ERR_FULL), EAGAIN);
    EXPECT_EQ(posix_errno_from_err(ERR_BUSY), EBUSY);
    EXPECT_EQ(posix_errno_from_err(ERR_EXISTS), EEXIST);
    EXPECT_EQ(posix_errno_from_err(ERR_NOTFOUND), ENOENT);
    EXPECT_EQ(posix_errno_from_err(ERR_REVOKED), EACCES);
    EXPECT_EQ(posix_errno_from_err(ERR_DISCONNECTED), EPIPE);
    EXPECT_EQ(posix_errno_from_err(ERR_TOOSMALL), ERANGE);
    EXPECT_EQ(posix_errno_from_err(ERR_TIMEOUT), ETIMEDOUT);
    EXPECT_EQ(posix_errno_from_err(ERR_NOSYS), ENOSYS);
    EXPECT_EQ(posix_errno_from_err(ERR_PERM), EPERM);
    EXPECT_EQ(posix_errno_from_err(ERR_BADFORMAT), EIO);
    EXPECT_EQ(posix_errno_from_err(ERR_OVERFLOW), EOVERFLOW);
}

TEST(errno_outside_the_list_is_eio)
{
    EXPECT_EQ(posix_errno_from_err(-1), EIO);
    EXPECT_EQ(posix_errno_from_err(20), EIO);
    EXPECT_EQ(posix_errno_from_err(1 << 30), EIO);
}
