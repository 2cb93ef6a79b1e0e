"""crmtier.dask's partial sums (docs/dask.md, "How it works"): the sorted
numpy arrays the reduce step makes from crmtier_engine_window_sums(), their
merge, and the text the final engine loads, checked against independent
Python arithmetic (integers, dicts) on hand-made and random values; and the
streamed output's errors. No cluster: the task functions are called directly.

Needs numpy (python3-numpy): without it every test fails.
Run by CTest (tests/python/CMakeLists.txt) with CRMTIER_LIBRARY and
PYTHONPATH set.
"""

import json
import os
import random
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

try:
    import numpy  # noqa: F401
    MISSING = None
except ImportError as e:  # a test that cannot run fails, saying what to install
    MISSING = f"numpy is missing ({e}): apt-get install python3-numpy"

import crmtier.dask as cd  # noqa: E402
from crmtier.engine import Engine  # noqa: E402


def setUpModule():
    if MISSING:
        raise AssertionError(MISSING)


def partial(rows):
    """A partial from {id text: (annual, prior)}, through the window sums
    text the engine writes (so through the parser the reduce step uses)."""
    text = b"".join(b'{"account_id":%s,"annual":%d,"prior":%d}\n' % (k, a, p) for k, (a, p) in rows.items())
    return cd._parse_sums(text)


def as_dict(p):
    ids, annual, prior = p
    return {k: (a, b) for k, a, b in zip(ids.tolist(), annual.tolist(), prior.tolist())}


class Merge(unittest.TestCase):
    def test_worked_by_hand(self):
        a = partial({b'"ACC-2"': (100, -5), b'"ACC-10"': (7, 0)})
        b = partial({b'"ACC-2"': (-100, 5), b'"B"': (1, 2), b'"ACC-1\\"x"': (3, 4)})
        got = as_dict(cd._merge(a, b))
        # ACC-2's sums cancel to 0 and 0: the row stays (the engine leaves out
        # only accounts with no revenue at all; 0 + 0 loads as 0 + 0).
        self.assertEqual(got, {b'"ACC-2"': (0, 0), b'"ACC-10"': (7, 0), b'"B"': (1, 2),
                               b'"ACC-1\\"x"': (3, 4)})
        ids = cd._merge(a, b)[0].tolist()
        self.assertEqual(ids, sorted(ids), "a merged partial stays sorted")

    def test_random_partials_equal_integer_sums_in_any_grouping(self):
        rnd = random.Random(7)
        names = [b'"ACC-%d"' % i for i in range(3000)] + [b'"\\u00e9-%d"' % i for i in range(50)]
        parts, want = [], {}
        for _ in range(9):
            rows = {}
            for k in rnd.sample(names, rnd.randrange(1, 2000)):
                rows[k] = (rnd.randrange(-10 ** 15, 10 ** 15), rnd.randrange(-10 ** 15, 10 ** 15))
                s = want.get(k, (0, 0))
                want[k] = (s[0] + rows[k][0], s[1] + rows[k][1])
            parts.append(partial(rows))
        self.assertEqual(as_dict(cd._merge(*parts)), want)
        tree = cd._merge(cd._merge(*parts[:4]), cd._merge(*parts[4:7]), cd._merge(*parts[7:]))
        self.assertEqual(as_dict(tree), want)
        self.assertEqual(as_dict(cd._merge(*reversed(parts))), want)
        self.assertEqual(as_dict(cd._merge()), {})
        self.assertEqual(as_dict(cd._merge(cd._empty(), parts[0], cd._empty())), as_dict(parts[0]))

    def test_sums_beyond_64_bits_are_refused_naming_the_account(self):
        top = 2 ** 63 - 1
        a = partial({b'"A"': (2 ** 62, -2 ** 62), b'"B"': (5, 5)})
        b = partial({b'"A"': (2 ** 62 - 1, -2 ** 62 + 1)})
        self.assertEqual(as_dict(cd._merge(a, b))[b'"A"'], (top, -top))
        with self.assertRaises(cd.ScoreError) as ctx:
            cd._merge(a, a)
        self.assertIn('account "A"', str(ctx.exception))
        self.assertIn("2^63 - 1", str(ctx.exception))
        with self.assertRaises(cd.ScoreError):
            cd._merge(partial({b'"B"': (0, -2 ** 62)}), partial({b'"B"': (0, -2 ** 62)}))


class WithTheEngine(unittest.TestCase):
    def test_engine_sums_parse_and_reload_as_the_same_lines(self):
        records = [
            {"type": "account", "id": "ACC-1"},
            {"type": "revenue", "id": "I1", "account_id": "ACC-1", "date": "2026-03-01", "amount": 1250.5},
            {"type": "revenue", "id": "I2", "account_id": 'ACC-"2"', "date": "2025-03-01", "amount": -0.0001},
            {"type": "revenue", "id": "I3", "account_id": "ACC-3", "date": "2026-11-01", "amount": 99.99},
        ]
        with Engine() as e:
            e.set_as_of("2026-11-30")
            e.load("canonical", "\n".join(json.dumps(r) for r in records))
            text = e.window_sums()
        p = cd._parse_sums(text)
        self.assertEqual(as_dict(p), {b'"ACC-1"': (12505000, 0), b'"ACC-\\"2\\""': (0, -1),
                                      b'"ACC-3"': (999900, 0)})
        self.assertEqual(sorted(cd._sums_text(p, 0, len(p[0])).splitlines()), sorted(text.splitlines()))
        with self.assertRaises(cd.ScoreError):
            cd._parse_sums(text + b'{"account_id":"X","annual":1}\n')

    def test_unwritable_output_says_what_to_do(self):
        cfg = cd.default_config("canonical")
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "no-such-folder", "out.jsonl")
            accounts = b'{"type":"account","id":"ACC-1"}\n'
            with self.assertRaises(cd.ScoreError) as ctx:
                cd._final_to_file(cfg, "2026-11-30", "canonical", None, out, cd._empty(), accounts)
            self.assertIn(out, str(ctx.exception))
            self.assertIn("the workers can write", str(ctx.exception))
            ok = os.path.join(d, "out.jsonl")
            self.assertEqual(cd._final_to_file(cfg, "2026-11-30", "canonical", None, ok,
                                               partial({b'"ACC-1"': (10000, 0)}), accounts), 1)
            self.assertEqual(os.listdir(d), ["out.jsonl"], "no temporary file left beside it")
            with Engine() as e:  # the same account scored in one engine, directly
                e.set_as_of("2026-11-30")
                e.load("canonical", accounts + b'{"type":"revenue","id":"R","account_id":"ACC-1",'
                       b'"date":"2026-11-30","amount":1}\n')
                want = b"".join(r + b"\n" for r in e.result_lines())
            self.assertEqual(Path(ok).read_bytes(), want)


if __name__ == "__main__":
    unittest.main()
