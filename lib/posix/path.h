/* SPDX-License-Identifier: MIT */
/*
 * path.h - path resolution against the process's mount table.
 *
 * Theory of operation: there is no ambient root.  The namespace root "/"
 * is a directory that holds only the mount points, each a single name
 * ("/boot"); a path outside every mount is ENOENT.  A path is resolved
 * component by component, relative ones from the current directory: "."
 * and empty components are skipped, ".." goes up one component but never
 * out of a mount (at a mount's root it stays there; at "/" too).  The
 * result is the mount and the path inside it ("" for its root, else
 * "a/b").  Pure code, tested on the host.
 */
#pragma once

#include <stddef.h>

#define POSIX_PATH_MAX 4096         /* PATH_MAX, including the NUL */
#define POSIX_NAME_MAX 255
#define POSIX_MOUNT_ROOT (-1)       /* the namespace root itself */

/* Resolve path (from cwd, an absolute resolved path, when relative)
 * against the mount points names[n].  On success 0, *mount = the index
 * of the mount or POSIX_MOUNT_ROOT, and rel[POSIX_PATH_MAX] the path
 * inside it.  Errors: -EFAULT (path NULL), -ENOENT (empty, or a name
 * under "/" that is no mount point), -ENAMETOOLONG (path or cwd+path of
 * POSIX_PATH_MAX bytes or more, or a component over POSIX_NAME_MAX). */
long posix_path_resolve(const char *cwd, const char *path,
                        const char *const *names, int n, int *mount,
                        char *rel);
