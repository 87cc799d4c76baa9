#!/usr/bin/env bash
# check-bootstrap.sh GEN OUTDIR "CC FLAGS" "SOURCES" - suite capnpc-bootstrap.
#
# 1. GEN regenerates the accessors for capnp's schema.capnp; they must equal
#    the committed tools/capnpc/schema.capnp.h (else run
#    `make capnpc-bootstrap-update` and commit).
# 2. Fixpoint: a generator compiled against the regenerated accessors
#    regenerates them byte for byte.
# Prints PASS/FAIL per check and "N passed, N failed".
set -u
gen=$(realpath "$1"); out=$2; cc=$3; srcs=$4
schema=/usr/include/capnp/schema.capnp
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
rm -rf "$out"; mkdir -p "$out/s1" "$out/s2" "$out/src"

capnp compile -I/usr/include --src-prefix=/usr/include -o"$gen:$out/s1" "$schema"
if cmp -s "$out/s1/schema.capnp.h" tools/capnpc/schema.capnp.h; then
    ok bootstrap_matches_committed
else
    diff -u tools/capnpc/schema.capnp.h "$out/s1/schema.capnp.h" | head -40
    ko bootstrap_matches_committed "run make capnpc-bootstrap-update"
fi

# Stage 2: the generator's sources next to the regenerated header.
cp tools/capnpc/*.c tools/capnpc/capnpc.h "$out/src/"
cp "$out/s1/schema.capnp.h" "$out/src/"
s2srcs=""
for f in $srcs; do
    case $f in tools/capnpc/*) s2srcs="$s2srcs $out/src/$(basename "$f")";;
               *) s2srcs="$s2srcs $f";; esac
done
if $cc -o "$out/capnpc-s2" $s2srcs &&
   capnp compile -I/usr/include --src-prefix=/usr/include \
       -o"$(realpath "$out")/capnpc-s2:$out/s2" "$schema" &&
   cmp -s "$out/s1/schema.capnp.h" "$out/s2/schema.capnp.h"; then
    ok bootstrap_fixpoint
else
    ko bootstrap_fixpoint "stage-2 output differs"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
