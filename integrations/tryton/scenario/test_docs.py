"""The commands of docs/tryton.md, section "Quick start", run as written.

The page marks its blocks: `<!-- test: run -->` blocks run, in order, as one
bash script (set -eu), on a copy of the sources, with PATH limited to the
system's (python3 is Debian's, as on a fresh machine) and the page's own
variables SRC, LIB, WORK and PORT set by this test; the `installed` block's
packages must be installed (dpkg); the `built` block's library is the one
CTest built (CRMTIER_LIBRARY). The processes the script starts in the
background are stopped at the end.

Needs CRMTIER_SOURCE_DIR (the repository) and CRMTIER_LIBRARY.
"""
import datetime
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import pgcluster

BLOCK = re.compile(r'<!-- test: (\w+) -->\s*\n```sh\n(.*?)```', re.S)


def blocks(text):
    return [(kind, body) for kind, body in BLOCK.findall(text)]


def packages(command):
    "Package names of an apt-get install command."
    words = command.replace('\\\n', ' ').split()
    names = words[words.index('install') + 1:]
    return [w for w in names if not w.startswith('-')]


class DocsTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.root = os.environ['CRMTIER_SOURCE_DIR']
        with open(os.path.join(cls.root, 'docs', 'tryton.md')) as f:
            cls.page = f.read()
        quick = cls.page[cls.page.index('## Quick start'):]
        quick = quick[:quick.index('\n## ', 4)]
        cls.blocks = blocks(quick)

    def test_the_page_marks_its_quick_start(self):
        kinds = [k for k, _ in self.blocks]
        self.assertEqual(kinds[:2], ['installed', 'built'])
        self.assertGreaterEqual(kinds.count('run'), 6)
        self.assertEqual(set(kinds), {'installed', 'built', 'run'})

    def test_the_packages_it_installs_are_installed(self):
        (command,) = [b for k, b in self.blocks if k == 'installed']
        names = packages(command)
        self.assertIn('tryton-server', names)
        missing = []
        for name in names:
            status = subprocess.run(['dpkg-query', '-W', '-f=${Status}',
                    name], capture_output=True, text=True).stdout
            if 'install ok installed' not in status:
                missing.append(name)
        self.assertEqual(missing, [], 'not installed (run '
            'tools/install-deps.sh --test)')

    def test_the_quick_start_runs_as_written(self):
        (built,) = [b for k, b in self.blocks if k == 'built']
        self.assertIn('--target crmtier', built)
        library = os.environ['CRMTIER_LIBRARY']
        self.assertTrue(os.path.isfile(library), library)
        work = tempfile.mkdtemp(prefix='crmtier-docs-')
        source = os.path.join(work, 'src')
        os.makedirs(os.path.join(source, 'integrations'))
        shutil.copytree(os.path.join(self.root, 'abi'),
            os.path.join(source, 'abi'),
            ignore=shutil.ignore_patterns('__pycache__'))
        shutil.copytree(os.path.join(self.root, 'integrations', 'tryton'),
            os.path.join(source, 'integrations', 'tryton'),
            ignore=shutil.ignore_patterns('__pycache__'))
        script = 'set -eu\ncd "$SRC"\n' + '\n'.join(
            b for k, b in self.blocks if k == 'run')
        env = {'PATH': '/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': work,
            'LANG': 'C.UTF-8', 'SRC': source, 'LIB': library,
            'WORK': os.path.join(work, 'tryton'),
            'PORT': str(pgcluster.free_port())}
        process = subprocess.Popen(['bash', '-c', script], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        try:
            output, _ = process.communicate(timeout=800)
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                time.sleep(2)
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.assertEqual(process.returncode, 0, output[-4000:])
            today = datetime.datetime.utcnow().date().isoformat()
            self.assertRegex(output, r'(?m)^party \d+: tier A, colour red, '
                r'temperature 100, next contact %s \(call_or_visit\)$'
                % today)
            # The curl read: Acme, no sales and no country: D, grey,
            # and the profile's missing parts in words.
            self.assertRegex(output, r'"crmtier_tier": ?"D"')
            self.assertRegex(output, r'"crmtier_colour": ?"grey"')
            self.assertIn('Incomplete profile', output)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
