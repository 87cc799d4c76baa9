#!/usr/bin/env bash
# suite.sh NAME CMD... - run one test suite and keep its log.
#
# Runs CMD, echoing its output and saving it to build/test-logs/NAME.log.
# The suite's result is the last "N passed, N failed" line of its output;
# a suite that exits non-zero without reporting failures, or prints no
# summary at all, or runs no test, is recorded as one failure.  Always exits 0 so that every
# suite runs; tools/summary.sh adds the results up.
set -u
name=$1; shift
logdir=${BUILD:-build}/test-logs
mkdir -p "$logdir"
log=$logdir/$name.log
echo "== suite $name: $*"
"$@" > "$log.tmp" 2>&1
rc=$?
sed 's/^/  /' "$log.tmp"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log.tmp" | tail -n 1)
if [ -z "$line" ]; then
    line="0 passed, 1 failed"
    echo "  suite $name: no summary line (exit code $rc)"
elif [ "$line" = "0 passed, 0 failed" ]; then
    line="0 passed, 1 failed"
    echo "  suite $name: no tests ran"
elif [ "$rc" -ne 0 ] && [ "${line#* passed, }" = "0 failed" ]; then
    line="${line%% passed*} passed, 1 failed"
    echo "  suite $name: exit code $rc despite no failed tests"
fi
echo "RESULT $line" >> "$log.tmp"
mv "$log.tmp" "$log"
echo "== suite $name: $line"
