#!/bin/sh
# install.debs: builds the Debian packages with CPack, checks their control
# fields and file lists, lets apt resolve their dependencies (simulated), then
# unpacks them into a scratch root and runs, from that root only, the
# installed host on the installed sample, the installed binding loading the
# installed library, and the installed Tryton module's tests under trytond
# (docs/install.md). Nothing is installed on the machine: a system-wide
# libcrmtier.so.1 would be found by the other tests' binding.
#
# usage: check_debs.sh BUILD_DIR WORK_DIR SOURCE_DIR VERSION ABI_MAJOR LIBDIR
set -eu
BUILD=${1:?usage: check_debs.sh BUILD_DIR WORK_DIR SOURCE_DIR VERSION ABI_MAJOR LIBDIR}
WORK=$2 SRC=$3 VERSION=$4 ABI=$5 LIBDIR=$6
RELEASE=1
fail() { echo "install.debs: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps apt-get cpack /usr/bin/python3 /usr/bin/trytond; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "missing $tool: run tools/install-deps.sh --test (dpkg-dev for dpkg-shlibdeps, tools/install-tryton-deps.sh for trytond)"
done
ARCH=$(dpkg --print-architecture)
rm -rf "$WORK"
mkdir -p "$WORK/debs"

# 1. The packages.
cpack -G DEB -B "$WORK/debs" --config "$BUILD/CPackConfig.cmake" >"$WORK/cpack.log" 2>&1 ||
  { cat "$WORK/cpack.log" >&2; fail "cpack -G DEB failed"; }
rm -rf "$WORK/debs/_CPack_Packages"
deb() { echo "$WORK/debs/$1_${VERSION}-${RELEASE}_$2.deb"; }
LIB=libcrmtier$ABI
for pair in $LIB:$ARCH libcrmtier-dev:$ARCH crmtier:$ARCH python3-crmtier:all tryton-modules-crmtier:all; do
  [ -f "$(deb "${pair%%:*}" "${pair#*:}")" ] || fail "cpack did not write $(basename "$(deb "${pair%%:*}" "${pair#*:}")"): $(ls "$WORK/debs")"
done
[ "$(ls "$WORK/debs" | wc -l)" -eq 5 ] || fail "cpack wrote other files too: $(ls "$WORK/debs")"

# 2. Control fields: name, version, architecture, section, dependencies.
field() { dpkg-deb -f "$1" "$2"; }
expect_field() {  # package file field value
  got=$(field "$1" "$2")
  [ "$got" = "$3" ] || fail "$(basename "$1"): $2 is '$got', expected '$3'"
}
expect_depends() {  # package file, then each dependency the Depends must hold
  f=$1; shift
  got=$(field "$f" Depends | tr ',' '\n' | sed 's/^ *//')
  for want in "$@"; do
    echo "$got" | grep -qxF "$want" || fail "$(basename "$f"): Depends lacks '$want': $(field "$f" Depends)"
  done
}
for pair in $LIB:$ARCH:libs libcrmtier-dev:$ARCH:libdevel crmtier:$ARCH:utils \
    python3-crmtier:all:python tryton-modules-crmtier:all:python; do
  name=${pair%%:*} rest=${pair#*:}
  f=$(deb "$name" "${rest%%:*}")
  expect_field "$f" Package "$name"
  expect_field "$f" Version "$VERSION-$RELEASE"
  expect_field "$f" Architecture "${rest%%:*}"
  expect_field "$f" Section "${rest#*:}"
  [ -n "$(field "$f" Maintainer)" ] || fail "$name has no Maintainer"
  # A short description and a long one.
  [ "$(field "$f" Description | wc -l)" -ge 4 ] || fail "$name: no long Description: $(field "$f" Description)"
  # Every package: its copyright and changelog, nothing outside /usr, no bytecode.
  list=$(dpkg-deb -c "$f" | awk '{print $6}')
  for doc in copyright changelog.gz changelog.Debian.gz; do
    echo "$list" | grep -qx "./usr/share/doc/$name/$doc" || fail "$name lacks /usr/share/doc/$name/$doc"
  done
  echo "$list" | grep -v -e '^\./usr/' -e '^\./$' && fail "$name installs outside /usr"
  echo "$list" | grep -e '__pycache__' -e '\.pyc$' && fail "$name ships bytecode"
  echo "$list" | grep -v '/$' | sed "s|^|$name |" >>"$WORK/files"
done
LIBF=$(deb $LIB "$ARCH") DEVF=$(deb libcrmtier-dev "$ARCH") HOSTF=$(deb crmtier "$ARCH")
PYF=$(deb python3-crmtier all) TRYF=$(deb tryton-modules-crmtier all)
# No file in two packages (dpkg would refuse to install the second).
dup=$(awk '{print $2}' "$WORK/files" | sort | uniq -d)
[ -z "$dup" ] || fail "files in two packages: $dup"
expect_depends "$LIBF" "$(field "$LIBF" Depends | tr ',' '\n' | sed 's/^ *//' | grep '^libc6 ')"
field "$LIBF" Depends | grep -q 'libstdc++' && fail "$LIB depends on libstdc++: the C++ runtime is linked statically"
expect_depends "$DEVF" "$LIB (= $VERSION-$RELEASE)"
expect_depends "$HOSTF" "$LIB (>= $VERSION)"
field "$HOSTF" Depends | grep -q 'libc6 ' || fail "crmtier: no shlibdeps (libc6) in Depends: $(field "$HOSTF" Depends)"
expect_depends "$PYF" "python3:any (>= 3.7)" "$LIB (>= $VERSION)"
expect_depends "$TRYF" "python3:any" "tryton-server (>= 6.0)" "tryton-server-api-6.0" "tryton-modules-party (>= 6.0)" \
  "tryton-modules-sale (>= 6.0)" "tryton-modules-company (>= 6.0)" "python3-crmtier (= $VERSION-$RELEASE)"
# The library package: its shlibs and the ldconfig trigger.
dpkg-deb -e "$LIBF" "$WORK/lib-control"
grep -qx "libcrmtier $ABI $LIB (>= $VERSION)" "$WORK/lib-control/shlibs" ||
  fail "$LIB shlibs: $(cat "$WORK/lib-control/shlibs" 2>/dev/null)"
grep -qx "activate-noawait ldconfig" "$WORK/lib-control/triggers" || fail "$LIB has no ldconfig trigger"
# The Python packages compile on install and clean on removal.
for f in "$PYF" "$TRYF"; do
  rm -rf "$WORK/control" && dpkg-deb -e "$f" "$WORK/control"
  grep -q "py3compile -p $(field "$f" Package)" "$WORK/control/postinst" || fail "$(basename "$f"): no py3compile in postinst"
  grep -q "py3clean -p $(field "$f" Package)" "$WORK/control/prerm" || fail "$(basename "$f"): no py3clean in prerm"
done

# The files each package must hold (a few per kind; the rest is checked by running them).
has() {  # package-name path...
  p=$1; shift
  for path in "$@"; do
    grep -qxF "$p ./usr/$path" "$WORK/files" || fail "$p lacks /usr/$path"
  done
}
has $LIB "$LIBDIR/libcrmtier.so.$VERSION" "$LIBDIR/libcrmtier.so.$ABI"
has libcrmtier-dev include/crmtier.h "$LIBDIR/libcrmtier.so" "$LIBDIR/cmake/crmtier/crmtierConfig.cmake" \
  "$LIBDIR/cmake/crmtier/crmtierConfigVersion.cmake" "$LIBDIR/pkgconfig/crmtier.pc" \
  share/doc/libcrmtier-dev/install.md share/doc/libcrmtier-dev/semantics.md
has crmtier bin/crmtier share/crmtier/samples/portfolio.jsonl share/crmtier/samples/portfolio.meta.json \
  share/crmtier/manifests/crmtier.extension.json share/crmtier/manifests/crmtier-extension.schema.json \
  share/doc/crmtier/README.md share/doc/crmtier/semantics.md
PY=lib/python3/dist-packages
has python3-crmtier $PY/crmtier/__init__.py $PY/crmtier/_library.py $PY/crmtier/engine.py \
  $PY/crmtier/dask/__init__.py "$PY/crmtier-$VERSION.egg-info/PKG-INFO" share/doc/python3-crmtier/python.md
has tryton-modules-crmtier $PY/trytond/modules/crmtier/__init__.py $PY/trytond/modules/crmtier/tryton.cfg \
  $PY/trytond/modules/crmtier/view/party_form.xml $PY/trytond/modules/crmtier/icons/crmtier-escalate.svg \
  $PY/trytond/modules/crmtier/tests/test_crmtier.py share/doc/tryton-modules-crmtier/tryton.md
# Every file of the sources is in its package (nothing forgotten), and only those.
for d in crmtier crmtier/dask; do
  for f in "$SRC/abi/python/$d"/*.py; do has python3-crmtier "$PY/$d/$(basename "$f")"; done
done
(cd "$SRC/integrations/tryton/module" && find . -type f \( -name '*.py' -o -name '*.xml' -o -name '*.svg' -o -name tryton.cfg \) ! -path '*__pycache__*') |
  while read -r f; do has tryton-modules-crmtier "$PY/trytond/modules/crmtier/${f#./}"; done
[ "$(grep -c "^tryton-modules-crmtier ./usr/$PY/trytond/modules/crmtier/" "$WORK/files")" -eq \
  "$(cd "$SRC/integrations/tryton/module" && find . -type f \( -name '*.py' -o -name '*.xml' -o -name '*.svg' -o -name tryton.cfg \) ! -path '*__pycache__*' | wc -l)" ] ||
  fail "tryton-modules-crmtier holds files the module folder does not"
egg=$(dpkg-deb --fsys-tarfile "$TRYF" | tar -xO --wildcards "./usr/$PY/trytond_crmtier-*.egg-info/entry_points.txt")
echo "$egg" | grep -qx 'crmtier = trytond.modules.crmtier' || fail "the module's egg-info has no trytond.modules entry point: $egg"
echo "packages: ok ($(cd "$WORK/debs" && ls | tr '\n' ' '))"

# 3. apt resolves them on this machine (simulated: nothing is installed).
apt-get install --simulate --no-install-recommends "$WORK"/debs/*.deb >"$WORK/apt.log" 2>&1 ||
  { cat "$WORK/apt.log" >&2; fail "apt-get install --simulate refused the packages"; }
for name in $LIB libcrmtier-dev crmtier python3-crmtier tryton-modules-crmtier; do
  grep -q "^Inst $name " "$WORK/apt.log" || { cat "$WORK/apt.log" >&2; fail "apt-get would not install $name"; }
done
echo "apt-get install --simulate: ok"

# 4. Unpacked into a scratch root, run from there only.
ROOT=$WORK/root
for f in "$WORK"/debs/*.deb; do dpkg -x "$f" "$ROOT"; done
unset CRMTIER_LIBRARY CRMTIER_SAMPLE_DIR PYTHONPATH LD_LIBRARY_PATH
# 4a. The installed host, no argument but -o: the installed sample, the
# installed library; the same bytes as the build tree's host.
mkdir -p "$WORK/installed" "$WORK/built"
(cd "$WORK/installed" && LD_DEBUG=files "$ROOT/usr/bin/crmtier" score -o results.jsonl >out 2>err) ||
  { cat "$WORK/installed/err" >&2; fail "the installed crmtier failed"; }
grep -q "scoring the bundled sample $ROOT/usr/share/crmtier/samples/portfolio.jsonl" "$WORK/installed/err" ||
  fail "the installed crmtier did not score the installed sample: $(grep -v '^ *[0-9]*:' "$WORK/installed/err")"
grep -q "calling init: $ROOT/usr/$LIBDIR/libcrmtier.so.$ABI\$" "$WORK/installed/err" ||
  fail "the installed crmtier did not load $ROOT/usr/$LIBDIR/libcrmtier.so.$ABI: $(grep libcrmtier "$WORK/installed/err")"
(cd "$WORK/built" && "$BUILD/crmtier" score -o results.jsonl >out 2>err) ||
  { cat "$WORK/built/err" >&2; fail "the build tree's crmtier failed"; }
for f in results.jsonl out; do
  cmp "$WORK/installed/$f" "$WORK/built/$f" || fail "the installed host's $f differs from the build tree's"
done
[ "$(wc -l <"$WORK/installed/results.jsonl")" -eq 2000 ] ||
  fail "the sample gave $(wc -l <"$WORK/installed/results.jsonl") results, not 2000"
echo "installed host on the installed sample: ok ($(head -1 "$WORK/installed/out"))"

# 4b. The installed binding finds the installed library by the system's
# loader (LD_LIBRARY_PATH standing for ld.so.conf), and scores the four
# accounts of portfolio.jsonl (tiers worked out in consumer/consumer.c).
SITE=$ROOT/usr/$PY
PYTHONPATH=$SITE LD_LIBRARY_PATH=$ROOT/usr/$LIBDIR /usr/bin/python3 - "$ROOT" "$ROOT/usr/$LIBDIR/libcrmtier.so.$ABI" \
    "$SRC/tests/install/portfolio.jsonl" <<'PY' || fail "the installed binding failed"
import os, sys
root, library, portfolio = sys.argv[1:]
import crmtier
assert crmtier.__file__.startswith(root + os.sep), crmtier.__file__
assert str(crmtier.find_library()) == os.path.basename(library), crmtier.find_library()
with crmtier.Engine({'as_of': '2026-11-30'}) as engine:
    with open(portfolio, 'rb') as f:
        engine.load('canonical', f.read())
    tiers = {r['id']: r['tier'] for r in engine.results()}
assert tiers == {'ACC-A': 'A', 'ACC-B': 'B', 'ACC-C': 'C', 'ACC-D': 'D'}, tiers
with open('/proc/self/maps') as f:
    mapped = {line.split()[-1] for line in f if 'libcrmtier' in line}
assert mapped == {os.path.realpath(library)}, (mapped, library)
print('installed binding: ok, crmtier', crmtier.version(), 'from', library)
PY
# Without the loader's path it says every place it looked.
PYTHONPATH=$SITE /usr/bin/python3 -c '
import crmtier
try:
    crmtier.find_library()
except FileNotFoundError as e:
    print(e)
else:
    raise SystemExit("found a library with none installed: is libcrmtier1 installed on this machine? (apt-get purge libcrmtier1)")
' >"$WORK/notfound.txt" || fail "$(cat "$WORK/notfound.txt")"
for place in "$SITE/crmtier/libcrmtier.so" "$SITE/libcrmtier.so" "libcrmtier.so.$ABI from the system's loader" CRMTIER_LIBRARY; do
  grep -qF "$place" "$WORK/notfound.txt" || fail "the binding's error does not name $place: $(cat "$WORK/notfound.txt")"
done
echo "binding without a library: ok"

# 4c. The installed Tryton module: trytond finds it by its entry point in the
# unpacked egg-info, and its own tests run from the unpacked files, on SQLite
# in memory, with the library found as above: the module's activation and
# three tests that score through the library (all 42 run in
# tryton_module_unittest, from a virtual environment: a minute more here).
TESTS=$SITE/trytond/modules/crmtier/tests
(cd "$TESTS" && PYTHONPATH=$SITE LD_LIBRARY_PATH=$ROOT/usr/$LIBDIR DB_NAME=:memory: \
   CRMTIER_TRYTON_MAPPING=$SRC/adapters/mappings/tryton.json \
   /usr/bin/python3 - "$SITE" <<'PY') || fail "trytond does not find the unpacked module"
import os, sys
import trytond.modules
module = trytond.modules.import_module('crmtier')
assert module.__file__.startswith(sys.argv[1] + os.sep), module.__file__
info = trytond.modules.get_module_info('crmtier')
assert info['directory'].startswith(sys.argv[1] + os.sep), info
print('trytond imports crmtier from', info['directory'])
PY
(cd "$TESTS" && PYTHONPATH=$SITE LD_LIBRARY_PATH=$ROOT/usr/$LIBDIR DB_NAME=:memory: \
   CRMTIER_TRYTON_MAPPING=$SRC/adapters/mappings/tryton.json \
   /usr/bin/python3 -m unittest discover -s "$TESTS" -p 'test_*.py' -v \
     -k test_a_save_only_logs_and_the_refresh_scores -k test_why_feedback_and_escalation_from_the_result \
     -k test_counted_states_are_the_adapters >"$WORK/tryton.log" 2>&1) ||
  { tail -50 "$WORK/tryton.log" >&2; fail "the installed Tryton module's tests failed"; }
grep -q "^Ran 3 tests" "$WORK/tryton.log" || { cat "$WORK/tryton.log" >&2; fail "not the 3 module tests chosen"; }
grep ' \.\.\. ok$' "$WORK/tryton.log"
find "$ROOT" -name __pycache__ -prune -exec rm -rf {} +
echo "install.debs: ok"
