#!/usr/bin/python3
"""The reference host (the C++ plugin loaded through Boost.DLL) scores every
account exactly as bench/peer/naive.py, a literal loop-by-loop transcription of
docs/semantics.md with exact Decimal money and Fraction ratios: all fifteen
result fields, on the committed sample and on small random portfolios crowded
with the edges (ties, deletes, re-saves, credit notes, records after as-of,
leap day, incomplete profiles, exactly 3 peers, benchmark 0).

    test_host_vs_naive.py PATH/TO/crmtier      (CTest passes the built host)
Standard library only."""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz import fuzz_portfolio  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAIVE = os.path.join(ROOT, "bench", "peer", "naive.py")
COMPARE = os.path.join(ROOT, "bench", "peer", "compare.py")
HOST = os.environ.get("CRMTIER_HOST", os.path.join(ROOT, "build", "crmtier"))


class HostAgreesWithNaive(unittest.TestCase):
    def check(self, tmp, portfolio, as_of):
        naive = os.path.join(tmp, "naive.csv")
        host = os.path.join(tmp, "host.jsonl")
        subprocess.run([sys.executable, NAIVE, portfolio, "--as-of", as_of, "--out", naive],
                       check=True)
        h = subprocess.run([HOST, "score", "--as-of", as_of, "-o", host, portfolio],
                           capture_output=True, text=True)
        self.assertEqual(h.returncode, 0, "%s: %s" % (portfolio, h.stderr))
        c = subprocess.run([sys.executable, COMPARE, host, naive, "--fields", "all"],
                           capture_output=True, text=True)
        self.assertEqual(c.returncode, 0, "%s as of %s: %s%s" % (portfolio, as_of,
                                                                 c.stdout, c.stderr))
        return json.loads(c.stdout)

    def test_sample(self):
        with open(os.path.join(ROOT, "samples", "portfolio.meta.json")) as f:
            meta = json.load(f)
        with tempfile.TemporaryDirectory() as tmp:
            r = self.check(tmp, os.path.join(ROOT, "samples", "portfolio.jsonl"), meta["as_of"])
            self.assertEqual(r["agree"], meta["accounts"])
            self.assertEqual(len(r["fields"]), 15)

    def test_fuzz(self):
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(int(os.environ.get("HOST_FUZZ", "60"))):
                as_of = datetime.date(2028, 2, 29) if seed % 4 == 0 else datetime.date(2026, 11, 30)
                path = os.path.join(tmp, "f%d.jsonl" % seed)
                fuzz_portfolio(seed, path, as_of)
                with self.subTest(seed=seed):
                    self.check(tmp, path, as_of.isoformat())


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        HOST = sys.argv.pop(1)
    unittest.main()
