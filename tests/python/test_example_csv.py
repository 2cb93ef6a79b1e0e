"""The docs/python.md example (abi/python/examples/rescore_csv.py) run on a
small CSV export, as of 2026-11-27.

  ACC-1: R 10000                       -> A, 100, red
  ACC-2: R 1000, prior-year 9000       -> potential 9000, A, 11, blue
  ACC-3: R 6000                        -> B
Benchmark = p95 (nearest rank) of {1000, 6000, 10000} = 10000.
Only ACC-2 is an A account that is blue.
"""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "abi" / "python" / "examples" / "rescore_csv.py"

ACCOUNTS = """id,name,owner,employees,country,state,industry,last_contact
ACC-1,Acme,rep-1,120,DE,BY,Manufacturing,2026-11-01
ACC-2,"Bolt, Nuts & Co",rep-2,80,DE,BY,Manufacturing,2026-10-01
ACC-3,Cogs,rep-1,30,FR,,Retail,
"""

REVENUE = """id,account_id,date,amount
INV-1,ACC-1,2026-05-02,10000
INV-2,ACC-2,2026-02-10,1000
INV-2P,ACC-2,2025-04-01,9000
INV-3,ACC-3,2026-07-07,6000
"""


class RescoreCsvExample(unittest.TestCase):
    def test_prints_the_blue_A_accounts(self):
        with tempfile.TemporaryDirectory() as tmp:
            accounts = Path(tmp, "accounts.csv")
            revenue = Path(tmp, "revenue.csv")
            accounts.write_text(ACCOUNTS, encoding="utf-8")
            revenue.write_text(REVENUE, encoding="utf-8")
            env = dict(os.environ,
                       PYTHONPATH=str(ROOT / "abi" / "python"))
            out = subprocess.run(
                [sys.executable, str(EXAMPLE), str(accounts), str(revenue),
                 "2026-11-27"],
                env=env, check=True, capture_output=True, text=True).stdout
        # ACC-2: temperature 100*1000/9000 = 11; A -> 2026-10-01 + 30 days
        # = 2026-10-31, 27 days overdue.
        self.assertEqual(out.splitlines(), [
            "id,temperature,annual_revenue,potential,next_contact,overdue_days",
            "ACC-2,11,1000.0,9000.0,2026-10-31,27",
        ])


if __name__ == "__main__":
    unittest.main()
