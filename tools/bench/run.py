#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run.py - boot the capOS and Linux benchmark guests and compare them.

`make bench` runs this (docs/performance.md).  Both guests boot with the
identical QEMU command (qboot, TCG with `-icount shift=0,sleep=off`, fixed
seed and RTC, serial to a file), print BENCH/BENCHVAL lines
(user/bench/bench.h) and exit through isa-debug-exit (status 33).  Each
guest boots --runs times (default 2 under TCG); every figure must be
identical across boots, else the run fails.  The side-by-side table with
ratios and goals goes to stdout, OUT/report.txt and OUT/report.json.
Goals and budgets are printed beside the figures, never asserted.

--smoke (suite bench-smoke of `make test`): boot the capOS smoke manifest
once and run the Linux benchmark as a host process; one test per expected
figure (it ran and printed), ending with `N passed, N failed`.
"""
import argparse
import datetime
import json
import os
import re
import struct
import subprocess
import sys

QEMU = "qemu-system-x86_64"
RTC = "base=2026-01-01T00:00:00,clock=vm"
LINUX_APPEND = "console=ttyS0 quiet panic=-1"
LINE_RE = re.compile(r"^(BENCH|BENCHVAL|BENCHSKIP|BENCHFAIL|BENCHEND) (.*)$")

# capOS figure, Linux figure, label, unit, budget (insn, or None), goal
ROWS = [
    ("null_cap_enter", "getppid", "null call: 1 NOP per cap_enter | getppid",
     "insn/op", 150, "ratio<1"),
    ("null_cap_enter", "uring_nop_batch1",
     "null call | io_uring NOP, batch 1", "insn/op", None, "ratio<1"),
    ("nop_batch16", "uring_nop_batch16",
     "16 NOPs per cap_enter | io_uring batch 16, per op", "insn/op", None,
     "ratio<1"),
    ("further_nop", "further_uring_nop",
     "each further batched submission", "insn/op", 40, "ratio<1"),
    ("ipc_roundtrip", "futex_pingpong",
     "IPC round trip | futex ping-pong", "insn/op", 300, "ratio<0.1"),
    ("ipc_roundtrip", "pipe_pingpong", "IPC round trip | pipe ping-pong",
     "insn/op", 300, "ratio<1"),
    ("ipc_roundtrip", "eventfd_pingpong",
     "IPC round trip | eventfd ping-pong", "insn/op", 300, "ratio<1"),
    ("ipc_cap_roundtrip", "scm_rights_roundtrip",
     "round trip + 1 cap (copy, back) | SCM_RIGHTS fd", "insn/op", None,
     "ratio<1"),
    ("bulk_memobj_1mib", "bulk_memfd_1mib",
     "1 MiB via shared MemoryObject | memfd+mmap", "insn/MiB", None,
     "ratio<1"),
    ("bulk_memobj_1mib", "bulk_pipe_1mib",
     "1 MiB via shared MemoryObject | pipe", "insn/MiB", None, "ratio<1"),
    ("spawn_exit_wait", "posix_spawn_wait",
     "spawn+exit+wait tiny static | posix_spawn", "insn/op", 20000,
     "ratio<1"),
    ("spawn_exit_wait", "fork_exit_wait",
     "spawn+exit+wait tiny static | fork/_exit/wait", "insn/op", 20000,
     "ratio<1"),
    ("map_1", "mmap_1", "map+touch+unmap 1 page | mmap", "insn/op", None,
     "ratio<1"),
    ("map_256", "mmap_256", "map+touch+unmap 256 pages | mmap", "insn/op",
     None, "ratio<1"),
    ("map_per_page", "mmap_per_page", "  per further page (256 vs 1)",
     "insn/page", None, "ratio<1"),
    ("kernel_entry_to_user", "boot_to_user",
     "boot: kernel entry -> first user insn | reset -> /init", "insn",
     2000000, "ratio<1"),
    ("boot_to_user", "boot_to_user",
     "boot: reset -> first user insn (both incl. qboot)", "insn", None,
     "ratio<1"),
    ("kernel_image", "kernel_image",
     "kernel image: text+rodata+data | bzImage file", "bytes", 256 * 1024,
     "ratio<1"),
    ("ram_in_use_at_init", "ram_in_use_at_init",
     "RAM in use at first process", "bytes", 4 * 1024 * 1024, "ratio<1"),
]

SMOKE_CAPOS = ["null_cap_enter", "nop_batch16", "ipc_roundtrip",
               "ipc_cap_roundtrip", "bulk_memobj_1mib", "map_1", "map_256",
               "spawn_exit_wait", "boot_to_user", "ram_in_use_at_init"]
SMOKE_LINUX = ["getppid", "uring_nop_batch1", "uring_nop_batch16",
               "pipe_pingpong", "futex_pingpong", "eventfd_pingpong",
               "scm_rights_roundtrip", "bulk_pipe_1mib", "bulk_memfd_1mib",
               "fork_exit_wait", "posix_spawn_wait", "mmap_1", "mmap_256",
               "ram_in_use_at_init"]


# ---- running guests -------------------------------------------------------

def qemu_version():
    out = subprocess.run([QEMU, "--version"], capture_output=True,
                         text=True).stdout
    m = re.search(r"version (\S+)", out)
    return m.group(1) if m else "unknown"


def qemu_options(kvm):
    """The QEMU options shared by both guests (without kernel/initrd/log)."""
    accel = ["-accel", "kvm", "-cpu", "host"] if kvm else \
        ["-accel", "tcg", "-icount", "shift=0,sleep=off", "-cpu", "max"]
    return accel + ["-m", "512", "-smp", "1", "-nodefaults",
                    "-no-user-config", "-display", "none", "-no-reboot",
                    "-seed", "1", "-rtc", RTC, "-device",
                    "isa-debug-exit,iobase=0xf4,iosize=4",
                    "-bios", "/usr/share/qemu/qboot.rom"]


def boot(kvm, kernel, initrd, append, log, timeout):
    """Boot one guest; returns (QEMU exit status, serial log text)."""
    cmd = [QEMU] + qemu_options(kvm) + ["-serial", "file:" + log,
                                        "-kernel", kernel, "-initrd", initrd]
    if append:
        cmd += ["-append", append]
    if os.path.exists(log):
        os.remove(log)
    try:
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                            timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        rc = -1
    with open(log, encoding="utf-8", errors="replace") as f:
        return rc, f.read()


def parse(text):
    """BENCH lines of a log -> {"rows", "vals", "skips", "fails", "end"}."""
    out = {"rows": {}, "vals": {}, "skips": {}, "fails": [], "end": None,
           "lines": []}
    for line in text.splitlines():
        m = LINE_RE.match(line.strip())
        if not m:
            continue
        kind, kv = m.group(1), dict(p.split("=", 1) for p in
                                    m.group(2).split() if "=" in p)
        out["lines"].append(line.strip())
        if kind == "BENCH":
            out["rows"][kv["name"]] = {
                "min": float(kv["min"]), "median": float(kv["median"]),
                "n": int(kv["n"]), "trials": int(kv["trials"]),
                "unit": kv["unit"]}
        elif kind == "BENCHVAL":
            out["vals"][kv["name"]] = int(kv["value"])
        elif kind == "BENCHSKIP":
            out["skips"][kv.get("name", "?")] = kv.get("reason", "?")
        elif kind == "BENCHFAIL":
            out["fails"].append(m.group(2))
        else:
            out["end"] = kv.get("status")
    return out


def run_guest(name, args, kernel, initrd, append):
    """Boot a guest --runs times; its parsed figures and a determinism
    verdict (None if only one boot)."""
    runs, same = [], None
    for i in range(args.runs):
        log = os.path.join(args.out, "%s-%d.log" % (name, i + 1))
        print("bench: booting %s (%d/%d), serial log %s" %
              (name, i + 1, args.runs, log), flush=True)
        rc, text = boot(args.kvm, kernel, initrd, append, log, args.timeout)
        res = parse(text)
        res["rc"] = rc
        runs.append(res)
    if len(runs) > 1:
        same = all(r["lines"] == runs[0]["lines"] for r in runs[1:])
    return runs[0], same


# ---- derived figures --------------------------------------------------------

def elf_load_sizes(path):
    """(text+rodata+data, bss) bytes of an ELF64: its allocated sections."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    image = bss = 0
    for i in range(shnum):
        off = shoff + i * shentsize
        sh_type, = struct.unpack_from("<I", data, off + 4)
        sh_flags, = struct.unpack_from("<Q", data, off + 8)
        sh_size, = struct.unpack_from("<Q", data, off + 32)
        if not sh_flags & 2:            # SHF_ALLOC
            continue
        if sh_type == 8:                # SHT_NOBITS
            bss += sh_size
        else:
            image += sh_size
    return image, bss


