/* SPDX-License-Identifier: MIT */
/*
 * hello.c - an ordinary C program on musl over the POSIX layer
 * (docs/posix.md), in three manifest tests (the boot package has room for
 * one binary):
 *
 *   POSIX0001  stdio, floats, malloc, time, files, errno...; exits with 3
 *   POSIX0002  argv[3] = "signals": signals raised by the process, ending
 *              in abort() (exit code 134)
 *   POSIX0003  no ThreadControl grant: the POSIX layer prints a message
 *              and exits with 127 before main
 *
 * Each test's console output is compared byte for byte with
 * tests/posix/NAME.out, and its exit code with the manifest's expect=;
 * every line that depends on the machine (times, addresses) is reduced to
 * a check that prints a fixed word.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* errno after a call that must fail with `want`. */
#define CHECK_ERRNO(call, want)                                             \
    do {                                                                    \
        errno = 0;                                                          \
        long r_ = (long)(call);                                             \
        if (r_ != -1 || errno != (want)) {                                  \
            printf("FAIL %s:%d: %s = %ld, errno %d (%s), want %s\n",        \
                   __FILE__, __LINE__, #call, r_, errno, strerror(errno),   \
                   #want);                                                  \
            failures++;                                                     \
        }                                                                   \
    } while (0)

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void formatting(void)
{
    char buf[128];
    printf("hello from musl on capOS\n");
    snprintf(buf, sizeof buf, "%.3f %e %g %g", 3.14159265, 12345.678, 0.0001,
             1e100);
    printf("floats: %s\n", buf);
    printf("ints: %d %u %x %lld %5s|%-5s|\n", -42, 42u, 0xbeefu,
           -9000000000000ll, "ab", "cd");
    printf("sqrt(2) = %.10f, pow(2, 0.5) = %.10f\n", sqrt(2.0), pow(2, 0.5));
    double d = strtod("  -1.25e3xyz", NULL);
    printf("strtod: %.2f, strtol: %ld\n", d, strtol("0x7f", NULL, 16));
    const char *six = getenv("CAPOS_NONE") ? "" : "abcdef";
    CHECK(snprintf(buf, 4, "%s", six) == 6 && strcmp(buf, "abc") == 0);
}

static void memory(void)
{
    enum { N = 2000 };
    static void *p[N];
    size_t total = 0;
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i * 7919 % 5000) + 1;
        if (i % 100 == 0)
            n = 200000 + (size_t)i * 10;        /* mmap-sized ones too */
        p[i] = malloc(n);
        CHECK(p[i] != NULL);
        if (p[i])
            memset(p[i], i & 0xff, n);
        total += n;
    }
    for (int i = 0; i < N; i += 2)
        free(p[i]);
    for (int i = 1; i < N; i += 2) {
        CHECK(((unsigned char *)p[i])[0] == (i & 0xff));
        free(p[i]);
    }
    void *big = calloc(1, 8u << 20);
    CHECK(big && ((char *)big)[(8u << 20) - 1] == 0);
    free(big);
    char *s = strdup("grow");
    for (int i = 0; i < 10 && s; i++) {
        char *t = realloc(s, strlen(s) * 2 + 1);
        CHECK(t != NULL);
        if (!t)
            break;
        s = t;
        strcat(s, s[0] == 'g' ? "grow" : "x");
    }
    free(s);
    printf("malloc: %d blocks, %zu bytes: ok\n", N, total);

    int v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (i * 37) % 64 - 20;
    qsort(v, 64, sizeof v[0], cmp_int);
    int sorted = 1;
    for (int i = 1; i < 64; i++)
        sorted &= v[i - 1] <= v[i];
    printf("qsort: %s, first %d last %d\n", sorted ? "sorted" : "NOT sorted",
           v[0], v[63]);

    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED && m[0] == 0 && m[3 * 4096 - 1] == 0);
    if (m != MAP_FAILED) {
        m[5000] = 7;
        CHECK(munmap(m, 3 * 4096) == 0);
    }
    CHECK_ERRNO(munmap((void *)0x400000, 4096), EINVAL);
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
          errno == EACCES);
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 1, 0) == MAP_FAILED &&
          errno == ENODEV);
}

