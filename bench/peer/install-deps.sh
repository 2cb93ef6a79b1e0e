#!/bin/sh
# Installs what bench/peer/peer.py needs on Debian 12, as root:
# python3-pandas, python3-numpy and python3-sklearn from Debian.
#
# Debian 12's python3-scipy (needed by python3-sklearn) depends on
# python3-pythran, a compiler it does not use at run time, which depends on
# libboost-dev (Boost 1.74) -- and that conflicts with libboost1.81-dev, which
# crmtier builds with. An empty placeholder package satisfies the dependency,
# so apt stays consistent and Boost 1.81 stays installed.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends python3-pandas python3-numpy
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
  if ! apt-get install -s --no-install-recommends python3-sklearn >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    mkdir -p "$tmp/pkg/DEBIAN"
    cat > "$tmp/pkg/DEBIAN/control" <<'CTL'
Package: python3-pythran
Version: 0.11.0+ds-7+crmtier.dummy1
Architecture: all
Maintainer: crmtier <noreply@example.invalid>
Description: placeholder so python3-scipy installs beside libboost1.81-dev
 Debian 12's python3-scipy depends on python3-pythran (a compiler, not needed
 at run time), which needs libboost-dev = 1.74, which conflicts with
 libboost1.81-dev. This empty package satisfies that dependency.
CTL
    dpkg-deb --build "$tmp/pkg" "$tmp/python3-pythran-placeholder.deb" >/dev/null
    apt-get install -y --no-install-recommends "$tmp/python3-pythran-placeholder.deb" python3-sklearn
    rm -rf "$tmp"
  else
    apt-get install -y --no-install-recommends python3-sklearn
  fi
fi
/usr/bin/python3 -c 'import pandas, sklearn; print("pandas", pandas.__version__, "scikit-learn", sklearn.__version__)'
