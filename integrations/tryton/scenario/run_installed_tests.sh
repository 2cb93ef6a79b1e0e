#!/bin/sh
# Runs the module's own tests (Tryton's framework) from where the package
# was installed, with the interpreter of that installation.
# usage: run_installed_tests.sh VENV/bin/python [unittest options]
set -eu
PYTHON=${1:?usage: run_installed_tests.sh PYTHON}
shift
TESTS=$("$PYTHON" -c 'import sysconfig, os; print(os.path.join(sysconfig.get_paths()["purelib"], "trytond", "modules", "crmtier", "tests"))')
[ -f "$TESTS/test_crmtier.py" ] || { echo "the crmtier module is not installed for $PYTHON ($TESTS)" >&2; exit 1; }
cd "$TESTS"
exec "$PYTHON" -m unittest discover -s "$TESTS" -p 'test_*.py' "$@"
