#!/bin/sh
# Installs the crmtier binding (abi/python) and the Tryton module
# (integrations/tryton) into a fresh virtual environment that sees Debian's
# trytond, exactly as docs/tryton.md tells an administrator to, from a copy
# of the sources (pip builds in the source folder), offline. Then checks that
# trytond finds the module by its entry point and the module finds the
# binding, from the installed files only. Last, the layout a Debian package
# gets (setup.py install --install-layout=deb into a scratch root): the
# module under dist-packages/trytond/modules/crmtier with its entry point.
#
# usage: install_venv.sh VENV SOURCE_ROOT
set -eu
VENV=${1:?usage: install_venv.sh VENV SOURCE_ROOT}
ROOT=${2:?usage: install_venv.sh VENV SOURCE_ROOT}
for need in /usr/bin/python3 /usr/bin/trytond; do
  [ -x "$need" ] || { echo "missing $need: run tools/install-tryton-deps.sh" >&2; exit 1; }
done
/usr/bin/python3 -c 'import ensurepip, setuptools, wheel' 2>/dev/null || {
  echo "python3-venv, python3-setuptools and python3-wheel are needed: run tools/install-tryton-deps.sh" >&2
  exit 1
}
rm -rf "$VENV"
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
mkdir -p "$SRC/integrations"
cp -r "$ROOT/abi" "$SRC/abi"
cp -r "$ROOT/integrations/tryton" "$SRC/integrations/tryton"
find "$SRC" -name __pycache__ -prune -exec rm -rf {} +
/usr/bin/python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/pip" install --quiet --no-build-isolation --no-index \
  "$SRC/abi/python" "$SRC/integrations/tryton"
cd /
"$VENV/bin/python" - <<'PY'
import importlib.metadata as metadata
import os
import sysconfig

import crmtier
import trytond.modules

(entry,) = [e for e in metadata.entry_points(group='trytond.modules')
    if e.name == 'crmtier']
assert entry.value == 'trytond.modules.crmtier', entry
module = trytond.modules.import_module('crmtier')
site = sysconfig.get_paths()['purelib']
# Both from the environment's own copy, not from a checkout.
for path in (module.__file__, crmtier.__file__):
    assert path.startswith(site + os.sep), (path, site)
info = trytond.modules.get_module_info('crmtier')
for xml in info['xml']:
    assert os.path.isfile(os.path.join(info['directory'], xml)), xml
print('installed: trytond_crmtier %s and crmtier %s in %s' % (
    metadata.version('trytond_crmtier'), metadata.version('crmtier'), site))
PY

ROOT_DEB="$SRC/deb-root"
for package in abi/python integrations/tryton; do
  (cd "$SRC/$package" && /usr/bin/python3 setup.py -q install --root "$ROOT_DEB" \
    --install-layout=deb --prefix=/usr >/dev/null 2>&1)
done
DIST="$ROOT_DEB/usr/lib/python3/dist-packages"
for file in trytond/modules/crmtier/tryton.cfg trytond/modules/crmtier/view/party_form.xml \
    trytond/modules/crmtier/icons/crmtier-escalate.svg crmtier/engine.py; do
  [ -f "$DIST/$file" ] || { echo "Debian layout: $file missing" >&2; exit 1; }
done
grep -q '^crmtier = trytond.modules.crmtier' "$DIST"/trytond_crmtier-*.egg-info/entry_points.txt
echo "Debian layout: $DIST/trytond/modules/crmtier and $DIST/crmtier"
