#!/usr/bin/env python3
"""run.py - boot capOS images headless under QEMU and judge the outcome.

Usage:
  run.py CASES_FILE [NAME_FILTER]   run the cases listed in CASES_FILE
  run.py --ktest KERNEL             run the in-kernel self tests (test=ktest)
  run.py --manifest KERNEL MANIFEST [LOGNAME] [--expect DIR]...
                                    run the user-space system tests of a test
                                    manifest (test=manifest); for every
                                    DIR/NAME.out, the console output of test
                                    NAME must be exactly that file

A case line is:  name | boot | image | cmdline | expect | timeout_s [| regex]
  boot:    pvh (kernel ELF with qboot), iso (GRUB under SeaBIOS),
           uefi (GRUB under OVMF)
  expect:  pass:<word>      QEMU status 33 and the line "capOS: PASS <word>"
           exception:<X>    status 35 and "EXCEPTION: <X>" (e.g. #PF, #DF)
           panic            status 35 and "KERNEL PANIC"
           hang             no verdict before the timeout
           reset            QEMU exited 0 and logged "Triple fault"
                            (-d cpu_reset): the CPU reset under -no-reboot
  cmdline: may start with initrd=<file>: a boot module for pvh boots
  regex:   optional; the serial log must also match it (e.g. the decoded
           page-fault cause)

Every outcome is classified the same way, whatever was expected, so a test
that expects a page fault fails if the kernel hangs or passes instead.
Serial logs are kept in build/test-logs/system/<name>.serial.log.

A hung kernel (timeout) is asked through QEMU's monitor (a unix socket)
where it spins: `info registers` gives RIP and RBP, the frame-pointer
chain is read with `x`, and every address is symbolized with addr2line on
the kernel ELF.  The report is printed and kept in <name>.hang.txt.
The run ends with the line "N passed, N failed".
"""
import difflib
import os
import re
import socket
import subprocess
import sys
import time

LOGDIR = os.path.join(os.environ.get("BUILD", "build"), "test-logs", "system")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def classify(rc, log, timed_out, qemu_log=""):
    """Turn QEMU's exit status and the serial log into an outcome string."""
    if timed_out:
        return "hang"
    if rc == 0:
        return "reset" if "Triple fault" in qemu_log else "poweroff-without-verdict"
    if rc == 33:
        m = re.search(r"^capOS: PASS (\S+)", log, re.M)
        return "pass:" + m.group(1) if m else "exit-without-sentinel"
    if rc == 35:
        m = re.search(r"^EXCEPTION: (#\w+|NMI)", log, re.M)
        if m:
            return "exception:" + m.group(1)
        if "KERNEL PANIC" in log:
            return "panic"
        return "failure-exit-without-message"
    return "qemu-status-%d" % rc


