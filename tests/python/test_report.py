"""Engine.report(): the sales plan page through the Python binding, on the
hand-made portfolio of tests/report/handmade.jsonl (its results are worked
out by hand in tests/report/test_report.cpp: 13 accounts, 4 overdue, 5
declining, 2 escalations; bob has 4 accounts, 2 of them overdue)."""

import datetime
import os
import re
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

import crmtier  # noqa: E402

HANDMADE = (ROOT / "tests" / "report" / "handmade.jsonl").read_text(encoding="utf-8")


def stat(page, name):
    return int(re.search(r'data-stat="%s" data-value="(\d+)"' % name, page).group(1))


class Report(unittest.TestCase):
    def setUp(self):
        self.engine = crmtier.Engine({"as_of": "2026-11-30"})
        self.engine.load("canonical", HANDMADE)

    def tearDown(self):
        self.engine.close()

    def test_the_whole_plan(self):
        page = self.engine.report()
        self.assertTrue(page.startswith("<!DOCTYPE html>\n"))
        self.assertEqual(stat(page, "accounts"), 13)
        self.assertEqual(stat(page, "overdue"), 4)
        self.assertEqual(stat(page, "declining"), 5)
        self.assertEqual(stat(page, "escalations"), 2)
        self.assertEqual(page, self.engine.report({}))
        self.assertEqual(page, self.engine.report("{}"))

    def test_keywords_one_rep_in_russian_with_movers_and_labels(self):
        page = self.engine.report(owner="bob", lang="ru", since=datetime.date(2026, 6, 1),
                                  labels={"section.map": "Карта"}, title="Неделя 48")
        self.assertEqual(stat(page, "accounts"), 4)
        self.assertEqual(stat(page, "overdue"), 2)
        self.assertIn('<html lang="ru">', page)
        self.assertIn("<h1>Неделя 48</h1>", page)
        self.assertIn("<h2>Карта</h2>", page)
        self.assertIn('id="movers"', page)
        # Keywords go on top of the options object.
        self.assertEqual(page, self.engine.report({"owner": "alice", "lang": "en"}, owner="bob", lang="ru",
                                                  since="2026-06-01", labels={"section.map": "Карта"},
                                                  title="Неделя 48"))

    def test_writes_the_file_too(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "plan.html")
            page = self.engine.report({"script": False}, path=path)
            self.assertEqual(Path(path).read_text(encoding="utf-8"), page)
            self.assertNotIn("<script", page)

    def test_errors_are_the_bindings_exceptions(self):
        with self.assertRaises(crmtier.ConfigError) as e:
            self.engine.report({"ownr": "bob"})
        self.assertEqual(e.exception.message, 'report options: "ownr": unknown key')
        with self.assertRaises(crmtier.NotFoundError):
            self.engine.report(owner="dave")
        with self.assertRaises(crmtier.ConfigError):
            self.engine.report(since="2026-12-01")
        with self.assertRaises(crmtier.ConfigError):
            self.engine.report(lang="de")


if __name__ == "__main__":
    unittest.main()
