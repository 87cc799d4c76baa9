/* SPDX-License-Identifier: MIT */
/*
 * bench.c - Linux side of `make bench`: main, boot figures, and the
 * single-process workloads (null system call, mmap/touch/munmap,
 * fork/exit/wait, posix_spawn/wait).
 *
 * Runs as /init (pid 1) of a deterministic initramfs under the QEMU
 * command of docs/performance.md and powers the machine off at the end.
 * Run as an ordinary process (pid != 1, e.g. `bench smoke` on the host for
 * the smoke test) it just exits.  The first thing main does is read the
 * TSC: instructions from machine reset to the first line of /init.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lbench.h"

const char *bench_os = "linux";
uint64_t bench_scale = 1;

extern char **environ;

uint64_t lb_n(uint64_t n)
{
    return n / bench_scale ? n / bench_scale : 1;
}

/* End the run: as pid 1, QEMU's isa-debug-exit port (exit status
 * 2 * code + 1: 33 = success, 35 = failure), power-off as a fallback. */
static _Noreturn void lb_exit(int code)
{
    fflush(stdout);
    if (getpid() != 1)
        exit(code);
    if (ioperm(0xf4, 4, 1) == 0)
        outl(code ? 0x11 : 0x10, 0xf4);
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

_Noreturn void lb_die(const char *what)
{
    printf("BENCHFAIL os=linux what=%s errno=%d\n", what, errno);
    lb_exit(1);
}

/* As pid 1 the initramfs has no /dev/console: mount devtmpfs and make
 * the serial port stdout/stderr. */
static void setup_console(void)
{
    if (getpid() != 1)
        return;
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    if (fd < 0)
        fd = open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
}

/* ---- null system call ---------------------------------------------------- */

/* getppid with a bare `syscall` (no libc wrapper in the timed loop). */
static void op_getppid(void *ctx, uint64_t n)
{
    (void)ctx;
    for (uint64_t i = 0; i < n; i++) {
        long r = SYS_getppid;
        __asm__ volatile("syscall" : "+a"(r) : : "rcx", "r11", "memory");
    }
}

/* ---- anonymous memory ---------------------------------------------------- */

/* mmap npages anonymous pages, write one byte to each, munmap. */
static void map_touch_unmap(uint64_t npages)
{
    size_t len = npages * 4096;
    volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        lb_die("mmap");
    for (size_t off = 0; off < len; off += 4096)
        p[off] = 1;
    munmap((void *)p, len);
}

static void op_map(void *ctx, uint64_t n)
{
    uint64_t pages = *(uint64_t *)ctx;
    for (uint64_t i = 0; i < n; i++)
        map_touch_unmap(pages);
}

/* ---- processes ----------------------------------------------------------- */

static void op_fork(void *ctx, uint64_t n)
{
    (void)ctx;
    for (uint64_t i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0 || waitpid(pid, NULL, 0) != pid)
            lb_die("fork");
    }
}

static void op_spawn(void *ctx, uint64_t n)
{
    char *const argv[] = {"tiny", NULL};
    for (uint64_t i = 0; i < n; i++) {
        pid_t pid;
        if (posix_spawn(&pid, (const char *)ctx, NULL, NULL, argv, environ))
            lb_die("posix_spawn");
        if (waitpid(pid, NULL, 0) != pid)
            lb_die("waitpid");
    }
}

/* The tiny static program to spawn: /tiny under QEMU, next to us else. */
static const char *tiny_path(const char *argv0)
{
    static char path[256];
    if (getpid() == 1)
        return "/tiny";
    const char *slash = strrchr(argv0, '/');
    int dir = slash ? (int)(slash - argv0) : 1;
    snprintf(path, sizeof path, "%.*s/tiny", dir, slash ? argv0 : ".");
    return path;
}

/* ---- boot figures -------------------------------------------------------- */

static void boot_figures(uint64_t tsc_at_init)
{
    struct sysinfo si;
    if (getpid() == 1)
        bench_value("boot_to_user", tsc_at_init, "ticks-since-reset");
    if (sysinfo(&si) == 0)
        bench_value("ram_in_use_at_init",
                    (uint64_t)(si.totalram - si.freeram) * si.mem_unit,
                    "bytes");
}

static void single_process(const char *argv0)
{
    static uint64_t one = 1, many = 256;
    bench_report("getppid", op_getppid, NULL, lb_n(1000), "insn/op");
    bench_report("mmap_1", op_map, &one, lb_n(100), "insn/op");
    bench_report("mmap_256", op_map, &many, lb_n(4), "insn/op");
    bench_report("fork_exit_wait", op_fork, NULL, lb_n(16), "insn/op");
    bench_report("posix_spawn_wait", op_spawn, (void *)tiny_path(argv0),
                 lb_n(16), "insn/op");
}

int main(int argc, char **argv)
{
    uint64_t tsc_at_init = bench_tsc();
    setup_console();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && !strcmp(argv[1], "smoke"))
        bench_scale = 100;
    printf("BENCHSTART os=linux scale=%llu pid=%d\n",
           (unsigned long long)bench_scale, (int)getpid());
    boot_figures(tsc_at_init);
    single_process(argv[0]);
    lb_uring();
    lb_pairs();
    printf("BENCHEND os=linux status=ok\n");
    lb_exit(0);
}
