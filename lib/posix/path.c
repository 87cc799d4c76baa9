/* SPDX-License-Identifier: MIT */
/*
 * path.c - path resolution (see path.h).
 */
#include <errno.h>
#include <string.h>

#include "path.h"

/* The mount named [s, s+len), or -1. */
static int find_mount(const char *const *names, int n, const char *s,
                      size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

/* Apply one component to (mount, rel); 0 or -ENOENT. */
static long step(const char *c, size_t len, const char *const *names, int n,
                 int *mount, char *rel, size_t *rlen)
{
    if (len == 1 && c[0] == '.')
        return 0;
    if (len == 2 && c[0] == '.' && c[1] == '.') {
        while (*rlen > 0 && rel[*rlen - 1] != '/')
            (*rlen)--;                  /* drop the last component */
        if (*rlen > 0)
            (*rlen)--;                  /* and its slash */
        rel[*rlen] = '\0';
        return 0;                       /* at a root: stay there */
    }
    if (*mount == POSIX_MOUNT_ROOT) {
        int m = find_mount(names, n, c, len);
        if (m < 0)
            return -ENOENT;
        *mount = m;
        return 0;
    }
    if (*rlen)
        rel[(*rlen)++] = '/';
    memcpy(rel + *rlen, c, len);        /* fits: rel is bounded by path */
    *rlen += len;
    rel[*rlen] = '\0';
    return 0;
}

/* Walk the components of one absolute or relative string. */
static long walk(const char *p, const char *const *names, int n, int *mount,
                 char *rel, size_t *rlen)
{
    while (*p) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            break;
        if (len > POSIX_NAME_MAX)
            return -ENAMETOOLONG;
        long r = step(p, len, names, n, mount, rel, rlen);
        if (r)
            return r;
        p += len;
    }
    return 0;
}

/* Resolve (see path.h). */
long posix_path_resolve(const char *cwd, const char *path,
                        const char *const *names, int n, int *mount,
                        char *rel)
{
    size_t rlen = 0;
    long r;
    if (!path)
        return -EFAULT;
    size_t plen = strnlen(path, POSIX_PATH_MAX);
    if (plen == POSIX_PATH_MAX)
        return -ENAMETOOLONG;
    if (plen == 0)
        return -ENOENT;
    *mount = POSIX_MOUNT_ROOT;
    rel[0] = '\0';
    if (path[0] != '/') {
        if (strnlen(cwd, POSIX_PATH_MAX) + 1 + plen >= POSIX_PATH_MAX)
            return -ENAMETOOLONG;
        if ((r = walk(cwd, names, n, mount, rel, &rlen)) != 0)
            return r;
    }
    return walk(path, names, n, mount, rel, &rlen);
}