def monitor(sock_path, commands, timeout=5.0):
    """Send human-monitor commands over a unix socket; returns the replies
    (the greeting first), [] if the monitor cannot be reached."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        replies = []
        for cmd in [""] + list(commands):
            if cmd:
                s.sendall(cmd.encode() + b"\n")
            buf = b""
            while not buf.endswith(b"(qemu) "):
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            replies.append(buf.decode(errors="replace"))
        return replies
    except OSError:
        return []
    finally:
        s.close()


def symbolize(elf, addrs):
    """addr2line -f -i for each address: ["func (file:line)", ...]."""
    if not elf or not os.path.isfile(elf) or not addrs:
        return ["?" for _ in addrs]
    p = subprocess.run(["addr2line", "-f", "-i", "-a", "-e", elf] +
                       ["%#x" % a for a in addrs],
                       capture_output=True, text=True)
    names, cur = [], None
    lines = p.stdout.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            if cur is not None:
                names.append(" <- ".join(cur) or "?")
            cur = []
            i += 1
            continue
        func = lines[i]
        loc = lines[i + 1] if i + 1 < len(lines) else "?"
        loc = re.sub(r"^.*?/(kernel|lib|user)/", r"\1/", loc)
        loc = re.sub(r" \(discriminator \d+\)", "", loc)
        cur.append("%s (%s)" % (func, loc))
        i += 2
    if cur is not None:
        names.append(" <- ".join(cur) or "?")
    return names + ["?"] * (len(addrs) - len(names))


def hang_report(sock_path, elf):
    """Where the hung guest spins: RIP and the frame-pointer backtrace."""
    replies = monitor(sock_path, ["info registers"])
    regs = replies[1] if len(replies) > 1 else ""
    rip = re.search(r"RIP=([0-9a-f]{16})", regs)
    rbp = re.search(r"RBP=([0-9a-f]{16})", regs)
    if not rip:
        return "hang: the QEMU monitor gave no registers"
    addrs = [int(rip.group(1), 16)]
    fp = int(rbp.group(1), 16) if rbp else 0
    for _ in range(12):
        if fp < 0xffff800000000000 or fp & 7:
            break
        r = monitor(sock_path, ["x /2gx %#x" % fp])
        m = re.search(r":\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", r[1]) if len(r) > 1 else None
        if not m:
            break
        fp, ret = int(m.group(1), 16), int(m.group(2), 16)
        if ret < 0xffff800000000000:
            break
        addrs.append(ret)
    names = symbolize(elf, addrs)
    out = ["hang: the CPU spins at %#x %s" % (addrs[0], names[0])]
    for i, (a, n) in enumerate(zip(addrs[1:], names[1:]), 1):
        out.append("  #%d %#x %s" % (i, a, n))
    return "\n".join(out)


def boot(name, boot_mode, image, cmdline, timeout, initrd=None):
    """Boot one image; returns (outcome, seconds, log path, log)."""
    os.makedirs(LOGDIR, exist_ok=True)
    log_path = os.path.join(LOGDIR, name + ".serial.log")
    mon_path = os.path.join(LOGDIR, name + ".mon")
    hang_path = os.path.join(LOGDIR, name + ".hang.txt")
    for f in (log_path, mon_path, hang_path):
        if os.path.exists(f):
            os.unlink(f)
    env = dict(os.environ, SERIAL="file:" + log_path)
    if boot_mode == "pvh":
        env["APPEND"] = cmdline
        if initrd:
            env["INITRD"] = initrd
    else:
        env["ISO_IMAGE"] = image
    cmd = [os.path.join(ROOT, "tools", "run-qemu.sh"), boot_mode, image,
           "-d", "cpu_reset,guest_errors", "-D",
           os.path.join(LOGDIR, name + ".qemu.log"),
           "-monitor", "unix:%s,server=on,wait=off" % mon_path]
    t0 = time.monotonic()
    timed_out = False
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        report = hang_report(mon_path, image if boot_mode == "pvh" else
                             os.path.join(os.environ.get("BUILD", "build"),
                                          "capos.elf"))
        with open(hang_path, "w") as f:
            f.write(report + "\n")
        print(report)
        proc.kill()
        proc.wait()
        rc, timed_out = None, True
    secs = time.monotonic() - t0
    if os.path.exists(mon_path):
        os.unlink(mon_path)
    log = read_file(log_path)
    if timed_out:
        log += "\n" + read_file(hang_path)   # case regexes see the report
    qemu_log = read_file(os.path.join(LOGDIR, name + ".qemu.log"))
    return classify(rc, log, timed_out, qemu_log), secs, log_path, log


def read_file(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def run_cases(path, name_filter):
    passed = failed = 0
    with open(path) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for line in lines:
        fields = [x.strip() for x in line.split("|")]
        if len(fields) == 6:
            fields.append("")
        if len(fields) != 7:
            print("bad case line: " + line)
            failed += 1
            continue
        name, mode, image, cmdline, want, timeout, regex = fields
        if name_filter and not name.startswith(name_filter):
            continue
        initrd = None
        words = cmdline.split()
        if words and words[0].startswith("initrd="):
            initrd, cmdline = words[0][7:], " ".join(words[1:])
        outcome, secs, log_path, log = boot(name, mode, image, cmdline,
                                            float(timeout), initrd)
        if regex and outcome == want and not re.search(regex, log, re.M):
            outcome += " (log lacks /%s/)" % regex
        ok = outcome == want
        passed, failed = passed + ok, failed + (not ok)
        print("%s %-24s %-16s got %-22s (%.1f s)%s" % (
            "PASS" if ok else "FAIL", name, "want " + want, outcome, secs,
            "" if ok else "  log: " + log_path))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


VERDICT = re.compile(r"^(PASS|FAIL) (\S+) - .*$", re.M)


def test_outputs(log):
    """The console output of each manifest test: the serial text after the
    previous test's verdict line (or the manifest's validation line) up to
    its own verdict line."""
    out = {}
    m = re.search(r"^boot: manifest \d+ bytes validated\n", log, re.M)
    start = m.end() if m else 0
    for v in VERDICT.finditer(log, start):
        out[v.group(2)] = log[start:v.start()]
        start = v.end() + 1
    return out


def check_outputs(log, dirs):
    """Compare each DIR/NAME.out with test NAME's output: (passed, failed)."""
    outputs = test_outputs(log)
    passed = failed = 0
    for d in dirs:
        for f in sorted(os.listdir(d)):
            if not f.endswith(".out"):
                continue
            name = f[:-4]
            want = read_file(os.path.join(d, f))
            got = outputs.get(name)
            if got == want:
                passed += 1
                print("PASS output of %s (%s)" % (name, os.path.join(d, f)))
                continue
            failed += 1
            print("FAIL output of %s differs from %s" % (name, os.path.join(d, f)))
            if got is None:
                print("  no verdict line for %s in the log" % name)
            else:
                sys.stdout.writelines(difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True),
                    "expected", "got"))
    return passed, failed


def run_ktest(kernel, name="ktest", cmdline="test=ktest", initrd=None,
              sentinel="ktest", expect_dirs=()):
    outcome, secs, log_path, log = boot(name, "pvh", kernel, cmdline, 120,
                                        initrd)
    sys.stdout.write(log)
    print("%s: outcome %s in %.1f s (log %s)" % (name, outcome, secs, log_path))
    opassed, ofailed = check_outputs(log, expect_dirs)
    if outcome != "pass:" + sentinel or ofailed:
        m = re.search(r"^(\d+) passed, (\d+) failed$", log, re.M)
        p, f = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        if outcome != "pass:" + sentinel and f == 0:
            f = 1
        print("%d passed, %d failed" % (p + opassed, f + ofailed))
        return 1
    if expect_dirs:
        m = re.search(r"^(\d+) passed, (\d+) failed$", log, re.M)
        print("%d passed, %d failed" % (int(m.group(1)) + opassed,
                                        int(m.group(2))))
    return 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--ktest":
        return run_ktest(sys.argv[2], "ktest-" + os.path.basename(sys.argv[2]))
    if len(sys.argv) >= 4 and sys.argv[1] == "--manifest":
        args, dirs = sys.argv[2:], []
        while "--expect" in args:
            i = args.index("--expect")
            dirs.append(args[i + 1])
            del args[i:i + 2]
        name = args[2] if len(args) > 2 else "manifest"
        return run_ktest(args[0], name, "test=manifest", args[1],
                         "manifest", dirs)
    if len(sys.argv) >= 2:
        return run_cases(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
