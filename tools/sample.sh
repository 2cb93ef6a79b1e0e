#!/bin/sh
# The front door: installs what is needed, builds, scores the bundled
# sample portfolio with the reference host and writes its sales plan.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCRMTIER_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
build/crmtier score -o build/sample-results.jsonl
build/crmtier report -o build/sample-plan.html