def add_value_row(res, name, value, unit):
    res["rows"][name] = {"min": float(value), "median": float(value),
                         "n": 1, "trials": 1, "unit": unit}


def derive_further(res, single, b16, further):
    """Each further batched submission: (16 * per-op(b16) - single) / 15,
    single being one submission per enter."""
    rows = res["rows"]
    if b16 in rows and single in rows:
        v = {k: (16 * rows[b16][k] - rows[single][k]) / 15
             for k in ("min", "median")}
        rows[further] = dict(rows[b16], **v)


def derive_per_page(res, one, many, name):
    rows = res["rows"]
    if one in rows and many in rows:
        v = {k: (rows[many][k] - rows[one][k]) / 255
             for k in ("min", "median")}
        rows[name] = dict(rows[many], unit="insn/page", **v)


def derive_capos(res, log_text, kernel):
    """Kernel entry -> first user instruction (exact if the kernel prints
    `entry tsc=N`, else from Timer.now and the banner's TSC rate), kernel
    image size, single values as rows."""
    vals = res["vals"]
    m = re.search(r"TSC (\d+\.\d+) MHz", log_text)
    exact = re.search(r"entry tsc=(\d+)", log_text)
    if exact and "boot_to_user" in vals:
        vals["kernel_entry_tsc"] = int(exact.group(1))
        vals["kernel_entry_to_user"] = vals["boot_to_user"] - \
            vals["kernel_entry_tsc"]
        vals["timer_now_tsc_err"] = 0
        res["tsc_mhz"] = float(m.group(1)) if m else 0.0
    elif m and {"timer_now_ns", "timer_now_tsc_mid", "boot_to_user"} <= set(vals):
        mhz = float(m.group(1))
        entry = vals["timer_now_tsc_mid"] - vals["timer_now_ns"] * mhz / 1000
        vals["kernel_entry_tsc"] = int(round(entry))
        vals["kernel_entry_to_user"] = int(round(vals["boot_to_user"] - entry))
        res["tsc_mhz"] = mhz
    image, bss = elf_load_sizes(kernel)
    vals["kernel_image"], vals["kernel_bss"] = image, bss
    derive_further(res, "null_cap_enter", "nop_batch16", "further_nop")
    derive_per_page(res, "map_1", "map_256", "map_per_page")
    for k in ("kernel_entry_to_user", "boot_to_user", "kernel_image",
              "ram_in_use_at_init"):
        if k in vals:
            add_value_row(res, k, vals[k], "insn" if "user" in k else "bytes")


