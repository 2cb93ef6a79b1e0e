#!/bin/sh
# The reliability runs CI makes after the ordinary suite (tools/test.sh):
#   1. every C++ test under AddressSanitizer + UndefinedBehaviorSanitizer
#      (LeakSanitizer included), preset "asan", build dir build-asan;
#   2. the concurrency tests (label "concurrency") under ThreadSanitizer,
#      preset "tsan", build dir build-tsan;
#   3. the libFuzzer harnesses (clang 14), a short run of each from its
#      committed seed corpus, build dir build-fuzz.
# Needs: tools/install-deps.sh --test, plus clang-14 libclang-rt-14-dev
# (the fuzzers; without clang++-14 this fails, saying what to install).
#
#   tools/test-sanitizers.sh            all three
#   tools/test-sanitizers.sh asan|tsan|fuzz   one of them
#   CRMTIER_FUZZ_SECONDS=20             seconds per harness (default 20)
#   CRMTIER_FUZZ_SKIP=<regex>           fuzz tests to leave out (default none)
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)
what=${1:-all}

run_asan() {
  echo "== ASan+UBSan: configure, build, test (build-asan)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$jobs"
  ctest --preset asan -j"$jobs"
}

run_tsan() {
  echo "== TSan: concurrency tests (build-tsan)"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$jobs"
  ctest --preset tsan -j"$jobs"
}

run_fuzz() {
  if ! command -v clang++-14 >/dev/null 2>&1; then
    echo "== fuzz: clang++-14 not installed: apt-get install clang-14 libclang-rt-14-dev (tools/install-deps.sh --test does)" >&2
    return 1
  fi
  echo "== fuzz: libFuzzer harnesses, ${CRMTIER_FUZZ_SECONDS:-20} s each (build-fuzz)"
  cmake -S fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCRMTIER_FUZZ_SECONDS="${CRMTIER_FUZZ_SECONDS:-20}" >/dev/null
  cmake --build build-fuzz -j"$jobs"
  # CRMTIER_FUZZ_SKIP: a regex of fuzz tests to leave out, e.g. while a
  # harness keeps finding a known open bug (fuzz/findings/).
  ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -E "${CRMTIER_FUZZ_SKIP:-^\$}"
}

case "$what" in
  all) run_asan; run_tsan; run_fuzz ;;
  asan) run_asan ;;
  tsan) run_tsan ;;
  fuzz) run_fuzz ;;
  *) echo "usage: $0 [all|asan|tsan|fuzz]" >&2; exit 2 ;;
esac
