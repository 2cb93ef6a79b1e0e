"""Functional tests of the binding against the real libcrmtier.

The library comes from $CRMTIER_LIBRARY (CTest passes $<TARGET_FILE:crmtier>).
Every expected number is worked out by hand in the comments, from the
contract in docs/semantics.md, as of 2026-11-27 (docs/semantics.md#revenue-windows):
  R window (2025-11-27, 2026-11-27], P window (2024-11-27, 2025-11-27].
"""

import json
import os
import sys
import threading
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

import crmtier  # noqa: E402

AS_OF = "2026-11-27"


def acc(id_, last_contact=None, **kw):
    rec = {"type": "account", "id": id_, "name": f"Account {id_}", "owner": "rep-1"}
    if last_contact:
        rec["last_contact"] = last_contact
    rec.update(kw)
    return rec


def rev(id_, account, date, amount):
    return {"type": "revenue", "id": id_, "account_id": account, "date": date,
            "amount": amount}


# Five accounts without profiles (so no look-alikes).
#   ACC-1: R 10000 (+50000 dated after as-of: kept, not counted)
#   ACC-2: R 6000
#   ACC-3: R 3000, P 5000
#   ACC-4: R 1000, P 9000
#   ACC-5: nothing
# Benchmark = p95 nearest rank of R>0 {1000,3000,6000,10000}: rank ceil(3.8)=4 -> 10000.
PORTFOLIO = [
    acc("ACC-1", "2026-11-01"), acc("ACC-2", "2026-08-01"), acc("ACC-3"),
    acc("ACC-4", "2026-11-20"), acc("ACC-5"),
    rev("INV-1", "ACC-1", "2026-03-15", 10000),
    rev("INV-1F", "ACC-1", "2026-12-15", 50000),
    rev("INV-2", "ACC-2", "2026-06-01", 6000),
    rev("INV-3", "ACC-3", "2026-02-01", 3000),
    rev("INV-3P", "ACC-3", "2025-05-01", 5000),
    rev("INV-4", "ACC-4", "2026-01-10", 1000),
    rev("INV-4P", "ACC-4", "2025-03-01", 9000),
]


def engine(**config):
    config.setdefault("as_of", AS_OF)
    return crmtier.Engine(config)


