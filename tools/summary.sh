#!/usr/bin/env bash
# summary.sh LOGDIR [SUITE...] - add up the RESULT lines of every suite log
# and print the one line `make test` is judged by.  Each SUITE named must
# have a log: a suite that never ran (its prerequisites failed to build)
# counts as one failure.  Exits 1 on any failure.
set -u
logdir=$1; shift
p=0; f=0; n=0
for s in "$@"; do
    if [ ! -e "$logdir/$s.log" ]; then
        echo "suite $s: did not run"
        f=$((f+1))
    fi
done
set -- "$logdir"
for log in "$1"/*.log; do
    [ -e "$log" ] || continue
    line=$(grep -E '^RESULT [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    [ -n "$line" ] || { echo "suite $(basename "$log" .log): no result"; f=$((f+1)); continue; }
    set -- $line
    p=$((p + $2)); f=$((f + $4)); n=$((n + 1))
    [ "$4" -eq 0 ] || echo "failed suite: $(basename "$log" .log) ($2 passed, $4 failed)"
done
echo "suites: $n"
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$n" -gt 0 ]
