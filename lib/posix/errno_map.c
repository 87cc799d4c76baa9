/* SPDX-License-Identifier: MIT */
/*
 * errno_map.c - the capOS error -> errno table (see errno_map.h).  Built
 * from abi/errors.def, so a new capOS error without an errno here does not
 * compile.
 */
#include <errno.h>

#include "errno_map.h"

/* errno for each capOS error, by name. */
#define ERRNO_OK            0
#define ERRNO_INVAL         EINVAL
#define ERRNO_BADCAP        EBADF       /* the cap behind a descriptor */
#define ERRNO_WRONGTYPE     EOPNOTSUPP  /* the object cannot do this */
#define ERRNO_RANGE         EINVAL      /* argument outside what is served */
#define ERRNO_FAULT         EFAULT
#define ERRNO_NOMEM         ENOMEM
#define ERRNO_QUOTA         ENOMEM      /* frames, records or cap slots */
#define ERRNO_FULL          EAGAIN      /* try again when the queue drains */
#define ERRNO_BUSY          EBUSY
#define ERRNO_EXISTS        EEXIST
#define ERRNO_NOTFOUND      ENOENT
#define ERRNO_REVOKED       EACCES      /* the grant was taken away */
#define ERRNO_DISCONNECTED  EPIPE       /* the serving process is gone */
#define ERRNO_TOOSMALL      ERANGE      /* result larger than the buffer */
#define ERRNO_TIMEOUT       ETIMEDOUT
#define ERRNO_NOSYS         ENOSYS
#define ERRNO_PERM          EPERM
#define ERRNO_BADFORMAT     EIO         /* a malformed reply */
#define ERRNO_OVERFLOW      EOVERFLOW

static const int errno_table[] = {
#define ERR(name, value, msg) [value] = ERRNO_##name,
#include <abi/errors.def>
#undef ERR
};

/* Look e up; EIO outside the list. */
int posix_errno_from_err(err_t e)
{
    if ((unsigned long)e >= sizeof errno_table / sizeof errno_table[0])
        return EIO;
    int v = errno_table[e];
    return v || e == ERR_OK ? v : EIO;      /* a gap in the list */
}
