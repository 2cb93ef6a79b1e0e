"""The ABI 1.1 partial reductions through the binding: crmtier_engine_translate,
crmtier_engine_window_sums, crmtier_engine_load_window_sums (abi/crmtier.h).
Values worked out by hand, and the adapters' own fixtures (each host record
with the canonical records it stands for, written by hand) as the expected
translations."""

import json
import os
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

import crmtier  # noqa: E402

FIXTURES = ROOT / "tests" / "adapters" / "fixtures"


def revenue(i, acc, date, amount):
    return json.dumps({"type": "revenue", "id": i, "account_id": acc, "date": date, "amount": amount})


class Translate(unittest.TestCase):
    def test_every_host_fixture_translates_to_its_expected_records(self):
        # The engine converts what the adapters leave in another currency
        # (docs/semantics.md#canonical-records): EUR is the company's, a
        # USD amount counts at 0.8, a GBP one at 1.2 (Tryton's sale that the
        # module could not convert carries its currency).
        rates = {"EUR": 1, "USD": 0.8, "GBP": 1.2}

        def converted(record):
            if "currency" not in record:
                return record
            record = dict(record)
            record["amount"] = round(record["amount"] * rates[record.pop("currency")], 4)
            return record
        checked = 0
        with crmtier.Engine({"currency": {"company": "EUR", "rates": {"USD": 0.8, "GBP": 1.2}}}) as engine:
            for host in ("salesforce", "hubspot", "dynamics", "odoo", "tryton"):
                for src in sorted((FIXTURES / host).glob("*.json")):
                    if src.name.endswith(".expected.json"):
                        continue
                    expected = json.loads(src.with_name(src.stem + ".expected.json").read_text())
                    if not isinstance(expected, list):
                        continue  # an error case
                    expected = [converted(r) for r in expected]
                    line = json.dumps(json.loads(src.read_text()), ensure_ascii=False)
                    with self.subTest(host=host, fixture=src.name):
                        out = engine.translate(host, line)
                        self.assertTrue(out == b"" or out.endswith(b"\n"))
                        got = [json.loads(l) for l in out.splitlines()]
                        self.assertEqual(got, expected)
                        checked += 1
        self.assertGreater(checked, 20)

    def test_canonical_lines_come_back_in_order_with_set_fields_only(self):
        data = "\n".join([
            '{"id":"A","type":"account","employees":3.2e2,"name":"","territory":"EMEA/DE"}',
            "",
            '{"type":"revenue","id":"I1","account_id":"A","date":"2026-03-01","amount":100.25,"product":null}',
            '{"type":"revenue","id":"I1","deleted":true,"amount":"not checked"}',
        ])
        with crmtier.Engine() as engine:
            self.assertEqual(engine.translate("canonical", data).decode().splitlines(), [
                '{"type":"account","id":"A","employees":320,"territory":"EMEA/DE"}',
                '{"type":"revenue","id":"I1","account_id":"A","date":"2026-03-01","amount":100.25}',
                '{"type":"revenue","id":"I1","deleted":true}',
            ])
            self.assertEqual(engine.stats()["revenue_records"], 0)  # nothing was loaded

    def test_a_bad_record_names_line_id_and_field(self):
        with crmtier.Engine() as engine:
            with self.assertRaises(crmtier.RecordError) as ctx:
                engine.translate("canonical", revenue("I1", "A", "2026-03-01", 1) + "\n"
                                 + '{"type":"revenue","id":"I2","account_id":"A","date":"2026-02-30","amount":1}')
            self.assertRegex(ctx.exception.message, r'^line 2: revenue "I2": field "date"')


class WindowSums(unittest.TestCase):
    def test_sums_per_account_and_window_by_hand(self):
        # As of 2026-11-30, W = 365: annual 2025-12-01..2026-11-30, prior
        # 2024-12-01..2025-11-30.
        records = [
            revenue("I1", "A", "2026-03-01", 100.25),
            revenue("I2", "A", "2025-06-01", 40),
            revenue("I3", "B", "2026-12-15", 5),       # after the as-of date: neither
            revenue("I4", "B", "2024-06-15", 8),       # before both windows: neither
            revenue("I5", "C", "2026-11-30", -1.5),    # the as-of date itself: annual
            revenue("I6", "C", "2025-11-30", 0.0001),  # exactly D - W: prior
            revenue("I1", "A", "2026-04-01", 250),     # re-saved: replaces 100.25
        ]
        with crmtier.Engine() as engine:
            engine.set_as_of("2026-11-30")
            engine.load("canonical", "\n".join(records))
            self.assertEqual(engine.window_sums().decode().splitlines(), [
                '{"account_id":"A","annual":2500000,"prior":400000}',
                '{"account_id":"C","annual":-15000,"prior":1}',
            ])

    def test_loaded_sums_score_as_the_records_they_sum(self):
        accounts = "\n".join(json.dumps({"type": "account", "id": a, "employees": 20, "territory": "EMEA/FR",
                                         "industry": "Retail", "last_contact": "2026-10-01"}) for a in "ABC")
        records = [revenue("I1", "A", "2026-04-01", 250), revenue("I2", "A", "2025-06-01", 40),
                   revenue("I5", "C", "2026-11-30", -1.5), revenue("I7", "B", "2025-01-05", 90)]
        with crmtier.Engine() as whole, crmtier.Engine() as part, crmtier.Engine() as final:
            for e in (whole, part, final):
                e.set_as_of("2026-11-30")
            whole.load("canonical", accounts + "\n" + "\n".join(records))
            part.load("canonical", "\n".join(records))
            final.load("canonical", accounts)
            self.assertEqual(final.load_window_sums(part.window_sums()), 3)
            self.assertEqual(list(final.result_lines()), list(whole.result_lines()))
            a = final.result("A")
            self.assertEqual((a["annual_revenue"], a["prior_revenue"]), (250.0, 40.0))
            # A second line for an account replaces the first.
            final.load_window_sums('{"account_id":"A","annual":10000,"prior":0}\n'
                                   '{"account_id":"A","annual":20000,"prior":5}')
            a = final.result("A")
            self.assertEqual((a["annual_revenue"], a["prior_revenue"]), (2.0, 0.0005))

    def test_load_errors_name_the_line_and_change_nothing(self):
        with crmtier.Engine() as engine:
            seq = engine.sequence
            with self.assertRaises(crmtier.RecordError) as ctx:
                engine.load_window_sums('{"account_id":"A","annual":1,"prior":2}\n\n'
                                        '{"account_id":"B","annual":1,"prior":2,"extra":0}')
            self.assertRegex(ctx.exception.message, r'^line 3: .*"extra": unknown field')
            with self.assertRaises(crmtier.LimitError):
                engine.load_window_sums('{"account_id":"A","annual":9223372036854775808,"prior":0}')
            with self.assertRaises(crmtier.RecordError):
                engine.load_window_sums('{"account_id":"A\\u0001","annual":1,"prior":0}')
            with self.assertRaises(crmtier.RecordError):
                engine.load_window_sums('{"account_id":"A","annual":1.5,"prior":0}')
            self.assertEqual(engine.sequence, seq)
            self.assertEqual(engine.stats()["revenue_records"], 0)


if __name__ == "__main__":
    unittest.main()
