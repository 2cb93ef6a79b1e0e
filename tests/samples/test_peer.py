#!/usr/bin/python3
"""bench/peer/peer.py (pandas) agrees, field by field, with bench/peer/naive.py
(plain loops, Decimal/Fraction) on the committed sample and on small random
portfolios crowded with the edges of the Semantics: ties, deletes, re-saves,
credit notes, records after as-of, incomplete profiles, exactly 3 peers,
benchmark 0. Skipped when pandas is not installed."""

import datetime
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz import fuzz_portfolio  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PEER = os.path.join(ROOT, "bench", "peer", "peer.py")
NAIVE = os.path.join(ROOT, "bench", "peer", "naive.py")

try:
    import pandas  # noqa: F401
    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False


def run(script, path, as_of, out):
    subprocess.run([sys.executable, script, path, "--as-of", as_of, "--out", out],
                   check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as f:
        return f.read().splitlines()


@unittest.skipUnless(HAVE_PANDAS, "pandas not installed (apt-get install python3-pandas)")
class PeerAgreesWithNaive(unittest.TestCase):
    def test_sample(self):
        with tempfile.TemporaryDirectory() as tmp:
            sample = os.path.join(ROOT, "samples", "portfolio.jsonl")
            a = run(PEER, sample, "2026-11-30", os.path.join(tmp, "p.csv"))
            b = run(NAIVE, sample, "2026-11-30", os.path.join(tmp, "n.csv"))
            self.assertEqual(len(a), 2001)
            self.assertEqual(a, b)
            # the JSON Lines output carries the same values; compare.py agrees
            jl = os.path.join(tmp, "p.jsonl")
            subprocess.run([sys.executable, PEER, sample, "--as-of", "2026-11-30",
                            "--format", "jsonl", "--out", jl],
                           check=True, stderr=subprocess.DEVNULL)
            cmp = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "peer", "compare.py"),
                                  jl, os.path.join(tmp, "n.csv"), "--fields", "all"],
                                 capture_output=True, text=True)
            self.assertEqual(cmp.returncode, 0, cmp.stdout + cmp.stderr)
            self.assertIn('"agree": 2000', cmp.stdout)

    def test_fuzz(self):
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(int(os.environ.get("PEER_FUZZ", "16"))):
                as_of = datetime.date(2028, 2, 29) if seed % 4 == 0 else datetime.date(2026, 11, 30)
                path = os.path.join(tmp, "f%d.jsonl" % seed)
                fuzz_portfolio(seed, path, as_of)
                a = run(PEER, path, as_of.isoformat(), os.path.join(tmp, "p.csv"))
                b = run(NAIVE, path, as_of.isoformat(), os.path.join(tmp, "n.csv"))
                self.assertEqual(a, b, "seed %d" % seed)


if __name__ == "__main__":
    unittest.main()
