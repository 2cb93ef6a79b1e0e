#!/bin/sh
# Installs what the tests need, builds everything and runs every test.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRMTIER_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
