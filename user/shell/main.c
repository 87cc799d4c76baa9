/* SPDX-License-Identifier: MIT */
/*
 * main.c - the capability shell (docs/shell.md).
 *
 * Theory of operation.  The shell talks to the person through its
 * "stdio" TerminalSession (readLine with the terminal's line editing;
 * write).  Each line is parsed (parse.c) and run: `run "prog" with
 * { name: @cap }` spawns the boot-package binary through the "spawner"
 * ProcessSpawner with exactly the grants written (copies of the shell's
 * own caps, nothing inherited) and waits for it; `spawn` does the same in
 * the background (a job; `jobs`, `wait N`).  Every failure is reported
 * with what was wrong and the shell carries on: only `exit` and Ctrl-D
 * end it.  A Ctrl-C at the prompt discards the line; during `run` the
 * terminal delivers it to the program (readLine/waitInterrupt), since a
 * ProcessHandle cannot stop a process yet.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#include "../term/tsclient.h"
#include "parse.h"

#define MAX_JOBS 8

struct job {
    uint32_t handle;             /* 0: free */
    char name[SH_ARG_MAX + 1];
};

static uint32_t io;              /* the stdio TerminalSession */
static struct job jobs[MAX_JOBS];

static const struct {
    uint64_t id;
    const char *name;
} ifaces[] = {
    {CAPOS_CONSOLE_INTERFACE_ID, "Console"},
    {CAPOS_TIMER_INTERFACE_ID, "Timer"},
    {CAPOS_SERIAL_INTERFACE_ID, "Serial"},
    {CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, "FrameAllocator"},
    {CAPOS_MEMORY_OBJECT_INTERFACE_ID, "MemoryObject"},
    {CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, "VirtualMemory"},
    {CAPOS_ENDPOINT_INTERFACE_ID, "Endpoint"},
    {CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, "ClientEndpoint"},
    {CAPOS_PROCESS_SPAWNER_INTERFACE_ID, "ProcessSpawner"},
    {CAPOS_PROCESS_HANDLE_INTERFACE_ID, "ProcessHandle"},
    {CAPOS_BOOT_PACKAGE_INTERFACE_ID, "BootPackage"},
    {CAPOS_CAPABILITY_MANAGER_INTERFACE_ID, "CapabilityManager"},
    {CAPOS_THREAD_CONTROL_INTERFACE_ID, "ThreadControl"},
    {CAPOS_TERMINAL_SESSION_INTERFACE_ID, "TerminalSession"},
    {CAPOS_KEY_VALUE_INTERFACE_ID, "KeyValue"},
};

static const char *iface_name(uint64_t id)
{
    for (size_t i = 0; i < sizeof ifaces / sizeof ifaces[0]; i++)
        if (ifaces[i].id == id)
            return ifaces[i].name;
    return NULL;
}

static const struct capos_capset_entry *cap_named(const char *name)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++)
        if (!strcmp(capos_capset_entry(i)->name, name))
            return capos_capset_entry(i);
    return NULL;
}

static void cmd_help(void)
{
    tsc_puts(io,
        "commands:\n"
        "  help                      this text\n"
        "  caps                      the capabilities this shell holds\n"
        "  echo WORD|\"TEXT\"...       print the words\n"
        "  run PROG [ARG...] [with { NAME: @CAP, ... }]\n"
        "                            start boot-package program PROG with\n"
        "                            exactly the listed capabilities (the\n"
        "                            shell's CAP, seen as NAME) and wait\n"
        "  spawn PROG ... [with {...}] the same in the background\n"
        "  jobs                      background programs; wait N waits for one\n"
        "  exit [CODE]               leave the shell (Ctrl-D too)\n"
        "keys: arrows, Home/End, Backspace/Delete, Ctrl-A/E/K/U/W, Up/Down for\n"
        "history, Ctrl-C discards the line; leave QEMU with Ctrl-a x\n");
}

static void cmd_caps(void)
{
    tsc_printf(io, "%-12s %-18s %s\n", "name", "interface", "cap");
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        const char *n = iface_name(e->interface_id);
        if (n)
            tsc_printf(io, "%-12s %-18s %#x\n", e->name, n, e->cap_id);
        else
            tsc_printf(io, "%-12s %#-18llx %#x\n", e->name,
                       (unsigned long long)e->interface_id, e->cap_id);
    }
}

/* The grants of c as spawn grants; false (after saying which) if one
 * names a capability the shell does not hold. */
static bool resolve(const struct sh_cmd *c, struct capos_spawn_grant *g)
{
    for (uint32_t i = 0; i < c->ngrants; i++) {
        const struct capos_capset_entry *e = cap_named(c->grants[i].cap);
        if (!e) {
            tsc_printf(io, "%s: no capability named @%s (see \"caps\")\n",
                       c->kind == SH_RUN ? "run" : "spawn", c->grants[i].cap);
            return false;
        }
        g[i] = (struct capos_spawn_grant){c->grants[i].name, e->cap_id,
                                          e->interface_id, XFER_COPY};
    }
    return true;
}