class LibraryBasics(unittest.TestCase):
    def test_versions_match_the_header(self):
        self.assertEqual(crmtier.abi_version() >> 16, 1)
        self.assertRegex(crmtier.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(crmtier.status_string(0), "ok")
        self.assertEqual(crmtier.status_string(12345), "unknown status")

    def test_library_found_by_explicit_path_and_env(self):
        path = os.environ["CRMTIER_LIBRARY"]
        self.assertEqual(str(crmtier.find_library(path)), path)
        with self.assertRaises(FileNotFoundError):
            crmtier.find_library("/nonexistent/libcrmtier.so")


class HandWorkedPortfolio(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = engine()
        cls.loaded = cls.engine.load("canonical", PORTFOLIO)

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def r(self, id_):
        return self.engine.result(id_)

    def test_load_counts_every_record(self):
        self.assertEqual(self.loaded, 12)

    def test_leader_is_A_red_every_30_days(self):
        # p = 10000/10000 = 1.0 -> A; temperature 100 -> red; 2026-11-01 + 30.
        r = self.r("ACC-1")
        self.assertEqual((r["tier"], r["temperature"], r["colour"], r["colour_hex"]),
                         ("A", 100, "red", "#d7191c"))
        self.assertEqual(r["annual_revenue"], 10000.0)
        self.assertEqual(r["benchmark"], 10000.0)
        self.assertEqual((r["next_contact"], r["channel"], r["overdue_days"]),
                         ("2026-12-01", "call_or_visit", 0))
        self.assertFalse(r["declining"])
        self.assertFalse(r["escalate"])

    def test_sixty_percent_is_B_and_overdue(self):
        # p = 0.6 -> B, temperature 100; 2026-08-01 + 90 = 2026-10-30, 28 days ago.
        r = self.r("ACC-2")
        self.assertEqual((r["tier"], r["temperature"], r["colour"]), ("B", 100, "red"))
        self.assertEqual((r["next_contact"], r["channel"], r["overdue_days"]),
                         ("2026-10-30", "call", 28))

    def test_prior_year_sets_potential_and_decline(self):
        # potential = max(3000, 5000) = 5000, p = 0.5 -> B; revenue tier 0.3 -> C;
        # temperature 60 -> orange; decline (5000-3000)/5000 = 40 %.
        # No contact: next contact is the as-of date.
        r = self.r("ACC-3")
        self.assertEqual((r["tier"], r["revenue_tier"]), ("B", "C"))
        self.assertEqual((r["potential"], r["prior_revenue"]), (5000.0, 5000.0))
        self.assertEqual((r["temperature"], r["colour"], r["colour_hex"]),
                         (60, "orange", "#fdae61"))
        self.assertTrue(r["declining"])
        self.assertEqual(r["decline_pct"], 40)
        self.assertEqual((r["next_contact"], r["overdue_days"]), (AS_OF, 0))

    def test_collapsed_A_client_is_blue_and_escalated(self):
        # potential 9000, p 0.9 -> A; temperature 100*1000/9000 = 11.1 -> 11 -> blue;
        # decline 8000/9000 = 88.9 -> 89 %; 2026-11-20 + 30 = 2026-12-20.
        r = self.r("ACC-4")
        self.assertEqual((r["tier"], r["revenue_tier"]), ("A", "C"))
        self.assertEqual((r["temperature"], r["colour"], r["colour_hex"]),
                         (11, "blue", "#2c7bb6"))
        self.assertTrue(r["escalate"])
        self.assertEqual(r["decline_pct"], 89)
        self.assertEqual(r["next_contact"], "2026-12-20")

    def test_no_revenue_no_prospects_is_D_grey_email(self):
        r = self.r("ACC-5")
        self.assertEqual((r["tier"], r["temperature"], r["colour"], r["colour_hex"]),
                         ("D", 0, "grey", "#bdbdbd"))
        self.assertEqual((r["next_contact"], r["channel"]), (AS_OF, "email"))

    def test_results_iterates_in_id_order(self):
        ids = [r["id"] for r in self.engine.results()]
        self.assertEqual(ids, ["ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5"])

    def test_unknown_account_is_not_found(self):
        with self.assertRaises(crmtier.NotFoundError) as cm:
            self.engine.result("NOPE")
        self.assertEqual(cm.exception.status, 5)

    def test_fields_are_those_of_the_whole_result(self):
        # ACC-1 worked out above: A, red, next contact 2026-12-01.
        self.assertEqual(self.engine.result("ACC-1", fields=["tier", "colour", "next_contact"]),
                         {"tier": "A", "colour": "red", "next_contact": "2026-12-01"})
        for whole, some in zip(self.engine.results(),
                               self.engine.results(fields=["id", "decline_pct", "reasons"])):
            self.assertEqual(list(some), ["id", "decline_pct", "reasons"])
            self.assertEqual(some, {k: whole[k] for k in ("id", "decline_pct", "reasons")})

    def test_fields_refused_for_host_adapters_and_unknown_keys(self):
        with self.assertRaises(ValueError):
            self.engine.result("ACC-1", "salesforce", fields=["tier"])
        with self.assertRaises(TypeError):
            self.engine.result("ACC-1", fields="tier")
        with self.assertRaises(crmtier.AdapterError) as cm:
            self.engine.result("ACC-1", fields=["tier", "temprature"])
        self.assertIn('unknown result key "temprature"', str(cm.exception))

    def test_stats_and_reasons_are_json(self):
        stats = self.engine.stats()
        self.assertEqual(stats["accounts"], 5)
        self.assertEqual(stats["as_of"], AS_OF)
        self.assertIsInstance(self.r("ACC-4")["reasons"], list)
        self.assertIsNotNone(self.engine.peer_groups())


class SavingAndChanges(unittest.TestCase):
    def test_save_with_fields_answers_those_of_the_whole_result(self):
        with engine() as e:
            e.load("canonical", PORTFOLIO)
            rec = {"type": "revenue", "id": "INV-NEW", "account_id": "ACC-5",
                   "date": "2026-11-01", "amount": 2500}
            some = e.save("canonical", rec, fields=["tier", "annual_revenue", "colour"])
            whole = e.result("ACC-5")
            self.assertEqual(some, {k: whole[k] for k in ("tier", "annual_revenue", "colour")})
            self.assertEqual(some["annual_revenue"], 2500.0)

    def test_same_invoice_saved_twice_counts_once(self):
        with engine() as e:
            e.save("canonical", acc("X"))
            e.save("canonical", rev("I", "X", "2026-05-01", 700))
            r = e.save("canonical", json.dumps(rev("I", "X", "2026-05-01", 700)))
            self.assertEqual(r["annual_revenue"], 700.0)

    def test_save_of_revenue_without_account_returns_none(self):
        with engine() as e:
            self.assertIsNone(e.save("canonical", rev("I", "GHOST", "2026-05-01", 1)))

    def test_delete_returns_none_and_removes(self):
        with engine() as e:
            e.save("canonical", acc("X"))
            self.assertIsNone(e.save("canonical", {"type": "account", "id": "X",
                                                   "deleted": True}))
            with self.assertRaises(crmtier.NotFoundError):
                e.result("X")

    def test_new_benchmark_changes_other_accounts(self):
        # Y at 1000 is A alone; Z at 10000 moves the benchmark: Y becomes C.
        with engine() as e:
            e.load("canonical", [acc("Y"), rev("IY", "Y", "2026-05-01", 1000)])
            self.assertEqual(e.result("Y")["tier"], "A")
            seq = e.sequence
            e.save("canonical", acc("Z"))
            e.save("canonical", rev("IZ", "Z", "2026-05-01", 10000))
            ch = e.changes(seq)
            self.assertEqual(ch["since"], seq)
            self.assertEqual(ch["seq"], e.sequence)
            self.assertIn("Y", ch["changed"])
            self.assertIn("Z", ch["changed"])
            self.assertEqual(e.result("Y")["tier"], "C")

    def test_set_as_of_moves_the_window(self):
        # As of 2027-06-01 the window is (2026-06-01, 2027-06-01]: the
        # 2026-03-15 revenue has left it, the 2026-12-15 one now counts: 50000.
        with engine() as e:
            e.load("canonical", PORTFOLIO)
            e.set_as_of("2027-06-01")
            self.assertEqual(e.result("ACC-1")["annual_revenue"], 50000.0)
            self.assertEqual(e.result("ACC-1")["prior_revenue"], 10000.0)
            with self.assertRaises(crmtier.ArgumentError):
                e.set_as_of("2027-02-30")

    def test_concurrent_saves_from_threads(self):
        with engine() as e:
            def work(n):
                for i in range(50):
                    e.save("canonical", acc(f"T{n}-{i}"))
                    e.save("canonical", rev(f"I{n}-{i}", f"T{n}-{i}", "2026-05-01", 10 + i))
            threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(e.stats()["accounts"], 200)


class Errors(unittest.TestCase):
    def test_malformed_json_config_is_parse_error(self):
        with self.assertRaises(crmtier.ParseError) as cm:
            crmtier.Engine('{"as_of": ')
        self.assertEqual(cm.exception.status, 2)
        self.assertTrue(cm.exception.message)

    def test_unknown_config_key_is_config_error_naming_it(self):
        with self.assertRaises(crmtier.ConfigError) as cm:
            crmtier.Engine({"as_of": AS_OF, "benchmrk": {}})
        self.assertEqual(cm.exception.status, 4)
        self.assertIn("benchmrk", cm.exception.message)

    def test_non_numeric_amount_is_record_error_naming_amount(self):
        with engine() as e:
            with self.assertRaises(crmtier.RecordError) as cm:
                e.save("canonical", rev("BAD-1", "X", "2026-05-01", "lots"))
            self.assertEqual(cm.exception.status, 3)
            self.assertIn("amount", cm.exception.message)

    def test_bulk_load_is_all_or_nothing_and_names_the_line(self):
        with engine() as e:
            data = "\n".join([json.dumps(acc("OK")),
                              json.dumps(rev("BAD", "OK", "2026-05-01", "x"))])
            with self.assertRaises(crmtier.RecordError) as cm:
                e.load("canonical", data)
            self.assertIn("2", cm.exception.message)
            self.assertEqual(e.stats()["accounts"], 0)

    def test_unknown_adapter(self):
        with engine() as e:
            with self.assertRaises(crmtier.AdapterError) as cm:
                e.save("no-such-crm", acc("X"))
            self.assertEqual(cm.exception.status, 6)

    def test_closed_engine_raises_instead_of_crashing(self):
        e = engine()
        e.close()
        e.close()
        with self.assertRaises(crmtier.CrmtierError):
            e.stats()


def _has(name):
    return (name in crmtier._library.PROTOTYPES
            and name not in crmtier.load_library().crmtier_missing)


@unittest.skipUnless(_has("crmtier_engine_snapshot_save"),
                     "library built without snapshots")
class Snapshots(unittest.TestCase):
    def test_snapshot_round_trip_gives_the_same_results(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "portfolio.snap")
            with engine() as e:
                e.load("canonical", PORTFOLIO)
                e.snapshot_save(path)
                before = list(e.results())
            with engine() as e:
                e.snapshot_load(path)
                self.assertEqual(list(e.results()), before)

    def test_damaged_snapshot_is_refused(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.snap")
            with open(path, "wb") as f:
                f.write(b"not a snapshot")
            with engine() as e:
                with self.assertRaises(crmtier.SnapshotError) as cm:
                    e.snapshot_load(path)
                self.assertEqual(cm.exception.status, 11)
                with self.assertRaises(crmtier.IOFailure):
                    e.snapshot_load(os.path.join(tmp, "missing.snap"))


class Logging(unittest.TestCase):
    def test_callback_installed_called_safely_and_removed(self):
        seen = []
        with engine() as e:
            e.set_log(lambda level, msg: seen.append((level, msg)), crmtier.LOG_TRACE)
            e.load("canonical", PORTFOLIO)
            e.save("canonical", acc("L"))
            for level, msg in seen:
                self.assertIn(level, range(0, 7))
                self.assertIsInstance(msg, str)
            e.set_log(None)
            count = len(seen)
            e.save("canonical", acc("M"))
            self.assertEqual(len(seen), count)
            with self.assertRaises(crmtier.ArgumentError):
                e.set_log(print, 99)


if __name__ == "__main__":
    unittest.main()
