/* SPDX-License-Identifier: MIT */
/*
 * hello.c - a demo program for the shell (docs/shell.md): it shows the
 * capabilities it was given (exactly those `run ... with { }` named) and
 * its arguments, then, if it holds a terminal "stdio":
 *   - with no arguments, asks for a name (Ctrl-C: exit 130, Ctrl-D: 0);
 *   - with the argument "wait", waits for Ctrl-C and exits 130.
 * Without "stdio" it writes to "console" if it has one, else exits 2.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#include "../term/tsclient.h"

static uint32_t io;

/* Write a line to stdio, or to the console through printf. */
static void out(const char *s)
{
    if (io)
        tsc_puts(io, s);
    else
        printf("%s", s);
}

static void show_caps(int argc, char **argv)
{
    char buf[96];
    snprintf(buf, sizeof buf, "hello: %u capabilities:",
             capos_capset_count());
    out(buf);
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        snprintf(buf, sizeof buf, " %s", capos_capset_entry(i)->name);
        out(buf);
    }
    out("\n");
    for (int i = 1; i < argc; i++) {
        snprintf(buf, sizeof buf, "hello: argument %d: \"%.60s\"\n", i, argv[i]);
        out(buf);
    }
}

static int ask_name(void)
{
    char line[TSC_LINE_MAX + 1];
    enum tsc_end end;
    err_t e = tsc_read_line(io, "What is your name? ", line, &end);
    if (e != ERR_OK) {
        printf("hello: readLine: %s\n", err_name(e));
        return 1;
    }
    if (end == TSC_INTR) {
        out("hello: interrupted\n");
        return 130;
    }
    if (end == TSC_EOF)
        return 0;
    tsc_printf(io, "Hello, %s!\n", line);
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t con;
    io = tsc_find("stdio");
    if (!io && capos_capset_find("console", CAPOS_CONSOLE_INTERFACE_ID, &con))
        return 2;
    show_caps(argc, argv);
    if (!io)
        return 0;
    if (argc > 1 && !strcmp(argv[1], "wait")) {
        uint32_t n = 0;
        out("hello: waiting for Ctrl-C\n");
        if (tsc_wait_interrupt(io, &n) != ERR_OK)
            return 1;
        tsc_printf(io, "hello: got %u interrupt(s)\n", n);
        return 130;
    }
    return ask_name();
}
