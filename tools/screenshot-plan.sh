#!/bin/sh
# Writes the bundled sample's sales plan (build/sample-plan.html) and the
# screenshot of its top (docs/sample-plan.png: the headline and the
# temperature map) with Debian's headless chromium. Run it after a change to
# the page to keep the README's picture current.
#   tools/screenshot-plan.sh [BUILD_DIR]      (default: build)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
if [ ! -x "$BUILD/crmtier" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target crmtier crmtier_host -j2 >/dev/null
fi
command -v chromium >/dev/null || { echo "screenshot-plan.sh: chromium is missing: apt-get install chromium" >&2; exit 1; }
"$BUILD/crmtier" report -q -o "$BUILD/sample-plan.html"
# A profile and a TMPDIR of its own, removed afterwards (chromium leaves a
# socket folder in TMPDIR at every launch).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/tmp"
TMPDIR="$scratch/tmp" timeout 60 chromium --headless=new --no-sandbox --disable-gpu --log-level=3 \
  --user-data-dir="$scratch/profile" --no-first-run --disable-extensions --hide-scrollbars \
  --force-color-profile=srgb --force-device-scale-factor=1 --window-size=1160,1250 \
  --screenshot="$scratch/plan.png" "file://$(pwd)/$BUILD/sample-plan.html" 2>/dev/null
mv "$scratch/plan.png" docs/sample-plan.png
echo "docs/sample-plan.png: $(wc -c < docs/sample-plan.png) bytes; page: $BUILD/sample-plan.html"
