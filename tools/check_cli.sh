#!/usr/bin/env bash
# check_cli.sh [EMULATOR ARGS...] DIAGGAUSS: the command line users can trust (issue 14).
#  - every subcommand's --help (and `help CMD`) exits 0 at once, writes nothing and tunes nothing;
#  - unknown options and malformed numbers exit 2 naming the option and the value;
#  - outputs are whole or absent: a full disk (file-size limit, /dev/full, a tiny tmpfs when one can be mounted)
#    leaves the old file intact and no partial file;
#  - the crashes the issue lists are clean errors; mc runs without MPI unless a launcher started it;
#  - out of memory is a message, never an abort; output nobody received (stdout on a full disk or closed) is an
#    error; SIGINT/SIGTERM/SIGHUP leave no temporary file; long runs show progress on stderr (the audit's list).
set -uo pipefail
# A CLI that misreads a size (the old `sample --n " -5"` read 2^64-5) must not fill the disk: no file this script
# makes may pass 256 MiB (bash counts ulimit -f in KiB); a larger write fails with EFBIG instead.
trap '' XFSZ
ulimit -f 262144
bin=("$@")
bin[-1]=$(readlink -f "${bin[-1]}")  # the checks run in a scratch folder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" DIAGGAUSS_PROFILE=none
mkdir -p "$HOME"
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# run NAME ARGS...: runs the CLI, sets $rc and $out (stdout+stderr).
run() { out=$("${bin[@]}" "$@" 2>&1); rc=$?; }
expect_rc() { # expect_rc WANT WHAT
  [ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1: $(head -c 400 <<<"$out")"
}
expect_text() { # expect_text TEXT WHAT
  grep -qF -- "$1" <<<"$out" || fail "$2: no '$1' in: $(head -c 400 <<<"$out")"
}
nothing_written() {
  local left
  left=$(find "$work" -mindepth 1 ! -path "$HOME" | grep -v -e '^$' || true)
  [ -z "$left" ] || { fail "$1 wrote: $left"; rm -rf "${work:?}"/* && mkdir -p "$HOME"; }
  [ -z "$(ls -A "$HOME")" ] || { fail "$1 wrote into HOME: $(find "$HOME")"; rm -rf "${HOME:?}"/*; }
}

# ---- help everywhere, nothing run ------------------------------------------------------------------------
cmds=(info demo tune mc bench sample)
for c in "${cmds[@]}"; do
  SECONDS=0
  run "$c" --help
  expect_rc 0 "$c --help"
  expect_text "--help" "$c --help"
  ((SECONDS <= 2)) || fail "$c --help took ${SECONDS}s (did it run?)"
  nothing_written "$c --help"
  run help "$c"
  expect_rc 0 "help $c"
  expect_text "$c" "help $c"
  run "$c" -h
  expect_rc 0 "$c -h"
done
run help; expect_rc 0 "help"; for c in "${cmds[@]}"; do expect_text "$c" "help lists $c"; done
run --help; expect_rc 0 "--help"
run --version; expect_rc 0 "--version"; expect_text "diaggauss " "--version"
run; expect_rc 2 "no command"
run frobnicate; expect_rc 2 "unknown command"; expect_text "unknown command 'frobnicate'" "unknown command named"
expect_text "sample" "unknown command lists the commands"
run sample --n 5; expect_rc 2 "sample without --out"; expect_text "--out is required (or --raw)" "sample without --out"
grep -q "help is required" <<<"$out" && fail "sample without --out: doubled 'is required': $out"
nothing_written "help"

# ---- unknown options, malformed numbers ------------------------------------------------------------------
for c in "${cmds[@]}"; do
  run "$c" --bogus-option 3
  expect_rc 2 "$c --bogus-option"
  expect_text "--bogus-option" "$c --bogus-option"
done
run sample --n 10 --out s.npy --dtpye f32; expect_rc 2 "sample --dtpye"; expect_text "--dtpye" "sample --dtpye"
run info --jsn; expect_rc 2 "info --jsn"
run sample --n " -5" --out s.npy; expect_rc 2 "sample --n ' -5'"; expect_text "--n" "sample --n ' -5'"
expect_text "' -5'" "sample --n ' -5' names the value"
run tune --budget 2s --out t.json; expect_rc 2 "tune --budget 2s"; expect_text "'2s'" "tune --budget 2s"
run bench --runs abc; expect_rc 2 "bench --runs abc"; expect_text "'abc'" "bench --runs abc"
run mc --samples 1e6; expect_rc 2 "mc --samples 1e6"
run sample --dtype f16 --n 1 --out s.npy; expect_rc 2 "sample --dtype f16"
run mc --path fast; expect_rc 2 "mc --path fast"
run tune --kernel nosuch --out t.json; expect_rc 2 "tune --kernel nosuch"
run mc --model m.json --components 3; expect_rc 2 "--model with --components"
run mc --threads; expect_rc 2 "--threads without a value"
nothing_written "refused options"
# "010" is ten (base 10), not eight (octal).
s10=$("${bin[@]}" sample --raw --n 4 --seed 10 | od -An -tx4)
s010=$("${bin[@]}" sample --raw --n 4 --seed 010 | od -An -tx4)
s8=$("${bin[@]}" sample --raw --n 4 --seed 8 | od -An -tx4)
[ -n "$s10" ] && [ "$s10" = "$s010" ] && [ "$s10" != "$s8" ] || fail "--seed 010 is not ten: '$s010' vs '$s10'"

# ---- outputs whole or absent ------------------------------------------------------------------------------
printf 'OLD' >old.npy
# A size limit fails write() with EFBIG exactly where a full disk fails with ENOSPC (mid-write: the up-front
# free-space check passes).
out=$(trap '' XFSZ; ulimit -f 64; "${bin[@]}" sample --n 100000 --out old.npy 2>&1); rc=$?
expect_rc 1 "sample onto a full disk"; expect_text "File too large" "full disk names the OS reason"
[ "$(cat old.npy)" = OLD ] || fail "the old .npy was damaged by a failed write"
[ "$(ls -I home)" = old.npy ] || fail "a partial file was left: $(ls)"
run sample --n 10 --out /dev/full; expect_rc 2 "sample --out /dev/full"; expect_text "not a regular file" "/dev/full"
run sample --n 10 --out "$work/no/such/dir/x.npy"; expect_rc 2 "sample into a missing folder"
expect_text "No such file or directory" "missing folder names the OS reason"
if mkdir tiny && mount -t tmpfs -o size=64k tmpfs tiny 2>/dev/null; then
  printf 'OLD' >tiny/x.npy
  run sample --n 100000 --out tiny/x.npy; expect_rc 1 "sample onto a full tmpfs"
  expect_text "No space left on device" "full tmpfs names ENOSPC"
  [ "$(cat tiny/x.npy)" = OLD ] && [ "$(ls tiny)" = x.npy ] || fail "full tmpfs: old file damaged or partial left"
  umount tiny
else
  echo "note: no tmpfs mountable here; the file-size limit above stands in for a full disk"
fi
# A refused run leaves the old file as it was.
out=$(DIAGGAUSS_ISA=bogus "${bin[@]}" sample --n 10 --out old.npy 2>&1); rc=$?
[ "$rc" -ne 0 ] && [ "$(cat old.npy)" = OLD ] && [ "$(ls -I home -I tiny)" = old.npy ] || fail "a refused sample run touched old.npy"
rm -rf tiny old.npy
run sample --n 1000 --dim 3 --out ok.npy; expect_rc 0 "sample --out ok.npy"
[ "$(stat -c %s ok.npy)" -eq $((128 + 8 * 3000)) ] || fail "ok.npy has the wrong size"
rm -f ok.npy

# ---- tune: output checked first, merge, backup, full disk ------------------------------------------------
SECONDS=0
run tune --budget 30 --out /dev/full; expect_rc 2 "tune --out /dev/full"
((SECONDS <= 3)) || fail "tune --out /dev/full tuned first (${SECONDS}s)"
run tune --kernel reciprocal --budget 0.3 --out p.json; expect_rc 0 "tune --kernel reciprocal"
# Off a terminal (here: captured) progress is plain lines: no escape sequences in log files.
! grep -q $'\033' <<<"$out" || fail "tune wrote terminal escapes into a log"
expect_text "[tune] [1/4] reciprocal" "tune progress lines"
run tune --kernel normal --budget 0.3 --out p.json; expect_rc 0 "tune --kernel normal (merge)"
grep -q '"reciprocal"' p.json && grep -q '"normal"' p.json || fail "tune --kernel normal dropped reciprocal: $(cat p.json)"
grep -q '"reciprocal"' p.json.bak && ! grep -q '"normal"' p.json.bak || fail "p.json.bak is not the previous profile"
cp p.json before.json
out=$(trap '' XFSZ; ulimit -f 1; "${bin[@]}" tune --kernel uniform --budget 0.2 --out p.json 2>&1); rc=$?
expect_rc 1 "tune onto a full disk"
cmp -s p.json before.json || fail "a failed tune damaged the profile"
[ -z "$(ls -I home | grep tmp)" ] || fail "tune left a temporary file: $(ls)"
run tune --verify p.json --pairs 3 --json; expect_rc 0 "tune --verify --json"; expect_text '"rows"' "tune --verify --json"
rm -f p.json p.json.bak before.json

# ---- bench: all twelve kernels, one unit per kernel ----------------------------------------------------
run bench --runs 1 --json; expect_rc 0 "bench --json"
[ "$(grep -c '"kernel":' <<<"$out")" -eq 12 ] || fail "bench --json does not cover the 12 kernels"
grep -A4 '"kernel": "gmm_logpdf"' <<<"$out" | grep -q '"unit": "terms/s' || fail "bench: gmm_logpdf is not in terms/s"
run tune --kernel gmm_logpdf --budget 0.3 --out g.json --json; expect_rc 0 "tune --json"
expect_text 'gmm_logpdf in G terms/s' "tune --json: gmm_logpdf unit"
rm -f g.json g.json.bak

# ---- the crashes of issue 14 -----------------------------------------------------------------------------
out=$(DIAGGAUSS_ISA=bogus "${bin[@]}" tune --budget 0.2 --out b.json 2>&1); rc=$?
expect_rc 2 "DIAGGAUSS_ISA=bogus tune"; expect_text "bogus" "DIAGGAUSS_ISA=bogus tune"
[ ! -e b.json ] || fail "DIAGGAUSS_ISA=bogus tune wrote a profile"
out=$(DIAGGAUSS_ISA=bogus "${bin[@]}" mc --samples 1000 2>&1); rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] || fail "DIAGGAUSS_ISA=bogus mc: exit $rc"
grep -q -- "-0.0" <<<"$out" && fail "DIAGGAUSS_ISA=bogus mc printed an estimate: $out"
out=$(DIAGGAUSS_PROFILE=$'/tmp/\xff\xfe-not-utf8.json' "${bin[@]}" info --json 2>&1); rc=$?
expect_rc 0 "info --json with a non-UTF-8 profile path"; expect_text '"profile"' "info --json non-UTF-8"
run mc --model "$work"; expect_rc 2 "mc --model <dir>"; expect_text "--model" "mc --model <dir>"
run mc --components 100000000000; expect_rc 2 "mc --components 1e11"; expect_text "--components" "mc absurd K"
run mc --components 65536 --dim 4096; expect_rc 2 "mc K x D too large"
run mc --samples 18446744073709551615; expect_rc 2 "mc --samples near 2^64"
run mc --samples 20000 --threads 100000 --json; expect_rc 0 "mc --threads 100000"; expect_text "capped" "threads cap"
nothing_written "crash checks"

# ---- the audit: out of memory, lost output, signals, empty paths, the stream's end, progress, wording --------
# Out of memory is a message (exit 1), never std::terminate (exit 134).  The model's arrays and the library's
# scratch (4 x 32 MiB) cannot be had under a 120 MB address-space limit.
# Under an emulator the limit is the emulator's (qemu wants 128 MiB for its JIT buffer alone): native runs only.
if ((${#bin[@]} == 1)); then
  out=$(ulimit -v 120000; timeout 20 "${bin[@]}" mc -K 65536 -D 64 -N 100 2>&1); rc=$?
  expect_rc 1 "mc out of memory (model) (124: hung)"; expect_text "out of memory" "mc out of memory (model)"
  # A small limit must not hang a command at exit: when every command linked OpenBLAS, its worker (started at
  # load) retried a 128 MiB buffer forever below ~190 MB and was joined at exit, `info` included.  LAPACK is now
  # loaded only by `mc --path generic|all`.
  out=$(ulimit -v 60000; timeout 20 "${bin[@]}" info 2>&1); rc=$?
  expect_rc 0 "info under a 60 MB address-space limit (124: hung at exit)"
else
  echo "note: address-space limit checks skipped under the emulator (${bin[0]})"
fi
# Memory does not grow with N: 2^40 samples (2 GiB of chunk sums when the whole run was combined at once) start
# under a 1 GB limit and show their progress; stopped after a few seconds.
out=$(ulimit -v 1000000; DIAGGAUSS_PROGRESS_AFTER=0 timeout -s INT 3 "${bin[@]}" mc -N 1099511627776 2>&1); rc=$?
expect_rc 124 "mc -N 2^40 under 1 GB"; expect_text "[mc] simd path: " "mc -N 2^40 under 1 GB"
# Output nobody received: stdout on a full disk, or closed, is an error (exit 1) naming the OS reason.
for args in "mc -N 100 --json" "info" "info --json" "--help" "help mc" "--version" "bench --runs 1 --kernel reciprocal" \
            "tune --json --budget 0.2 --kernel reciprocal --out full.json"; do
  # shellcheck disable=SC2086
  out=$("${bin[@]}" $args 2>&1 >/dev/full); rc=$?
  expect_rc 1 "$args >/dev/full"
  expect_text "error writing to standard output: No space left on device" "$args >/dev/full"
done
rm -f full.json full.json.bak
out=$("${bin[@]}" info 2>&1 >&-); rc=$?
expect_rc 1 "info with stdout closed"; expect_text "standard output: Bad file descriptor" "info with stdout closed"
# sample --raw: a closed pipe ends an endless stream quietly; with --n it is output cut short; others name errno.
out=$("${bin[@]}" sample --raw 2>&1 >/dev/full); rc=$?
expect_rc 1 "sample --raw >/dev/full"; expect_text "No space left on device" "sample --raw >/dev/full"
out=$("${bin[@]}" sample --raw --n 10 2>&1 >/dev/full); rc=$?
expect_rc 1 "sample --raw --n 10 >/dev/full"; expect_text "No space left on device" "sample --raw --n 10 >/dev/full"
"${bin[@]}" sample --raw --n 1000000 2>err.txt | head -c 10 >/dev/null; rc=${PIPESTATUS[0]}; out=$(cat err.txt)
expect_rc 1 "sample --raw --n 1000000 | head"; expect_text "output cut short" "sample --raw --n 1000000 | head"
"${bin[@]}" sample --raw 2>err.txt | head -c 10 >/dev/null; rc=${PIPESTATUS[0]}; out=$(cat err.txt)
expect_rc 0 "sample --raw (endless) | head"; [ -z "$out" ] || fail "sample --raw | head wrote to stderr: $out"
rm -f err.txt
# A signal mid-write removes the temporary file and leaves the old target as it was; the exit status still says
# which signal.  (set -m: a background job of a non-interactive shell would otherwise start with SIGINT ignored.)
for sig in INT TERM HUP; do
  printf 'OLD' >k.npy
  set -m
  "${bin[@]}" sample --n 60000000 --dtype f32 --out k.npy 2>/dev/null &
  pid=$!
  set +m
  for _ in $(seq 200); do
    tmp=$(find . -maxdepth 1 -name 'k.npy.tmp.*' -size +0 | head -n 1)
    [ -n "$tmp" ] && break
    sleep 0.02
  done
  kill -s "$sig" "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; rc=$?  # (no job notice in the log)
  [ -n "$tmp" ] || fail "SIG$sig: no temporary file seen while sample ran (exit $rc)"
  want=$((128 + $(kill -l "$sig")))
  [ "$rc" -eq "$want" ] || fail "SIG$sig during sample: exit $rc, expected $want"
  left=$(find . -maxdepth 1 -name 'k.npy.tmp.*')
  [ -z "$left" ] || fail "SIG$sig during sample left $left"
  [ "$(cat k.npy)" = OLD ] || fail "SIG$sig during sample damaged the old k.npy"
done
rm -f k.npy k.npy.tmp.*
# An explicitly empty path is an error naming the option (exit 2), never the default path or nothing.
run tune --out "" --budget 0.2; expect_rc 2 'tune --out ""'; expect_text "--out: empty output path" 'tune --out ""'
run tune --verify ""; expect_rc 2 'tune --verify ""'; expect_text "--verify" 'tune --verify ""'
run tune --verify=; expect_rc 2 'tune --verify='; expect_text "--verify" 'tune --verify='
run mc -N 100 --save-model ""; expect_rc 2 'mc --save-model ""'; expect_text "--save-model: empty output path" 'mc --save-model ""'
nothing_written "empty paths"
# The stream ends at index 2^64 - 1: five values ending there are valid (the last five of ten ending there), six
# are not.
run sample --n 5 --offset 18446744073709551611 --out end5.npy; expect_rc 0 "sample ending at the stream's end"
run sample --n 10 --offset 18446744073709551606 --out end10.npy; expect_rc 0 "sample ten ending at the stream's end"
[ "$(tail -c 40 end5.npy | od -An -tx1)" = "$(tail -c 40 end10.npy | od -An -tx1)" ] || fail "the stream's last five values differ"
run sample --n 5 --offset 18446744073709551612 --out end6.npy; expect_rc 2 "sample passing the stream's end"
expect_text "passes the end of the stream" "sample passing the stream's end"
[ ! -e end6.npy ] || fail "a refused sample wrote end6.npy"
rm -f end5.npy end10.npy
# Progress on stderr for long runs (after 2 s; DIAGGAUSS_PROGRESS_AFTER=0 shows it at once); stdout unchanged.
out=$(DIAGGAUSS_PROGRESS_AFTER=0 "${bin[@]}" sample --n 3000000 --out prog.npy 2>&1); rc=$?
expect_rc 0 "sample with progress"; expect_text "[sample] " "sample progress"; expect_text "of 3000000 values" "sample progress"
! grep -q $'\033' <<<"$out" || fail "sample wrote terminal escapes into a log"
run sample --n 3000000 --out prog.npy; grep -q "\[sample\]" <<<"$out" && fail "a quick sample showed progress: $out"
rm -f prog.npy
quiet=$("${bin[@]}" mc -N 200000 --json 2>/dev/null)
loud=$(DIAGGAUSS_PROGRESS_AFTER=0 "${bin[@]}" mc -N 200000 --json 2>err.txt); out=$(cat err.txt); rm -f err.txt
expect_text "[mc] simd path: " "mc progress"
[ "$(grep -v -e seconds -e per_second <<<"$quiet")" = "$(grep -v -e seconds -e per_second <<<"$loud")" ] || fail "mc progress changed stdout: $loud"
# bench with fewer than 3 runs has no noise estimate: "n/a", JSON null, never the timer's 50 % placeholder.
run bench --runs 1 --kernel reciprocal; expect_rc 0 "bench --runs 1"; expect_text "cv   n/a" "bench --runs 1 cv"
grep -q "50.0%" <<<"$out" && fail "bench --runs 1 printed the placeholder cv: $out"
run bench --runs 2 --kernel reciprocal --json; expect_rc 0 "bench --runs 2 --json"; expect_text '"cv": null' "bench --runs 2 --json cv"
# tune tries its --out before tuning: a temporary name over NAME_MAX fails at once, not after the budget.
long=$(printf 'p%.0s' $(seq 245)).json
SECONDS=0
run tune --budget 30 --out "$long"; expect_rc 2 "tune --out <name over NAME_MAX with .tmp.XXXXXX>"
expect_text "File name too long" "tune --out long name"
((SECONDS <= 3)) || fail "tune --out <long name> tuned first (${SECONDS}s)"
nothing_written "audit checks"

# ---- mc: means so far from 0 that a sample loses its noise are warned about (the estimate is still printed) ----
printf '{"weights":[1],"means":[[1e17]],"variances":[[1]]}' > far.json
run mc --model far.json -N 1000; expect_rc 0 "mc with a far-away mean"
expect_text "warning: means[0][0] is 1e+17 standard deviations from 0" "mc warns when the means swamp the noise"
printf '{"weights":[1],"means":[[1e3]],"variances":[[1]]}' > near.json
run mc --model near.json -N 1000; expect_rc 0 "mc with an ordinary mean"
grep -qF "warning" <<<"$out" && fail "mc warned about an ordinary mean: $out"
rm -f far.json near.json
nothing_written "mc far-away means"

# ---- demo under a forced implementation: the per-ISA table is skipped with the reason, the rest still runs ----
out=$(DIAGGAUSS_ISA=scalar "${bin[@]}" demo --runs 1 --samples 1000 2>&1); rc=$?
expect_rc 0 "demo with DIAGGAUSS_ISA=scalar"
expect_text "skipped: DIAGGAUSS_ISA / DIAGGAUSS_IMPL force one implementation" "demo names why the table is skipped"
expect_text "==== 3. Monte Carlo" "demo goes on to the Monte Carlo step"
nothing_written "demo"

# ---- mc without MPI --------------------------------------------------------------------------------------
# Open MPI's plugins unreachable: a run without a launcher never initialises MPI, so it still works.
out=$(OMPI_MCA_mca_base_component_path=/nonexistent OPAL_PREFIX=/nonexistent "${bin[@]}" mc --samples 1000 --json 2>&1)
rc=$?
expect_rc 0 "mc with Open MPI's plugins unavailable"; expect_text '"estimate"' "mc without MPI"

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "ok"
