#!/usr/bin/env bash
# nosyscall.sh FILE [ALLOWED_FUNCTION...] - fail if FILE (an object, archive
# or ELF) contains a system-call instruction (syscall, sysenter, int $0x80)
# outside the named functions.  The musl build is checked with no function
# allowed; a POSIX program may enter the kernel only through lib/capos's
# capos_cap_enter and capos_exit (docs/posix.md).
set -eu
file=$1
shift
allowed=" $* "
objdump -d --no-show-raw-insn "$file" | awk -v allowed="$allowed" -v file="$file" '
    /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
    /^[[:space:]]+[0-9a-f]+:[[:space:]]+(syscall|sysenter|int[[:space:]]+\$0x80)[[:space:]]*$/ {
        if (index(allowed, " " fn " ") == 0) {
            printf "%s: system-call instruction in %s: %s\n", file, fn, $0
            bad = 1
        }
    }
    END { exit bad }'