def derive_linux(res, kernel):
    vals = res["vals"]
    vals["kernel_image"] = os.path.getsize(kernel)
    derive_further(res, "uring_nop_batch1", "uring_nop_batch16",
                   "further_uring_nop")
    derive_per_page(res, "mmap_1", "mmap_256", "mmap_per_page")
    for k in ("boot_to_user", "kernel_image", "ram_in_use_at_init"):
        if k in vals:
            add_value_row(res, k, vals[k], "insn" if "user" in k else "bytes")


# ---- the table ----------------------------------------------------------------

def fmt(v):
    if v is None:
        return "-"
    if v >= 1e9:
        return "%.3f G" % (v / 1e9)
    if v >= 1e7:
        return "%.2f M" % (v / 1e6)
    if v >= 100 or float(v).is_integer():
        return "{:,.0f}".format(v)
    return "%.1f" % v


def goal_text(cval, lval, budget, goal):
    """'ratio<1 met, budget 150 missed' style notes (never asserted)."""
    notes = []
    if cval is not None and lval:
        limit = float(goal.split("<")[1])
        notes.append("%s %s" % (goal, "met" if cval / lval < limit
                                else "missed"))
    if budget is not None and cval is not None:
        notes.append("budget<=%s %s" % (fmt(budget), "met" if cval <= budget
                                        else "missed"))
    return ", ".join(notes)


