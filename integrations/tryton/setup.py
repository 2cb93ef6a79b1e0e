#!/usr/bin/env python3
r"""trytond_crmtier: the crmtier module for Tryton 6.0
(trytond.modules.crmtier).

Installs like any Tryton module: into a virtual environment that sees
Debian's trytond (python3 -m venv --system-site-packages), together with the
crmtier binding (abi/python), both from a checkout and offline:

    VENV/bin/pip install --no-build-isolation --no-index \
        abi/python integrations/tryton

or as a Debian package (files under dist-packages/trytond/modules/crmtier).
See docs/tryton.md.
"""
import configparser
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.join(HERE, 'module')

info = configparser.ConfigParser()
info.read(os.path.join(MODULE, 'tryton.cfg'))
version = info.get('tryton', 'version')
major_minor = '.'.join(version.split('.')[:2])
next_minor = '%s.%d' % (version.split('.')[0], int(version.split('.')[1]) + 1)
requires = ['crmtier']
for dependency in info.get('tryton', 'depends').split():
    if dependency not in ('ir', 'res'):
        requires.append('trytond_%s >= %s, < %s' % (
                dependency, major_minor, next_minor))
requires.append('trytond >= %s, < %s' % (major_minor, next_minor))

setup(
    name='trytond_crmtier',
    version=version,
    description='crmtier for Tryton: tier, temperature colour and next '
    'contact of every party, scored by libcrmtier',
    license='Proprietary',
    packages=['trytond.modules.crmtier', 'trytond.modules.crmtier.tests'],
    package_dir={'trytond.modules.crmtier': 'module'},
    package_data={'trytond.modules.crmtier': [
            'tryton.cfg', '*.xml', 'view/*.xml', 'icons/*.svg']},
    python_requires='>=3.7',
    install_requires=requires,
    entry_points={'trytond.modules': [
            'crmtier = trytond.modules.crmtier']},
    zip_safe=False,
    )
