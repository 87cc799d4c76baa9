#!/usr/bin/env bash
# check-cli.sh GEN EMIT_GOLDEN WORKDIR - suite capnpc-cli.
#
# Runs the (ASan+UBSan) generator as capnp runs it and checks:
#  - golden: the C builder's message, decoded by `capnp convert
#    binary:text`, equals tests/host/capnpc/golden.txt (both canonicalised
#    through capnp);
#  - the test schema generates cleanly;
#  - a schema whose type names clash in C is rejected with exit 1 and a
#    message naming file, type and identifier;
#  - malformed CodeGeneratorRequests (empty, garbage, truncated, byte
#    flips) are rejected or handled without a crash or sanitizer report.
set -u
gen=$(realpath "$1"); emit=$(realpath "$2"); work=$3
t=tests/host/capnpc
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
export ASAN_OPTIONS=detect_leaks=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1
rm -rf "$work"; mkdir -p "$work"; work=$(realpath "$work")

# golden: builder output == golden.txt
if "$emit" > "$work/emitted.bin" &&
   capnp convert binary:text $t/gen_test.capnp All < "$work/emitted.bin" \
       > "$work/emitted.txt" &&
   capnp convert text:binary $t/gen_test.capnp All < $t/golden.txt |
   capnp convert binary:text $t/gen_test.capnp All > "$work/golden.txt" &&
   diff -u "$work/golden.txt" "$work/emitted.txt"; then
    ok golden_builder_matches_capnp
else
    ko golden_builder_matches_capnp "decoded builder output differs"
fi

if capnp compile -o"$gen:$work" $t/gen_test.capnp 2> "$work/gen.err"; then
    ok generate_test_schema
else
    cat "$work/gen.err"; ko generate_test_schema "generator failed"
fi

capnp compile -o"$gen:$work" $t/reject_clash.capnp 2> "$work/rej.err"
rc=$?
if [ $rc -ne 0 ] && grep -q "reject_clash.capnp: ABar: generated C name 'reject_clash_a_bar_r' is already used" "$work/rej.err" &&
   [ ! -e "$work/reject_clash.capnp.h" ]; then
    ok reject_type_name_clash
else
    cat "$work/rej.err"; ko reject_type_name_clash "rc=$rc"
fi

# Run the plugin directly on a request file; 0/1 are fine, crashes are not.
run_req() {
    (cd "$work" && "$gen" < "$1" > /dev/null 2> "$work/req.err")
    local rc=$?
    if [ $rc -gt 1 ] || grep -q "Sanitizer\|runtime error" "$work/req.err"; then
        cat "$work/req.err" | head -20
        return 2
    fi
    return $rc
}
capnp compile -o- $t/gen_test.capnp > "$work/req.bin"
run_req "$work/req.bin" && ok request_valid || ko request_valid "rc=$?"
: > "$work/empty.bin"
run_req "$work/empty.bin"; rc=$?
[ $rc -eq 1 ] && grep -q "malformed CodeGeneratorRequest" "$work/req.err" &&
    ok reject_empty_request || ko reject_empty_request "rc=$rc"
head -c 4096 /dev/urandom > "$work/garbage.bin"
run_req "$work/garbage.bin"; rc=$?
[ $rc -eq 1 ] && ok reject_garbage_request || ko reject_garbage_request "rc=$rc"
size=$(stat -c %s "$work/req.bin")
head -c $((size / 2)) "$work/req.bin" > "$work/trunc.bin"
run_req "$work/trunc.bin"; rc=$?
[ $rc -eq 1 ] && ok reject_truncated_request || ko reject_truncated_request "rc=$rc"

# Deterministic byte flips over the whole request.
bad=0; ran=0
for i in $(seq 1 150); do
    cp "$work/req.bin" "$work/mut.bin"
    pos=$(( (i * 7919) % size ))
    printf "\\x$(printf %02x $(( (i * 37 + 1) & 255 )))" |
        dd of="$work/mut.bin" bs=1 seek=$pos conv=notrunc status=none
    [ -s "$work/mut.bin" ] || { bad=$((bad + 1)); continue; }
    run_req "$work/mut.bin"
    [ $? -gt 1 ] && { echo "crash with byte flip at $pos"; bad=$((bad + 1)); }
    ran=$((ran + 1))
done
[ $bad -eq 0 ] && [ $ran -eq 150 ] && ok mutated_requests_no_crash || ko mutated_requests_no_crash "$bad crashes"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
