#!/usr/bin/env bash
# Builds hallq and runs every test twice: a gcc build, then a clang build under
# AddressSanitizer and UndefinedBehaviorSanitizer. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

echo "== gcc build and tests"
cmake -S . -B build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== clang build with ASan+UBSan and tests"
cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DHALLQ_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The "network" tests check the .deb and the golden tickets' bytes, not the C code's memory use.
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE network)

echo "== fuzzing the codec and the config parser (bounded: ${HALLQ_FUZZ_SECONDS:=20} s each)"
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHALLQ_SANITIZE=ON -DHALLQ_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_codec fuzz_config
for target in codec config; do
    corpus=build-fuzz/corpus-$target
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/$target/* "$corpus"/
    build-fuzz/tests/fuzz_$target -max_total_time="$HALLQ_FUZZ_SECONDS" -print_final_stats=1 \
        -artifact_prefix=build-fuzz/crash-$target- "$corpus" 2>&1 |
        grep -E '^(stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY' || true
    if ls build-fuzz/crash-$target-* >/dev/null 2>&1; then
        echo "fuzz_$target found a crash: build-fuzz/crash-$target-* (add it to tests/fuzz/regressions/$target)"
        exit 1
    fi
done
echo "fuzzing: no crash found"
