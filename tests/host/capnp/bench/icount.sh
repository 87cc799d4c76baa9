#!/usr/bin/env bash
# icount.sh BENCH OUTDIR [N] - instructions per operation of the capnp
# benchmark, C and C++, from callgrind (valgrind, Debian package), which
# unlike times does not vary between runs or machines.  Runs
# `BENCH --count N` under callgrind with instrumentation off except inside
# each operation's loop; every loop ends in a named stats dump whose
# "totals:" line is its instruction count.  Prints one row per operation:
# C instr/op, C++ instr/op, ratio.  Prints a note and exits 0 without
# valgrind (the benchmark never fails on performance).
set -u
bench=$1; out=$2; n=${3:-200}
if ! command -v valgrind > /dev/null; then
    echo "instruction counts: valgrind not installed; skipped"
    exit 0
fi
rm -rf "$out"; mkdir -p "$out"
valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$out/cg.out" "$bench" --count "$n" \
    > "$out/run.log" 2>&1 || { tail -5 "$out/run.log"; exit 1; }
printf 'instructions/op (callgrind, %s runs), ratio = C / C++\n' "$n"
printf '%-18s %12s %12s %8s\n' op "C" "C++" "C/C++"
for f in $(ls "$out"/cg.out.* | sort -t. -k3 -n); do
    desc=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    tot=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")
    [ -n "$desc" ] && [ -n "$tot" ] && echo "$desc|$tot"
done | awk -F'|' -v n="$n" '
    { split($1, w, " "); impl = w[1]; op = w[2] " " w[3];
      v[impl, op] = $2 / n; if (!(op in seen)) { seen[op] = 1; ops[++k] = op } }
    END { for (i = 1; i <= k; i++) { o = ops[i]; c = v["C", o]; p = v["C++", o];
            printf "%-18s %12.0f %12.0f %8.2f\n", o, c, p, p ? c / p : 0 } }'
