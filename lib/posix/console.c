/* SPDX-License-Identifier: MIT */
/*
 * console.c - descriptors 0, 1 and 2 on the Console capability.
 *
 * Theory of operation: one open file (O_RDWR, a terminal for isatty)
 * backs all three descriptors, as a shell would open them.  A write goes
 * out as Console.write calls of at most CAPOS_CONSOLE_CHUNK bytes; if a
 * later chunk fails, the bytes already written are the result (a short
 * write), as POSIX has it.  Console has no input yet (serial input comes
 * with the terminal work): read returns 0, end of file.  The console cap
 * belongs to the CapSet, so closing the last descriptor releases nothing.
 */
#include <capos/kcaps.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "posix.h"

/* Console.write in chunks; bytes written or -errno. */
static long console_write(struct posix_file *f, const void *buf, size_t n)
{
    const char *p = buf;
    size_t done = 0;
    while (done < n) {
        size_t k = n - done > CAPOS_CONSOLE_CHUNK ? CAPOS_CONSOLE_CHUNK
                                                  : n - done;
        err_t e = posix_cap_console_write(f->cap, p + done, k);
        if (e != ERR_OK)
            return done ? (long)done : posix_err(e);
        done += k;
    }
    return (long)done;
}

/* No input yet: end of file. */
static long console_read(struct posix_file *f, void *buf, size_t n)
{
    (void)f, (void)buf, (void)n;
    return 0;
}

/* A character device. */
static long console_fstat(struct posix_file *f, struct posix_stat *st)
{
    (void)f;
    st->mode = S_IFCHR | 0620;
    st->size = 0;
    st->ino = 1;
    st->rdev = 0x0501;              /* Linux's 5:1, /dev/console */
    return 0;
}

static const struct posix_file_ops console_ops = {
    .read = console_read,
    .write = console_write,
    .fstat = console_fstat,
    .is_tty = true,
};

static struct posix_file console_file = {
    .ops = &console_ops,
    .status_flags = O_RDWR,
};

/* Install the console at 0, 1, 2 if it was granted. */
void posix_console_init(void)
{
    if (posix.caps.console == CAPS_NONE)
        return;
    console_file.cap = posix.caps.console;
    for (int i = 0; i < 3; i++)
        posix_fd_install(&posix.fds, &console_file, i, false);
}
