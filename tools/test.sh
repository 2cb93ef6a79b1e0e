#!/bin/sh
# Installs what the tests need, builds everything and runs every test.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh --test
# Under the sanitizers first (ASan+UBSan, TSan, short fuzz runs): any report
# stops here. Then the whole suite, whose summary closes the output.
tools/test-sanitizers.sh
# Warnings are errors here: CI's build must stay warning-free.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRMTIER_BUILD_TESTS=ON -DCRMTIER_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
