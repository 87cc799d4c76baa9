/* SPDX-License-Identifier: MIT */
/*
 * main.c - the capOS benchmark driver: init of system/bench.capnp.
 *
 * Boots as init (the kernel's normal mode); its entry point is
 * bench_entry below, which reads the TSC at the process's first
 * instructions before handing over to the runtime's _start.  main then
 * prints the boot figures, runs every benchmark area (ring.c, ipc.c,
 * mem.c) and returns 0 only if no operation went wrong, so the kernel
 * prints `capOS: PASS init` and QEMU exits with status 33.
 *
 * A CapSet entry named "smoke" (the bench-smoke manifest) divides every
 * operation count by 100: the smoke test only checks that everything
 * runs and prints.
 */
#include <string.h>

#include "cbench.h"

const char *bench_os = "capos";
struct cb_caps cb_caps;
uint64_t cb_errors;
uint64_t bench_scale = 1;
uint64_t bench_entry_tsc;

/* The ELF entry (linked with -e bench_entry): keep RDI/RSI/RDX (ring,
 * pid, CapSet) for _start; RDX is saved around rdtsc in R8. */
__asm__(".pushsection .text.bench_entry, \"ax\"\n"
        ".globl bench_entry\n"
        "bench_entry:\n"
        "    mov %rdx, %r8\n"
        "    lfence\n"
        "    rdtsc\n"
        "    mov %eax, bench_entry_tsc(%rip)\n"
        "    mov %edx, bench_entry_tsc+4(%rip)\n"
        "    mov %r8, %rdx\n"
        "    jmp _start\n"
        ".popsection\n");

uint64_t cb_n(uint64_t n)
{
    return n / bench_scale ? n / bench_scale : 1;
}

/* Look up one granted cap by name; 0 (and a note) if it is missing. */
static uint32_t find_cap(const char *name, uint64_t iface)
{
    uint32_t id = 0;
    if (capos_capset_find(name, iface, &id) != ERR_OK) {
        printf("BENCHFAIL os=capos what=missing-cap name=%s\n", name);
        cb_errors++;
    }
    return id;
}

static void find_caps(void)
{
    uint32_t smoke;
    cb_caps.console = find_cap("console", CAPOS_CONSOLE_INTERFACE_ID);
    cb_caps.timer = find_cap("timer", CAPOS_TIMER_INTERFACE_ID);
    cb_caps.spawner = find_cap("spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID);
    cb_caps.frames = find_cap("frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID);
    cb_caps.vm = find_cap("vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID);
    if (capos_capset_find("smoke", CAPOS_CONSOLE_INTERFACE_ID, &smoke) ==
        ERR_OK)
        bench_scale = 100;
}

/* FrameAllocator.stats: frames in use (total - free). */
static err_t frames_in_use(uint64_t *used)
{
    uint64_t w[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_frame_allocator_stats_params_init_root(capos_msg_begin(&m, w, 8));
    err_t e = cb_call(cb_caps.frames, CAPOS_FRAME_ALLOCATOR_METHOD_STATS, &m,
                      res, 8, &msg, &cqe);
    if (!e) {
        capos_frame_allocator_stats_results_r r =
            capos_frame_allocator_stats_results_read_root(&msg);
        *used = capos_frame_allocator_stats_results_get_total_frames(r) -
                capos_frame_allocator_stats_results_get_free_frames(r);
    }
    return e;
}

/*
 * Boot figures.  Timer.now is nanoseconds since kernel entry, computed
 * from the TSC and the kernel's calibrated TSC rate, so kernel entry =
 * (TSC at the kernel's read) - ns * rate; the host does that arithmetic
 * with the rate from the boot banner.  The kernel's read lies between t0
 * and t1, so the estimate is good to (t1 - t0) / 2.
 */
static void boot_figures(void)
{
    uint64_t ns = 0, used = 0;
    uint64_t t0 = bench_tsc();
    err_t e = capos_timer_now(CAPOS_HANDLE(capos_timer, cb_caps.timer), &ns, NULL);
    uint64_t t1 = bench_tsc();
    bench_value("boot_to_user", bench_entry_tsc, "ticks-since-reset");
    if (!e) {
        bench_value("timer_now_ns", ns, "ns-since-kernel-entry");
        bench_value("timer_now_tsc_mid", t0 + (t1 - t0) / 2,
                    "ticks-since-reset");
        bench_value("timer_now_tsc_err", (t1 - t0) / 2, "ticks");
    }
    if (frames_in_use(&used) == ERR_OK)
        bench_value("ram_in_use_at_init", used * 4096, "bytes");
}

int main(void)
{
    uint64_t t_main = bench_tsc();
    find_caps();
    printf("BENCHSTART os=capos scale=%llu pid=%llu\n",
           (unsigned long long)bench_scale,
           (unsigned long long)capos_rt_pid());
    boot_figures();
    bench_value("entry_to_main", t_main - bench_entry_tsc, "ticks");
    cb_ring_bench();
    cb_ipc_bench();
    cb_mem_bench();
    cb_spawn_bench();
    if (cb_errors)
        printf("BENCHFAIL os=capos what=unexpected-completions count=%llu\n",
               (unsigned long long)cb_errors);
    printf("BENCHEND os=capos status=%s\n", cb_errors ? "fail" : "ok");
    return cb_errors ? 1 : 0;
}
