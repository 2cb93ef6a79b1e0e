#!/bin/sh
# The benchmark of issue 5, in one command (docs/performance.md):
#
#   bench/run.sh [--sizes 30k,300k,1m] [--saves 100000] [--build DIR] [--keep-peer]
#
# For each size it generates the portfolio with samples/generate.py (seeded,
# ~10 invoices per account per year over two years; kept in DIR/bench-data and
# reused when already there, never committed), then runs
#   1. crmtier_bench: bulk load + full scoring, memory, on-save latency through
#      the C ABI and the change feed, the sales plan page's bytes and time
#      (C++, loads libcrmtier.so via crmtier.h);
#   2. bench/py_latency.py: the same saves through the Python binding;
#   3. bench/peer/peer.py: the pandas + scikit-learn peer on the same file;
# and prints the table (bench/report.py): figures, goals, the agreement of
# tiers, colours and next-contact dates with the peer, and the speed ratio.
# Raw figures stay in DIR/bench-out/; --keep-peer reuses the peer's figures
# from an earlier run there (the peer does not change with the plugin).
# Build type Release; DIR defaults to build-bench. The 1M size needs ~2.4 GB
# of disk, ~6 GB of memory and, on an idle 2-core machine, ~5 minutes to
# generate the file the first time plus ~10 minutes to run.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=30k,300k,1m
SAVES=100000
BUILD=build-bench
AS_OF=2026-11-30
PY=/usr/bin/python3
KEEP_PEER=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --saves) SAVES=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --keep-peer) KEEP_PEER=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
DATA=$BUILD/bench-data
OUT=$BUILD/bench-out
mkdir -p "$DATA" "$OUT"

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target crmtier crmtier_bench -j2 >/dev/null
if ! $PY -c 'import pandas, sklearn' 2>/dev/null; then
  echo "run.sh: the peer needs pandas and scikit-learn: bench/peer/install-deps.sh (as root)" >&2
  [ "$(id -u)" = 0 ] && sh bench/peer/install-deps.sh >&2
fi

count() {  # 10k -> 10000, 1m -> 1000000
  case "$1" in
    *k) echo $(( ${1%k} * 1000 )) ;;
    *m) echo $(( ${1%m} * 1000000 )) ;;
    *) echo "$1" ;;
  esac
}

echo "$SIZES" | tr ',' '\n' | while read -r s; do
  n=$(count "$s")
  f=$DATA/p$n.jsonl
  if [ ! -s "$f" ]; then
    echo "[$s] generating $f" >&2
    start=$(date +%s%N)
    $PY samples/generate.py --accounts "$n" --invoices-per-year 10 --as-of $AS_OF --out "$f.tmp"
    mv "$f.tmp" "$f"
    echo "{\"generate_ms\":$(( ($(date +%s%N) - start) / 1000000 ))}" > "$DATA/p$n.gen.json"
  fi
  echo "[$s] crmtier_bench (C ABI)" >&2
  "$BUILD/crmtier_bench" --input "$f" --as-of $AS_OF --saves "$SAVES" \
    --results "$OUT/plugin-$n.csv" --mix "$OUT/mix-$n.tsv" --json "$OUT/bench-$n.json" >/dev/null
  echo "[$s] py_latency (Python binding)" >&2
  $PY bench/py_latency.py --input "$f" --mix "$OUT/mix-$n.tsv" --as-of $AS_OF \
    --library "$BUILD/libcrmtier.so" --json "$OUT/py-$n.json" >/dev/null
  if [ "$KEEP_PEER" = 1 ] && [ -s "$OUT/peer-$n.json" ] && [ -s "$OUT/peer-$n.csv" ]; then
    echo "[$s] peer: keeping the earlier run's figures (--keep-peer)" >&2
  else
    echo "[$s] peer (pandas + scikit-learn)" >&2
    /usr/bin/time -o "$OUT/peer-$n.cpu.json" -f '{"user_s":%U,"sys_s":%S,"max_rss_kb":%M}' \
      $PY bench/peer/peer.py "$f" --as-of $AS_OF --out "$OUT/peer-$n.csv" 2> "$OUT/peer-$n.err"
    grep '^{"peer"' "$OUT/peer-$n.err" > "$OUT/peer-$n.json"
  fi
done

$PY bench/report.py --out "$OUT" --data "$DATA" --sizes "$SIZES" --markdown "$OUT/report.md"
