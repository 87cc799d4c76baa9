/* SPDX-License-Identifier: MIT */
/*
 * parse.h - the capability shell's command parser.  Pure C (no capOS
 * calls), unit-tested on the host (tests/host/term/parse_test.c).
 *
 * Grammar (docs/shell.md):
 *
 *   line    := command?
 *   command := "help" | "caps" | "jobs" | "echo" arg* | "exit" number?
 *            | "wait" number
 *            | ("run" | "spawn") arg arg* ("with" grants)?
 *   grants  := "{" (grant ("," grant)* ","?)? "}"
 *   grant   := name ":" "@" name
 *   arg     := word | string
 *   word    := a run of [A-Za-z0-9_./=+-] characters
 *   string  := '"' ... '"' with the escapes \" \\ \n \t
 *   name    := [A-Za-z_][A-Za-z0-9_-]*, at most SH_NAME_MAX bytes
 *
 * The first arg of run/spawn is the boot-package binary; the others are
 * its arguments.  A grant `child: @mine` gives the program the shell's
 * capability `mine` under the name `child`; the program gets exactly the
 * grants listed (nothing is inherited).  The parser only checks syntax
 * and limits; whether `mine` exists is the caller's business.  Any byte
 * string is a valid input: a bad one is answered with an error that
 * says where (byte column) and what was expected.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SH_NAME_MAX 27u       /* CapSet names the runtime allows */
#define SH_ARG_MAX 255u       /* one argument (the kernel's limit) */
#define SH_MAX_ARGS 8u        /* program arguments after the binary */
#define SH_MAX_GRANTS 8u      /* capabilities one CALL can transfer */
#define SH_TEXT_MAX 255u      /* echo's output */
#define SH_ERR_MAX 120u

enum sh_kind {
    SH_EMPTY = 0,   /* blank line */
    SH_HELP,
    SH_CAPS,
    SH_JOBS,
    SH_ECHO,        /* text */
    SH_EXIT,        /* num (0 if none) */
    SH_WAIT,        /* num */
    SH_RUN,         /* prog, args, grants; wait for it */
    SH_SPAWN,       /* the same, in the background */
};

struct sh_grant {
    char name[SH_NAME_MAX + 1];     /* the name the program sees */
    char cap[SH_NAME_MAX + 1];      /* the shell's capability */
};

struct sh_cmd {
    enum sh_kind kind;
    char prog[SH_ARG_MAX + 1];
    uint32_t nargs;
    char args[SH_MAX_ARGS][SH_ARG_MAX + 1];
    uint32_t ngrants;
    struct sh_grant grants[SH_MAX_GRANTS];
    int64_t num;
    char text[SH_TEXT_MAX + 1];
};

/* Parse line[len] into *cmd.  0 on success; -1 with a message in
 * err[SH_ERR_MAX + 1] (NUL-terminated, printable ASCII only) otherwise. */
int sh_parse(const char *line, size_t len, struct sh_cmd *cmd, char *err);
