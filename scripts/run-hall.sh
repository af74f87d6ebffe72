#!/usr/bin/env bash
# Builds hallq and runs the hall with the embedded default configuration in the foreground.
# Data goes to ./hallq-data. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --run-only
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "hallqd on tcp://127.0.0.1:5570 (requests) and :5571 (events); try: build/daemon/hallqctl snapshot"
exec build/daemon/hallqd --data hallq-data "$@"
