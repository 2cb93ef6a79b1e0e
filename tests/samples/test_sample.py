#!/usr/bin/python3
"""The committed sample portfolio is exactly what samples/generate.py writes,
and its meta file describes it (issue 2, item 5)."""

import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(ROOT, "samples", "portfolio.jsonl")
META = os.path.join(ROOT, "samples", "portfolio.meta.json")
GENERATOR = os.path.join(ROOT, "samples", "generate.py")


class SampleTest(unittest.TestCase):
    def setUp(self):
        with open(META, encoding="utf-8") as f:
            self.meta = json.load(f)

    def test_meta(self):
        self.assertEqual(self.meta["as_of"], "2026-11-30")
        self.assertIsInstance(self.meta["seed"], int)
        self.assertEqual(self.meta["accounts"], 2000)
        argv = shlex.split(self.meta["generator"])
        self.assertEqual(argv[0], "samples/generate.py")
        opts = dict(zip(argv[1::2], argv[2::2]))
        self.assertEqual(opts["--seed"], str(self.meta["seed"]))
        self.assertEqual(opts["--as-of"], self.meta["as_of"])
        self.assertEqual(opts["--accounts"], str(self.meta["accounts"]))
        self.assertEqual(opts["--out"], "samples/portfolio.jsonl")

    def test_regenerates_byte_identical(self):
        argv = shlex.split(self.meta["generator"])
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "portfolio.jsonl")
            meta = os.path.join(tmp, "portfolio.meta.json")
            args = argv[1:]
            args[args.index("--out") + 1] = out
            subprocess.run([sys.executable, GENERATOR] + args + ["--meta", meta],
                           check=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONHASHSEED="random"))
            with open(out, "rb") as a, open(SAMPLE, "rb") as b:
                self.assertTrue(a.read() == b.read(),
                                "samples/portfolio.jsonl differs from the generator's output")
            with open(meta, encoding="utf-8") as f:
                regenerated = json.load(f)
            regenerated["generator"] = regenerated["generator"].replace(out, "samples/portfolio.jsonl")
            self.assertEqual(regenerated, self.meta)

    def test_records_are_canonical(self):
        accounts, revenue, ids = set(), 0, {}
        kinds = {"account": 0, "revenue": 0}
        seen_revenue = False
        with open(SAMPLE, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                rec = json.loads(line)
                kinds[rec["type"]] += 1
                if rec["type"] == "account":
                    self.assertFalse(seen_revenue, "line %d: account after revenue" % n)
                    accounts.add(rec["id"])
                    for field in ("name", "owner", "territory"):
                        self.assertIsInstance(rec[field], str, "line %d" % n)
                    self.assertEqual(rec["territory"].count("/"), 2, "line %d" % n)
                else:
                    seen_revenue = True
                    self.assertIn(rec["account_id"], accounts, "line %d" % n)
                    self.assertIn("/", rec["product"])
                    text = line.split('"amount":')[1].split(",")[0]
                    self.assertRegex(text, r"^-?\d+\.\d\d$", "line %d" % n)
                    ids[rec["id"]] = ids.get(rec["id"], 0) + 1
        self.assertEqual(len(accounts), self.meta["accounts"])
        self.assertGreater(kinds["revenue"], 10 * len(accounts) // 2)
        self.assertTrue(any(v > 1 for v in ids.values()), "no re-saved invoice")
        self.assertLess(os.path.getsize(SAMPLE), 8 << 20)


if __name__ == "__main__":
    unittest.main()
