#!/usr/bin/python3
"""bench/peer/peer.py (pandas) agrees, field by field, with bench/peer/naive.py
(plain loops, Decimal/Fraction) on the committed sample and on small random
portfolios crowded with the edges of the Semantics: ties, deletes, re-saves,
credit notes, records after as-of, incomplete profiles, exactly 3 peers,
benchmark 0. Skipped when pandas is not installed."""

import datetime
import os
import random
import subprocess
import sys
import tempfile
import unittest

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


def fuzz_portfolio(seed, path, as_of):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    lines = []
    bench_zero = rng.random() < 0.1
    inv = 0
    for i in range(n):
        rec = {"type": "account", "id": "ACC-%d" % i, "owner": "rep-01"}
        if rng.random() < 0.9:
            rec["employees"] = rng.choice([0, 9, 10, 49, 1000, 5000] if rng.random() < 0.2 else [10, 49, 1000])
        t = rng.random()
        rec["territory"] = ("" if t < 0.05 else "EMEA" if t < 0.1 else
                            rng.choice(["EMEA/DE/Bavaria", "EMEA/DE/Berlin", "EMEA/FR/Paris"]))
        if rng.random() < 0.95:
            rec["industry"] = rng.choice(["Retail", "Finance", ""] if rng.random() < 0.1
                                         else ["Retail", "Finance"])
        if rng.random() < 0.8:
            rec["last_contact"] = (as_of - datetime.timedelta(days=rng.randint(-5, 400))).isoformat()
        lines.append(rec)
        for _ in range(rng.randint(0, 6)):
            inv += 1
            age = rng.choice([-3, 0, 1, 364, 365, 366, 729, 730, 731]) if rng.random() < 0.4 \
                else rng.randint(-30, 800)
            amount = rng.choice([100, 100, 250.5, 80, 45, 1000, -50, 0.01, 12.34, 99.99])
            if bench_zero:
                age = rng.randint(366, 800)
            lines.append({"type": "revenue", "id": "INV-%d" % inv, "account_id": "ACC-%d" % i,
                          "date": (as_of - datetime.timedelta(days=age)).isoformat(),
                          "amount": amount, "product": "A/B"})
    # re-saves, deletions, orphans, revival after delete
    for _ in range(rng.randint(0, 8)):
        rec = dict(rng.choice(lines))
        x = rng.random()
        if x < 0.3:
            lines.append({"type": rec["type"], "id": rec["id"], "deleted": True})
        elif x < 0.6 and rec["type"] == "revenue":
            rec["amount"] = rng.choice([7, 100, -20])
            lines.append(rec)
        else:
            lines.append(rec)
    if rng.random() < 0.3:
        lines.append({"type": "revenue", "id": "INV-orphan", "account_id": "ACC-none",
                      "date": as_of.isoformat(), "amount": 5, "product": "A/B"})
    import json
    with open(path, "w", encoding="utf-8") as f:
        for rec in lines:
            f.write(json.dumps(rec) + "\n")


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
