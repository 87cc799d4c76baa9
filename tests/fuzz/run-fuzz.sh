#!/usr/bin/env bash
# run-fuzz.sh NAME BUILD ARGS... - build and run one libFuzzer target.
#
# Builds tests/fuzz/NAME.c with lib/capnp into BUILD/fuzz/NAME using clang
# (-fsanitize=fuzzer,address,undefined) and runs it on the committed seed
# corpus tests/fuzz/corpus/<corpus>/ (read-only; new inputs go to
# BUILD/fuzz/NAME.corpus) with the libFuzzer ARGS (e.g. -runs=20000).
# Ends with the suite line: "1 passed, 0 failed" for a clean run,
# "0 passed, 1 failed" on a crash, "0 passed, 0 failed" (skip) when clang's
# fuzzer runtime is not installed.  FUZZ_EXTRA (environment) adds compiler
# arguments: include paths and sources of the code under test beyond
# lib/capnp (e.g. lib/rpc).
set -u
name=$1; build=$2; shift 2
corpus=tests/fuzz/corpus/${name%%_*}
out=$build/fuzz/$name
mkdir -p "$build/fuzz" "$out.corpus"
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
     clang -x c -fsanitize=fuzzer -o "$build/fuzz/probe" - 2>/dev/null; then
    echo "fuzz $name: clang libFuzzer runtime not available; skipped"
    echo "0 passed, 0 failed"
    exit 0
fi
if ! clang -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -Wall -Wextra -Werror -Ilib/capnp/include \
        -o "$out" "tests/fuzz/$name.c" lib/capnp/*.c ${FUZZ_EXTRA:-}; then
    echo "fuzz $name: build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
if "$out" -artifact_prefix="$build/fuzz/$name-" "$@" "$out.corpus" "$corpus" \
        > "$out.log" 2>&1; then
    tail -n 3 "$out.log"
    echo "1 passed, 0 failed"
else
    tail -n 40 "$out.log"
    echo "0 passed, 1 failed"
    exit 1
fi
