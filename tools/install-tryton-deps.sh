#!/bin/sh
# Debian 12 packages the Tryton module and its tests need: trytond 6.0 with
# the party, sale and sale_opportunity modules, and proteus (~29 packages);
# venv, setuptools and wheel to install the module as a Python package;
# pycountry for trytond_import_countries; PostgreSQL, psycopg2 and gunicorn
# for the multi-process tests; curl for the commands of docs/tryton.md.
# Without --no-install-recommends apt would pull ~400 (LibreOffice...).
set -eu
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
PKGS="tryton-server tryton-modules-party tryton-modules-sale
      tryton-modules-sale-opportunity tryton-proteus
      python3-venv python3-setuptools python3-wheel python3-pycountry
      postgresql python3-psycopg2 gunicorn curl"
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null || {
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
}
