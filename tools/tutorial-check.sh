#!/usr/bin/env bash
# tutorial-check.sh OUT - suite tutorial: docs/tutorial.md works as written.
#
# Copies the source tree (the files git knows, as they are in the working
# tree) to OUT/tree, writes every block of docs/tutorial.md that follows a
# "<!-- file: PATH -->" line to PATH there - exactly what a reader types -
# runs `make run SYSTEM=system/hello.capnp` in it and checks the lines the
# tutorial promises.  Prints PASS/FAIL per check and "N passed, N failed".
set -u
out=$1
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
rm -rf "$out"; mkdir -p "$out/tree"
git ls-files -z | xargs -0 cp --parents -t "$out/tree" 2>/dev/null
python3 - docs/tutorial.md "$out/tree" <<'PY'
import os, re, sys
doc, root = sys.argv[1], sys.argv[2]
text = open(doc).read()
n = 0
for m in re.finditer(r'<!-- file: (\S+) -->\n```\w*\n(.*?)\n```', text, re.S):
    path = os.path.join(root, m.group(1))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w').write(m.group(2) + '\n')
    n += 1
print(f"tutorial: {n} files written")
sys.exit(0 if n == 4 else 1)
PY
[ $? = 0 ] && ok files_extracted || ko files_extracted "expected 4 file blocks"
( cd "$out/tree" && timeout 600 make -j2 run SYSTEM=system/hello.capnp ) \
    > "$out/run.log" 2>&1 < /dev/null
status=$?
[ $status = 0 ] && ok make_run_ends_cleanly || ko make_run_ends_cleanly "status $status (see $out/run.log)"
for want in "greeter_client: hello, tutorial (OK, call 1)" \
            'greeter_client: empty name: INVAL "who are you?"' \
            "greeter_server: no clients left after 2 calls" "init: done"; do
    if grep -qF "$want" "$out/run.log"; then ok "output: $want"
    else ko "output" "missing \"$want\" (see $out/run.log)"; fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