def table(capos, linux, setup):
    """Rows of the report: dicts for JSON and formatted text lines."""
    out, lines = [], []
    hdr = "%-60s %12s %12s %12s %12s %7s  %s" % (
        "workload (capOS | Linux)", "capOS min", "capOS med", "Linux min",
        "Linux med", "ratio", "goals [setup]")
    lines += [hdr, "-" * len(hdr)]
    for ckey, lkey, label, unit, budget, goal in ROWS:
        c, lx = capos["rows"].get(ckey), linux["rows"].get(lkey)
        cmed = c["median"] if c else None
        lmed = lx["median"] if lx else None
        ratio = cmed / lmed if cmed is not None and lmed else None
        note = goal_text(cmed, lmed, budget, goal)
        if c is None and ckey in capos["skips"]:
            note = "capOS skipped: " + capos["skips"][ckey]
        out.append({"workload": label, "unit": unit, "capos": ckey,
                    "linux": lkey, "capos_min": c and c["min"],
                    "capos_median": cmed, "linux_min": lx and lx["min"],
                    "linux_median": lmed, "ratio": ratio, "budget": budget,
                    "goal": goal, "notes": note, "setup": setup})
        lines.append("%-60s %12s %12s %12s %12s %7s  %s [%s]" % (
            label + " (" + unit + ")", fmt(c and c["min"]), fmt(cmed),
            fmt(lx and lx["min"]), fmt(lmed),
            "-" if ratio is None else "%.3f" % ratio, note, setup))
    return out, lines


# ---- modes --------------------------------------------------------------------

