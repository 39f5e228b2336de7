#!/bin/sh
# Everything CI checks, from a clean clone on Debian 12: install packages,
# build with warnings as errors, run every test; then build again with clang
# under AddressSanitizer and UndefinedBehaviorSanitizer (with the libFuzzer
# target) and run every test once more.
set -eu
cd "$(dirname "$0")/.."
sh tests/install-deps.sh

cmake -S . -B build -DSHIHYO_WERROR=ON
cmake --build build -j2
(cd build && ctest --output-on-failure -j2)
# No test may depend on the date it runs on: everything again a year and a
# month ahead (libfaketime; Alertmanager is a Go binary that ignores it, and
# the systemd container's PID 1 and apt run on the real clock, as do their suites).
(cd build && faketime -f '+400d' ctest --output-on-failure -j2 \
  -E 'integration.(alertmanager|systemd)')

CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DSHIHYO_WERROR=ON -DSHIHYO_SANITIZE=ON
cmake --build build-asan -j2
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS="suppressions=$(pwd)/../tests/lsan.supp:print_suppressions=0" ctest --output-on-failure -j2)
echo "run-all: every test passed, plain and under ASan+UBSan"
