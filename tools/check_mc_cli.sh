#!/usr/bin/env bash
# check_mc_cli.sh [EMULATOR ARGS...] DIAGGAUSS: the mc command's option handling and thread placement
# (a cross build passes its CMAKE_CROSSCOMPILING_EMULATOR first).
#  - unknown options and options missing their value are errors (exit 2, the option named);
#  - pinned (default) and unpinned worker threads, and one thread, give the same estimate bits.
set -euo pipefail
bin=("$@")
fail() { echo "FAIL: $*"; exit 1; }
set +e
bogus=$("${bin[@]}" mc --samples 10 --bogus 2>&1); rc=$?
novalue=$("${bin[@]}" mc --threads 2>&1); rc2=$?
set -e
[ "$rc" -eq 2 ] || fail "--bogus: exit status $rc, expected 2"
echo "$bogus" | grep -q -- "not expected: --bogus" || fail "no message naming --bogus: $bogus"
[ "$rc2" -eq 2 ] || fail "--threads without a value: exit status $rc2, expected 2"
echo "$novalue" | grep -q -- "--threads" || fail "no message for --threads without a value: $novalue"
args=(mc --components 3 --dim 4 --samples 200003 --seed 9 --json)
one=$("${bin[@]}" "${args[@]}" --threads 1 | grep '"estimate"')
pinned=$("${bin[@]}" "${args[@]}" --threads 2 | grep '"estimate"')
free=$("${bin[@]}" "${args[@]}" --threads 2 --no-pin | grep '"estimate"')
echo "1 thread: $one"; echo "2 pinned: $pinned"; echo "2 free  : $free"
[ "$one" = "$pinned" ] && [ "$one" = "$free" ] || fail "estimates differ"
echo "ok"