def git_rev():
    r = subprocess.run(["git", "describe", "--always", "--dirty"],
                       capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def linux_package(kernel):
    p = os.path.join(os.path.dirname(kernel), "version")
    return open(p).read().strip() if os.path.exists(p) else "unknown"


def guest_ok(name, res):
    ok = res["rc"] == 33 and res["end"] == "ok" and not res["fails"]
    if not ok:
        print("bench: %s guest failed: exit status %s, end %s, %s" %
              (name, res["rc"], res["end"], res["fails"]), file=sys.stderr)
    return ok


def header(args, qv):
    accel = "kvm (-cpu host), figures are cycles" if args.kvm else \
        "tcg -icount shift=0,sleep=off (-cpu max), figures are instructions"
    opts = " ".join(qemu_options(args.kvm))
    return [
        "capOS vs Linux benchmark (make bench), %s" %
        datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "accelerator: %s" % accel,
        "QEMU %s: %s %s -serial file:LOG -kernel K -initrd I" % (
            qv, QEMU, opts),
        "capOS %s; Linux %s (-append \"%s\")" % (
            git_rev(), linux_package(args.linux_kernel), LINUX_APPEND),
        "method: lfence;rdtsc around N ops, 1 warm-up + 11 trials, min and "
        "median per op, empty-loop overhead subtracted",
    ]


def bench(args):
    os.makedirs(args.out, exist_ok=True)
    qv = qemu_version()
    setup = "%s qemu-%s" % ("kvm" if args.kvm else "tcg-icount0", qv)
    capos, csame = run_guest("capos", args, args.capos_kernel,
                             args.capos_manifest, None)
    linux, lsame = run_guest("linux", args, args.linux_kernel,
                             args.linux_initrd, LINUX_APPEND)
    with open(os.path.join(args.out, "capos-1.log"), errors="replace") as f:
        derive_capos(capos, f.read(), args.capos_kernel)
    derive_linux(linux, args.linux_kernel)
    rows, lines = table(capos, linux, setup)
    det = "not checked (1 boot each)" if csame is None else \
        "capOS %s, Linux %s over %d boots each" % (
            "identical" if csame else "DIFFERENT",
            "identical" if lsame else "DIFFERENT", args.runs)
    text = header(args, qv) + ["determinism: " + det, ""] + lines
    if "tsc_mhz" in capos:
        text.append("")
        err = capos["vals"].get("timer_now_tsc_err", 0)
        how = "exact, from the kernel's entry tsc line" if not err else \
            "estimated to +-%d insn via Timer.now" % err
        text.append("capOS kernel TSC rate %.3f MHz, kernel entry %s; Linux "
                    "boot figure starts at reset (includes qboot and "
                    "decompression)" % (capos["tsc_mhz"], how))
    report = "\n".join(text) + "\n"
    print(report)
    with open(os.path.join(args.out, "report.txt"), "w") as f:
        f.write(report)
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump({"header": header(args, qv), "determinism": det,
                   "rows": rows, "capos": capos, "linux": linux}, f,
                  indent=1, sort_keys=True)
    ok = guest_ok("capOS", capos) and guest_ok("Linux", linux)
    return 0 if ok and csame is not False and lsame is not False else 1


def smoke_check(name, res, wanted):
    """One test per wanted figure: present (or explicitly skipped)."""
    passed = failed = 0
    for w in wanted:
        if w in res["rows"] or w in res["vals"] or w in res["skips"]:
            passed += 1
            print("PASS %s %s" % (name, w))
        else:
            failed += 1
            print("FAIL %s %s: not printed" % (name, w))
    return passed, failed


def smoke(args):
    os.makedirs(args.out, exist_ok=True)
    log = os.path.join(args.out, "capos-smoke.log")
    rc, text = boot(False, args.capos_kernel, args.capos_manifest, None, log,
                    args.timeout)
    capos = parse(text)
    capos["rc"] = rc
    p1, f1 = smoke_check("capos", capos, SMOKE_CAPOS)
    ok = guest_ok("capOS", capos)
    print("%s capos run (exit status %s, log %s)" % (
        "PASS" if ok else "FAIL", rc, log))
    r = subprocess.run([args.linux_native, "smoke"], capture_output=True,
                       text=True, timeout=args.timeout)
    with open(os.path.join(args.out, "linux-smoke.log"), "w") as f:
        f.write(r.stdout + r.stderr)
    linux = parse(r.stdout)
    p2, f2 = smoke_check("linux", linux, SMOKE_LINUX)
    lok = r.returncode == 0 and linux["end"] == "ok"
    print("%s linux run (exit status %d)" % ("PASS" if lok else "FAIL",
                                              r.returncode))
    passed, failed = p1 + p2 + ok + lok, f1 + f2 + (not ok) + (not lok)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--capos-kernel", required=True)
    ap.add_argument("--capos-manifest", required=True)
    ap.add_argument("--linux-kernel")
    ap.add_argument("--linux-initrd")
    ap.add_argument("--linux-native", help="smoke: Linux benchmark binary")
    ap.add_argument("--out", required=True)
    ap.add_argument("--kvm", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    if args.runs is None:
        args.runs = 1 if args.kvm else 2
    sys.exit(smoke(args) if args.smoke else bench(args))


if __name__ == "__main__":
    main()
