#!/usr/bin/env python3
"""Per-function instruction profile of one repeating operation in a guest.

Usage: profile.py QEMU_LOG KERNEL_ELF MARKER PERIOD

QEMU_LOG comes from a TCG run with `-d in_asm,exec,nochain -D QEMU_LOG`
(for example the bench-smoke manifest, docs/performance.md).  MARKER is a
kernel function entered once per operation (call_dispatch for an IPC
round trip); PERIOD the expected instructions per operation.  The script
finds the gaps between consecutive entries of MARKER, picks one gap within
5% of PERIOD that repeats at least 20 times, and prints the instructions
and entries per kernel function in it ("user" for user space).
"""
import bisect
import collections
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def parse(log):
    """TB start -> instruction count, and the executed TB starts in order."""
    ninsn, events, cur = {}, [], None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("Trace "):
                events.append(int(line.split("[", 1)[1].split("/")[1], 16))
            elif line.startswith("IN:"):
                cur = None
            elif line.startswith("0x") and ": " in line[:22]:
                pc = int(line.split(":")[0], 16)
                if cur is None:
                    cur, ninsn[pc] = pc, 0
                ninsn[cur] += 1
    return ninsn, events


def main():
    log, elf, mark, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    syms = symbols(elf)
    addrs = [a for a, _ in syms]
    starts = dict(syms)

    def name(pc):
        if pc < 0xffff800000000000:
            return "user"
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    ninsn, events = parse(log)
    entry = [a for a, n in syms if n == mark][0]
    occ = [i for i, pc in enumerate(events) if pc == entry]
    spans = [(a, b, sum(ninsn.get(pc, 0) for pc in events[a:b]))
             for a, b in zip(occ, occ[1:])]
    counts = collections.Counter(g for _, _, g in spans)
    for a, b, g in spans:
        if abs(g - want) <= want * 0.05 and counts[g] >= 20:
            insns, calls = collections.Counter(), collections.Counter()
            for pc in events[a:b]:
                insns[name(pc)] += ninsn.get(pc, 0)
                if pc in starts:
                    calls[starts[pc]] += 1
            print(f"one operation: {g} instructions ({counts[g]} alike)")
            for fn, n in insns.most_common():
                print(f"{n:7d} {calls.get(fn, 0):4d} {fn}")
            return 0
    print("no repeating period near", want, "; most common:",
          counts.most_common(8))
    return 1


if __name__ == "__main__":
    sys.exit(main())