static void timing(void)
{
    struct timespec a, b, req = {0, 20 * 1000 * 1000};
    struct timeval tv;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(nanosleep(&req, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000ll +
                   (b.tv_nsec - a.tv_nsec);
    CHECK(ns >= 20 * 1000 * 1000);
    CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_usec < 1000000);
    time_t t = time(NULL);
    CHECK(t != (time_t)-1 && t >= 0);
    CHECK(clock() != (clock_t)-1);
    req.tv_nsec = 1000000000;
    CHECK_ERRNO(nanosleep(&req, NULL), EINVAL);
    CHECK_ERRNO(clock_gettime((clockid_t)99, &a), EINVAL);
    printf("time: nanosleep(20 ms) took >= 20 ms: %s\n",
           ns >= 20 * 1000 * 1000 ? "ok" : "NO");
}

static void files(void)
{
    char buf[8];
    struct stat st;
    CHECK_ERRNO(open("/etc/passwd", O_RDONLY), ENOENT);
    printf("open(\"/etc/passwd\"): %s\n", strerror(ENOENT));
    FILE *f = fopen("/tmp/x", "w");
    CHECK(f == NULL && errno == ENOENT);
    CHECK_ERRNO(open("", O_RDONLY), ENOENT);
    CHECK_ERRNO(open(NULL, O_RDONLY), EFAULT);
    static char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    CHECK_ERRNO(open(longpath, O_RDONLY), ENAMETOOLONG);
    CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_ERRNO(mkdir("/d", 0755), ENOENT);
    CHECK_ERRNO(unlink("/d"), ENOENT);
    CHECK_ERRNO(rename("/a", "/b"), ENOENT);
    CHECK_ERRNO(openat(1, "rel", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(openat(40, "rel", O_RDONLY), EBADF);
    CHECK_ERRNO(close(99), EBADF);
    CHECK_ERRNO(close(-1), EBADF);
    CHECK_ERRNO(write(7, "x", 1), EBADF);
    CHECK_ERRNO(read(1000, buf, 1), EBADF);
    CHECK(read(0, buf, sizeof buf) == 0);               /* no input: EOF */
    CHECK_ERRNO(lseek(1, 0, SEEK_SET), ESPIPE);
    CHECK(fstat(1, &st) == 0 && S_ISCHR(st.st_mode));
    CHECK(isatty(1) == 1);
    int fd = dup(1);
    CHECK(fd == 3);
    CHECK(write(fd, "dup: ok\n", 8) == 8);
    CHECK(dup2(fd, 10) == 10 && close(fd) == 0 && close(10) == 0);
    CHECK_ERRNO(dup2(1, 64), EBADF);
    CHECK_ERRNO(dup3(1, 1, 0), EINVAL);
    CHECK(fcntl(1, F_GETFL) == O_RDWR);
    CHECK_ERRNO(fcntl(42, F_GETFD), EBADF);
    char cwd[16];
    CHECK(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0);
}

/* The read-only /boot mount: the boot package's files. */
static void boot_files(void)
{
    char buf[64], line[64];
    struct stat st;
    int fd = open("/boot/posix.txt", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 58);
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "first", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5);
    CHECK(pread(fd, buf, 6, 11) == 6 && memcmp(buf, "second", 6) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5);             /* pread keeps it */
    CHECK(lseek(fd, -4, SEEK_END) == 54 && read(fd, buf, 64) == 4);
    CHECK(read(fd, buf, 64) == 0);                  /* end of file */
    CHECK_ERRNO(lseek(fd, -100, SEEK_CUR), EINVAL);
    CHECK_ERRNO(lseek(fd, 0, 42), EINVAL);
    CHECK_ERRNO(write(fd, "x", 1), EBADF);          /* opened read-only */
    CHECK_ERRNO(pread(fd, buf, 1, -1), EINVAL);
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC && close(fd) == 0);
    CHECK_ERRNO(pread(1, buf, 1, 0), ESPIPE);

    FILE *f = fopen("/boot/posix.txt", "r");
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(line, sizeof line, f) && fgets(line, sizeof line, f));
        printf("fgets /boot/posix.txt, line 2: %s", line);
        fclose(f);
    }
    /* ".." never leaves a mount; "." and "//" are nothing. */
    CHECK(stat("/boot/../posix.txt", &st) == 0 && st.st_size == 58);
    CHECK(stat("/../../boot/./posix.txt", &st) == 0);
    CHECK(stat("//boot//", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_ERRNO(stat("/boot/posix.txt/x", &st), ENOTDIR);
    CHECK_ERRNO(stat("/boot/nothing", &st), ENOENT);
    CHECK_ERRNO(stat("/bootx/posix.txt", &st), ENOENT);
    /* Read-only: what exists is EROFS, what would be created too. */
    CHECK_ERRNO(open("/boot/posix.txt", O_WRONLY), EROFS);
    CHECK_ERRNO(open("/boot/posix.txt", O_RDWR), EROFS);
    CHECK_ERRNO(open("/boot/new", O_CREAT | O_WRONLY, 0644), EROFS);
    CHECK_ERRNO(open("/boot/posix.txt", O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERRNO(open("/boot/posix.txt", O_RDONLY | O_TRUNC), EROFS);
    fd = open("/boot/posix.txt", O_RDONLY | O_CREAT, 0644);  /* exists */
    CHECK(fd >= 0 && close(fd) == 0);
    CHECK_ERRNO(open("/boot/posix.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    CHECK_ERRNO(open("/boot", O_WRONLY), EISDIR);
    CHECK_ERRNO(read(open("/boot", O_RDONLY), buf, 1), EISDIR);
    CHECK(close(3) == 0);
    CHECK_ERRNO(mkdir("/boot/d", 0755), EROFS);
    CHECK_ERRNO(mkdir("/boot", 0755), EEXIST);
    CHECK_ERRNO(unlink("/boot/posix.txt"), EROFS);
    CHECK_ERRNO(unlink("/boot/nothing"), ENOENT);
    CHECK_ERRNO(rename("/boot/posix.txt", "/boot/y"), EROFS);
    CHECK_ERRNO(access("/boot/posix.txt", W_OK), EROFS);
    CHECK(access("/boot/posix.txt", R_OK) == 0);
    CHECK_ERRNO(readlink("/boot/posix.txt", buf, sizeof buf), EINVAL);

    /* Directories: "/" lists the mounts, /boot the package's files. */
    int seen_txt = 0, seen_boot = 0, n = 0;
    DIR *d = opendir("/boot");
    CHECK(d != NULL);
    for (struct dirent *e; d && (e = readdir(d)); n++)
        seen_txt |= strcmp(e->d_name, "posix.txt") == 0 && e->d_type == DT_REG;
    if (d) {
        rewinddir(d);
        CHECK(readdir(d) && readdir(d) && readdir(d));   /* ".", "..", one */
        closedir(d);
    }
    d = opendir("/");
    for (struct dirent *e; d && (e = readdir(d));)
        seen_boot |= strcmp(e->d_name, "boot") == 0 && e->d_type == DT_DIR;
    if (d)
        closedir(d);
    CHECK(n > 3);
    printf("readdir: /boot has posix.txt: %s, / has boot: %s\n",
           seen_txt ? "yes" : "no", seen_boot ? "yes" : "no");
    CHECK(chdir("/boot") == 0 && getcwd(buf, sizeof buf) &&
          strcmp(buf, "/boot") == 0);
    CHECK(stat("posix.txt", &st) == 0);             /* relative to cwd */
    CHECK_ERRNO(chdir("posix.txt"), ENOTDIR);
    fd = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0 && openat(fd, "boot/posix.txt", O_RDONLY) == fd + 1);
    CHECK(close(fd + 1) == 0 && fchdir(fd) == 0 && close(fd) == 0);
    CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/") == 0);
    CHECK_ERRNO(getcwd(buf, 1) ? 0 : -1, ERANGE);
}

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
    got = sig;
}

static void process(int argc, char **argv)
{
    struct utsname u;
    CHECK_ERRNO(fork(), ENOSYS);
    CHECK_ERRNO(execv("/bin/sh", argv), ENOSYS);
    CHECK(uname(&u) == 0);
    printf("uname: %s %s\n", u.sysname, u.machine);
    printf("argv:");
    for (int i = 0; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    CHECK(getenv("HOME") == NULL);
    CHECK(setenv("CAPOS", "yes", 1) == 0);
    printf("getenv: %s\n", getenv("CAPOS"));
    CHECK(getpid() > 0);
    signal(SIGUSR1, on_usr1);
    CHECK(raise(SIGUSR1) == 0 && got == SIGUSR1);
    CHECK_ERRNO(kill(getpid() + 1000, SIGTERM), ESRCH);
}

static volatile sig_atomic_t count, last_code;

static void on_sig2(int sig)
{
    count++;
    printf("handler: %s\n", strsignal(sig));
}

static void on_info(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    last_code = info->si_code;
    printf("siginfo: signo %d matches: %s\n", info->si_signo,
           info->si_signo == sig ? "yes" : "no");
}

/* POSIX0002 (argv[3] "signals"): ends in abort(), exit code 134. */
static _Noreturn void signals_mode(void)
{
    sigset_t set, old;
    struct sigaction sa;

    signal(SIGUSR1, on_sig2);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    printf("blocked: %d deliveries\n", (int)count);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: %d deliveries\n", (int)count);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig2;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &sa);
    printf("SA_RESETHAND: default again: %s\n",
           sa.sa_handler == SIG_DFL ? "yes" : "no");

    signal(SIGTERM, SIG_IGN);
    raise(SIGTERM);
    printf("SIG_IGN: still running\n");
    raise(SIGWINCH);
    printf("SIGWINCH by default: ignored\n");

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGHUP);

    printf("sigaction(SIGKILL): %s\n",
           sigaction(SIGKILL, &sa, NULL) == -1 ? "refused" : "accepted");
    printf("abort:\n");
    abort();
}

static void bye(void)
{
    printf("atexit: bye (%d failures)\n", failures);
}

int main(int argc, char **argv)
{
    if (argc > 3 && strcmp(argv[3], "signals") == 0)
        signals_mode();
    atexit(bye);
    formatting();
    memory();
    timing();
    files();
    boot_files();
    process(argc, argv);
    exit(failures ? 1 : 3);
}
