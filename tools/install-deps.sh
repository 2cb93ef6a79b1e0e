#!/bin/sh
# Installs what crmtier needs on a fresh Debian 12 machine, as root.
#   tools/install-deps.sh          to build the plugin and the reference host
#   tools/install-deps.sh --test   also everything the test suite runs against
set -eu
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
here=$(cd "$(dirname "$0")" && pwd)

# Package lists are empty on a fresh machine: fetch them once.
if [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ] || [ "${CRMTIER_APT_UPDATE:-0}" = 1 ]; then
  $SUDO apt-get update -qq
fi
install() { $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "$@"; }; }

# Boost 1.81 (not Debian's default 1.74, which has no Boost.JSON), spdlog
# (with fmt), Catch2 v2.13, Mustache templates (the sales plan page);
# simdjson for the benchmark's read-only pass (bench/crmtier_bench.cpp; the
# plugin does not use it).
# dpkg-dev (dpkg-shlibdeps) for the Debian packages (cpack -G DEB);
# python3-setuptools writes the egg-info the binding and the Tryton module
# are installed with (cmake/install.cmake).
install cmake make g++ binutils dpkg-dev python3-setuptools \
  libboost1.81-dev libboost-json1.81-dev libspdlog-dev catch2 python3 libkainjow-mustache-dev libsimdjson-dev

if [ "${1:-}" = "--test" ]; then
  # The manifest's schema test; the pandas peer's self-check; the ABI
  # baseline (libabigail); valgrind for host safety; clang 14 with its
  # sanitizer and libFuzzer runtimes for tools/test-sanitizers.sh; pycountry
  # (with iso-codes) and babel (CLDR's official languages) for the check that
  # the adapters' compiled-in country and region tables are current;
  # Dask distributed for crmtier.dask (tests/python/test_dask.py).
  # pkg-config for the installed tree's consumer test (tests/install).
  install pkg-config
  install python3-jsonschema python3-pandas abigail-tools valgrind clang-14 libclang-rt-14-dev python3-pycountry python3-babel
  # The sales plan page's tests: headless chromium driven over the DevTools
  # protocol (python3-websocket), and a strict HTML5 parser.
  install chromium python3-websocket python3-html5lib
  install python3-dask python3-distributed python3-numpy
  "$here/install-tryton-deps.sh"
fi
