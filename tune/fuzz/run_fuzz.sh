#!/usr/bin/env bash
# run_fuzz.sh CLANGXX SOURCE_DIR GENERATED_INCLUDE_DIR WORK_DIR SECONDS
# Builds the profile-loader fuzzer with libFuzzer + ASan + UBSan and runs it for SECONDS from a seed corpus.
set -euo pipefail
cxx=$1 src=$2 gen=$3 work=$4 secs=$5
mkdir -p "$work/corpus"
bin="$work/fuzz_profile"
if [ ! -x "$bin" ] || [ -n "$(find "$src/tune" "$src/dispatch/profile.cpp" "$src/dispatch/profile.hpp" "$src/dispatch/names.cpp" "$src/dispatch/cpu_detect.cpp" -newer "$bin" -name '*.[ch]pp' 2>/dev/null | head -1)" ]; then
  "$cxx" -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$src" -I"$src/include" -I"$gen" \
    "$src/tune/fuzz/fuzz_profile.cpp" "$src/dispatch/profile.cpp" "$src/dispatch/names.cpp" "$src/dispatch/cpu_detect.cpp" \
    -o "$bin"
fi
# Seeds: a valid profile shape and a few broken ones.
cat > "$work/corpus/valid.json" <<'JSON'
{"format":"diaggauss-profile","format_version":1,"library_version":"0.1.0","created":"x","mode":"quick",
 "cpu":{"key":"authenticamd-25-1-avx2"},
 "kernels":{"normal":{"l2":{"isa":"avx2","family":"intrinsics","params":{"sample_chunk":1024,"philox_ilv":2},
 "throughput":1e9,"default":"avx2/intrinsics","default_throughput":1e9}}}}
JSON
printf '{"format":"diaggauss-profile","format_version":1' > "$work/corpus/truncated.json"
printf '[[[[[[[[[[[[[[[[' > "$work/corpus/deep.json"
"$bin" -max_total_time="$secs" -max_len=4096 -timeout=5 -rss_limit_mb=1024 "$work/corpus" 2>"$work/fuzz.log" || {
  tail -40 "$work/fuzz.log"; echo "profile fuzzer: FINDING (see $work/fuzz.log)"; exit 1; }
grep -E "^#[0-9]+.*(DONE|pulse)" "$work/fuzz.log" | tail -1
echo "profile fuzzer: no findings in ${secs}s"
