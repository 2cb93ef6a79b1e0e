#!/usr/bin/env python3
"""crmtier: the Python (ctypes) binding of libcrmtier's C interface.

The library itself is not part of this package: pass its path to
crmtier.Engine(library=...), or set CRMTIER_LIBRARY, or install it where the
system's loader finds it (docs/python.md). Offline install from a checkout:

    VENV/bin/pip install --no-build-isolation --no-index abi/python
"""
import os
import re

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    "The product version of the header beside the binding (abi/crmtier.h)."
    header = os.path.join(HERE, os.pardir, 'crmtier.h')
    with open(header, encoding='utf-8') as f:
        match = re.search(r'#define CRMTIER_VERSION_STRING "([^"]+)"',
            f.read())
    return match.group(1)


setup(
    name='crmtier',
    version=version(),
    description="Python binding (ctypes) of libcrmtier's stable C interface",
    license='Proprietary',
    packages=['crmtier'],
    python_requires='>=3.7',
    zip_safe=False,
    )
