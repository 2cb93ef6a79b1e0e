#!/bin/sh
# Debian 12 packages the Tryton module and its tests need: trytond 6.0 with
# the party, sale and sale_opportunity modules, and proteus. Without
# --no-install-recommends apt would pull ~400 packages (LibreOffice...).
set -eu
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get install -y --no-install-recommends \
    tryton-server tryton-modules-party tryton-modules-sale \
    tryton-modules-sale-opportunity tryton-proteus
