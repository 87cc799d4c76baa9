#!/usr/bin/env python3
"""test_harness.py - tests of the QEMU test harness itself.

Checks that run.py's classifier turns every kind of outcome into the right
verdict, and that a case whose kernel misbehaves is reported as FAIL with a
non-zero exit (a deliberately faulting kernel must not count as a pass).
Ends with "N passed, N failed".
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

results = []


def check(name, got, want):
    ok = got == want
    results.append(ok)
    print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                       "" if ok else ": got %r, want %r" % (got, want)))


def test_classifier():
    c = run.classify
    check("classify_timeout_is_hang", c(None, "", True), "hang")
    check("classify_pass_needs_sentinel", c(33, "hello\n", False),
          "exit-without-sentinel")
    check("classify_pass", c(33, "capOS: PASS boot\n", False), "pass:boot")
    check("classify_exception", c(35, "EXCEPTION: #PF page fault\n", False),
          "exception:#PF")
    check("classify_panic", c(35, "KERNEL PANIC: x\n", False), "panic")
    check("classify_silent_failure", c(35, "", False),
          "failure-exit-without-message")
    check("classify_triple_fault", c(0, "", False, "Triple fault\n"), "reset")
    check("classify_plain_poweroff", c(0, "", False, ""),
          "poweroff-without-verdict")
    check("classify_other_status", c(1, "", False), "qemu-status-1")


def test_mismatch_fails():
    """A faulting kernel listed as 'pass' must make the harness fail."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("selftest_mismatch | pvh | build/capos-test.elf | "
                "test=fault_pf | pass:boot | 30\n")
        path = f.name
    try:
        p = subprocess.run([sys.executable, run.__file__, path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    check("mismatch_exit_status", p.returncode, 1)
    check("mismatch_reported", "FAIL selftest_mismatch" in p.stdout, True)
    check("mismatch_summary", p.stdout.strip().splitlines()[-1],
          "0 passed, 1 failed")


def test_hang_report():
    """A kernel spinning on a lock is reported with where it spins."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("selftest_deadlock | pvh | build/capos-test.elf | "
                "test=deadlock | hang | 5\n")
        path = f.name
    try:
        p = subprocess.run([sys.executable, run.__file__, path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    check("hang_verdict", "PASS selftest_deadlock" in p.stdout, True)
    line = [l for l in p.stdout.splitlines() if l.startswith("hang:")]
    check("hang_report_rip", bool(line) and "spin_lock_raw" in line[0] and
          "deadlock_self (kernel/test/ktest.c:" in line[0], True)
    kept = run.read_file(os.path.join(run.LOGDIR, "selftest_deadlock.hang.txt"))
    check("hang_report_kept", kept.startswith("hang: the CPU spins at 0x"),
          True)
    check("hang_report_backtrace", "kmain (kernel/core/main.c:" in kept, True)


test_classifier()
test_mismatch_fails()
test_hang_report()
print("%d passed, %d failed" % (sum(results), len(results) - sum(results)))
sys.exit(0 if all(results) else 1)
