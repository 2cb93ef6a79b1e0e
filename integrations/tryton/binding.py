# Imports the crmtier ctypes binding (abi/python/crmtier). It is found on
# sys.path when installed (scripts/install-module.sh links it into the same
# site folder as the module); otherwise, when this module is used from a
# checkout of the crmtier repository, from ../../abi/python.
import os
import sys

try:
    import crmtier
except ImportError:
    _here = os.path.dirname(os.path.realpath(__file__))
    sys.path.append(os.path.join(_here, os.pardir, os.pardir, 'abi', 'python'))
    import crmtier

__all__ = ['crmtier']
