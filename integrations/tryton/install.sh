#!/bin/sh
# Makes the crmtier Tryton module (and its ctypes binding) importable by
# trytond 6.0 without pip and without touching /usr: a site folder holding an
# egg-info that declares the "trytond.modules" entry point, and symlinks to
# this checkout. Every trytond process must then run with PYTHONPATH=SITE.
#
# usage: install.sh SITE
set -eu
SITE=${1:?usage: install.sh SITE-FOLDER}
HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)

mkdir -p "$SITE/trytond_crmtier.egg-info" "$SITE/trytond/modules"
cat > "$SITE/trytond_crmtier.egg-info/PKG-INFO" <<INFO
Metadata-Version: 2.1
Name: trytond_crmtier
Version: 6.0.0
INFO
cat > "$SITE/trytond_crmtier.egg-info/entry_points.txt" <<INFO
[trytond.modules]
crmtier = trytond.modules.crmtier
INFO
ln -sfn "$HERE" "$SITE/trytond/modules/crmtier"
ln -sfn "$ROOT/abi/python/crmtier" "$SITE/crmtier"
echo "crmtier module installed in $SITE; run trytond with PYTHONPATH=$SITE"
