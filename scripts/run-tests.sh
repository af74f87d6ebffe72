#!/usr/bin/env bash
# Builds hallq and runs every test twice: a gcc build, then a clang build under
# AddressSanitizer and UndefinedBehaviorSanitizer. Checks the habits (formatting, cppcheck:
# scripts/lint.sh) after the first build, fuzzes for a bounded time at the end, and prints
# how long each phase took. Installs what it needs first. A build that fails stops it; failing
# checks or tests do not, so one run shows every failure (the exit status is 1 then).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
started=$SECONDS
times=()
failed=()
phase() {   # phase NAME: ends the running phase (noting its time) and starts NAME
    [ -n "${phase_name:-}" ] && times+=("$(printf '%5d s  %s' $((SECONDS - phase_t)) "$phase_name")")
    phase_name=$1
    phase_t=$SECONDS
    [ -n "$1" ] && echo "== $1"
    return 0
}
report() {
    phase ""
    echo "== time per phase"
    printf '%s\n' "${times[@]}"
    printf '%5d s  total\n' $((SECONDS - started))
    [ ${#failed[@]} -eq 0 ] || printf 'FAILED: %s\n' "${failed[@]}"
}
trap report EXIT

phase "dependencies"
scripts/deps.sh

phase "gcc build"
cmake -S . -B build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

phase "habits: formatting and cppcheck"
scripts/lint.sh build || failed+=("habits: formatting and cppcheck")

phase "gcc tests"
(cd build && ctest --output-on-failure -j"$jobs") || failed+=("gcc tests")

phase "clang build with ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DHALLQ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"

phase "clang tests with ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The "network" tests check the .deb and the golden tickets' bytes, not the C code's memory use.
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE network) ||
    failed+=("clang tests with ASan+UBSan")

phase "fuzzing the codec, the config parser and the screens (bounded: ${HALLQ_FUZZ_SECONDS:=20} s, side by side)"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHALLQ_SANITIZE=ON -DHALLQ_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_codec fuzz_config fuzz_screen
# The three run side by side, one process each: the phase takes one bound, not three.
declare -A fuzz_pid
for target in codec config screen; do
    corpus=build-fuzz/corpus-$target
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/$target/* "$corpus"/
    build-fuzz/bin/fuzz_$target -max_total_time="$HALLQ_FUZZ_SECONDS" -print_final_stats=1 \
        -artifact_prefix=build-fuzz/crash-$target- "$corpus" > "build-fuzz/fuzz-$target.log" 2>&1 &
    fuzz_pid[$target]=$!
done
for target in codec config screen; do
    log=build-fuzz/fuzz-$target.log
    if ! wait "${fuzz_pid[$target]}"; then
        grep -E 'ERROR|SUMMARY' "$log" || tail -n 20 "$log"
        echo "fuzz_$target failed: $log; a crash input is in build-fuzz/crash-$target-*" \
             "(add it to tests/fuzz/regressions/$target)"
        failed+=("fuzz_$target")
        continue
    fi
    echo "fuzz_$target:"
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$log"
done
[ ${#failed[@]} -eq 0 ]
