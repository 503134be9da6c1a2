#!/usr/bin/env bash
# example_mc_entropy: examples/mc_entropy.cpp runs (through the public entry point diaggauss/mc.hpp), and its
# estimate for the model and run of `diaggauss mc --seed 1` is the CLI's to the last printed digit: the example and
# the CLI call one engine, the library's.
#   usage: check_mc_example.sh MC_ENTROPY DIAGGAUSS
set -euo pipefail
example=$1 cli=$2
out=$("$example" 200000 2)
echo "$out"
grep -Eq '^H = [0-9.]+ \+- [0-9.]+ +\(N = 200000, [12] threads' <<<"$out" || { echo "FAIL: no estimate line"; exit 1; }
mine=$(sed -n 's/^diaggauss mc --seed 1: H = \([0-9.]*\) .*/\1/p' <<<"$out")
cli_json=$("$cli" mc --seed 1 --samples 1000000 --json)
theirs=$(sed -n 's/^ *"estimate": \([0-9.]*\),$/\1/p' <<<"$cli_json" | head -n 1)
printf 'example: %s\nCLI:     %s\n' "$mine" "$theirs"
[[ -n $mine && -n $theirs ]] || { echo "FAIL: estimate missing"; exit 1; }
# Both print enough digits to name the double (%.17g; JSON's shortest round trip): equal as numbers, bit for bit.
/usr/bin/python3 -c "import sys; sys.exit(float(sys.argv[1]) != float(sys.argv[2]))" "$mine" "$theirs" ||
  { echo "FAIL: the example and the CLI disagree"; exit 1; }
echo "ok"