/* Start c's program; its ProcessHandle into *h. */
static bool start(const struct sh_cmd *c, uint32_t *h)
{
    struct capos_spawn_grant g[SH_MAX_GRANTS];
    const char *args[SH_MAX_ARGS];
    const struct capos_capset_entry *sp = cap_named("spawner");
    const char *verb = c->kind == SH_RUN ? "run" : "spawn";
    if (!sp || sp->interface_id != CAPOS_PROCESS_SPAWNER_INTERFACE_ID) {
        tsc_printf(io, "%s: this shell holds no ProcessSpawner \"spawner\"\n",
                   verb);
        return false;
    }
    if (!resolve(c, g))
        return false;
    for (uint32_t i = 0; i < c->nargs; i++)
        args[i] = c->args[i];
    err_t e = capos_spawner_spawn_args(sp->cap_id, c->prog, c->prog, g,
                                       c->ngrants, args, c->nargs, h);
    if (e == ERR_NOTFOUND)
        tsc_printf(io, "%s: no program \"%s\" in the boot package\n", verb,
                   c->prog);
    else if (e == ERR_BADFORMAT)
        tsc_printf(io, "%s: \"%s\" is not a valid program\n", verb, c->prog);
    else if (e != ERR_OK)
        tsc_printf(io, "%s: cannot start \"%s\": %s\n", verb, c->prog,
                   err_name(e));
    return e == ERR_OK;
}

/* Wait for h, report a non-zero exit code, release h. */
static void finish(uint32_t h, const char *name, int job)
{
    int64_t code = 0;
    err_t e = capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL);
    if (e != ERR_OK)
        tsc_printf(io, "wait: %s\n", err_name(e));
    else if (job)
        tsc_printf(io, "[%d] %s exited with code %lld\n", job, name,
                   (long long)code);
    else if (code)
        tsc_printf(io, "%s exited with code %lld\n", name, (long long)code);
    capos_release(h);
}

static void cmd_run(const struct sh_cmd *c)
{
    uint32_t h;
    if (start(c, &h))
        finish(h, c->prog, 0);
}

static void cmd_spawn(const struct sh_cmd *c)
{
    int j = 0;
    uint32_t h;
    while (j < MAX_JOBS && jobs[j].handle)
        j++;
    if (j == MAX_JOBS) {
        tsc_puts(io, "spawn: 8 jobs already; wait for one first\n");
        return;
    }
    if (!start(c, &h))
        return;
    jobs[j].handle = h;
    strlcpy(jobs[j].name, c->prog, sizeof jobs[j].name);
    tsc_printf(io, "[%d] %s\n", j + 1, c->prog);
}

static void cmd_jobs(void)
{
    for (int j = 0; j < MAX_JOBS; j++)
        if (jobs[j].handle)
            tsc_printf(io, "[%d] %s\n", j + 1, jobs[j].name);
}

static void cmd_wait(int64_t n)
{
    if (n < 1 || n > MAX_JOBS || !jobs[n - 1].handle) {
        tsc_printf(io, "wait: no job %lld (see \"jobs\")\n", (long long)n);
        return;
    }
    finish(jobs[n - 1].handle, jobs[n - 1].name, (int)n);
    jobs[n - 1].handle = 0;
}

/* Run one parsed command; false for exit. */
static bool execute(const struct sh_cmd *c)
{
    switch (c->kind) {
    case SH_EMPTY: break;
    case SH_HELP: cmd_help(); break;
    case SH_CAPS: cmd_caps(); break;
    case SH_JOBS: cmd_jobs(); break;
    case SH_ECHO: tsc_printf(io, "%s\n", c->text); break;
    case SH_EXIT: return false;
    case SH_WAIT: cmd_wait(c->num); break;
    case SH_RUN: cmd_run(c); break;
    case SH_SPAWN: cmd_spawn(c); break;
    }
    return true;
}

int main(void)
{
    static struct sh_cmd cmd;
    char line[TSC_LINE_MAX + 1], err[SH_ERR_MAX + 1];
    enum tsc_end end;

    if (!(io = tsc_find("stdio")))
        return 2;
    tsc_puts(io, "capOS shell: type \"help\"; leave QEMU with Ctrl-a x\n");
    for (;;) {
        err_t e = tsc_read_line(io, "capos> ", line, &end);
        if (e == ERR_BUSY)
            continue;               /* another reader had the terminal */
        if (e != ERR_OK)
            return 3;               /* the terminal is gone */
        if (end == TSC_EOF) {
            tsc_puts(io, "exit\n");
            return 0;
        }
        if (end == TSC_INTR)
            continue;
        if (sh_parse(line, strlen(line), &cmd, err)) {
            tsc_printf(io, "syntax error: %s\n", err);
            continue;
        }
        if (!execute(&cmd))
            return (int)cmd.num;
    }
}
