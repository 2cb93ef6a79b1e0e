"""Malformed input through the Python binding (ctypes), as a hostile script
would send it: each call raises the exception class of its documented status,
with a message naming the problem, and leaves every result unchanged.

Run: PYTHONPATH=abi/python CRMTIER_LIBRARY=build/libcrmtier.so \
     /usr/bin/python3 -m unittest -v tests/hostile/test_hostile.py
"""

import json
import unittest

import crmtier
from crmtier import errors

SEED = [
    {"type": "account", "id": "ACC-1", "name": "Acme GmbH", "owner": "rep-1", "employees": 320,
     "territory": "EMEA/DE/Bavaria", "industry": "Manufacturing", "last_contact": "2026-10-01"},
    {"type": "account", "id": "ACC-2", "owner": "rep-2", "employees": 300,
     "territory": "EMEA/DE/Berlin", "industry": "Manufacturing"},
    {"type": "account", "id": "ACC-3", "owner": "rep-3", "employees": 12,
     "territory": "AMER/US/Texas", "industry": "Retail"},
    {"type": "revenue", "id": "INV-1", "account_id": "ACC-1", "date": "2026-03-15", "amount": 48000},
    {"type": "revenue", "id": "INV-2", "account_id": "ACC-2", "date": "2025-05-01", "amount": 30000},
    {"type": "revenue", "id": "INV-3", "account_id": "ACC-2", "date": "2026-05-01", "amount": 3000},
]

DEEP = b"[" * 10000 + b"]" * 10000

# (name, method, adapter, input, exception class, substrings of the message)
CASES = [
    ("truncated JSON", "save", "canonical", b'{"type":"account","id":"AC', errors.ParseError, ["not valid JSON"]),
    ("NaN amount", "save", "canonical",
     b'{"type":"revenue","id":"I9","account_id":"ACC-1","date":"2026-01-01","amount":NaN}',
     errors.ParseError, ["not valid JSON"]),
    ("amount 1e308", "save", "canonical",
     b'{"type":"revenue","id":"I9","account_id":"ACC-1","date":"2026-01-01","amount":1e308}',
     errors.RecordError, ['"amount"']),
    ("amount as text", "save", "canonical",
     b'{"type":"revenue","id":"I9","account_id":"ACC-1","date":"2026-01-01","amount":"12"}',
     errors.RecordError, ['"amount"', "expected a number"]),
    ("impossible date", "save", "canonical",
     b'{"type":"revenue","id":"I9","account_id":"ACC-1","date":"2026-02-30","amount":1}',
     errors.RecordError, ["2026-02-30 does not exist"]),
    ("date far in the future", "save", "canonical",
     b'{"type":"revenue","id":"I9","account_id":"ACC-1","date":"9999-01-01","amount":1}',
     errors.RecordError, ["9999"]),
    ("negative employees", "save", "canonical", b'{"type":"account","id":"ACC-1","employees":-1}',
     errors.RecordError, ['"employees"', "negative"]),
    ("empty id", "save", "canonical", b'{"type":"account","id":""}', errors.RecordError, ['"id"']),
    ("10 KB id", "save", "canonical", b'{"type":"account","id":"' + b"x" * 10240 + b'"}',
     (errors.RecordError, errors.LimitError), ['"id"']),
    ("invalid UTF-8", "save", "canonical", b'{"type":"account","id":"\xff"}', errors.ParseError,
     ["not valid JSON"]),
    ("embedded NUL", "save", "canonical", b'{"type":"account","id":"A\x00"}', errors.ParseError,
     ["not valid JSON"]),
    ("10,000-deep nesting", "save", "canonical", DEEP, (errors.LimitError, errors.ParseError), ["deep"]),
    ("wrong type", "save", "canonical", b'{"type":"account","id":7}', errors.RecordError, ["expected a string"]),
    ("unknown adapter", "save", "nope", b'{"type":"account","id":"X"}', errors.AdapterError, ["nope"]),
    ("empty record", "save", "canonical", b"", errors.ArgumentError, ["empty"]),
    ("bad line in a load", "load", "canonical", b'{"type":"account","id":"N1"}\n{"type":"account","id":5}\n',
     errors.RecordError, ["line 2", '"id"']),
    ("CSV unterminated quote", "load", "csv", b'id,name\nN1,"Acme\n', errors.ParseError, ["unterminated"]),
    ("salesforce not JSON", "save", "salesforce", b"{\"Id\":", errors.ParseError, ["salesforce"]),
    ("as-of 2026-02-30", "set_as_of", None, "2026-02-30", errors.ArgumentError, ["does not exist"]),
    ("as-of garbage", "set_as_of", None, "next tuesday", errors.ArgumentError, ["YYYY-MM-DD"]),
    ("unknown account", "result", None, "ACC-404", errors.NotFoundError, ["ACC-404"]),
    ("changes from the future", "changes", None, 10 ** 12, errors.ArgumentError, ["ahead"]),
]


def state(engine):
    """Everything a host can read: figures, every result, the change feed."""
    return json.dumps([engine.stats(), list(engine.results()), engine.changes(0), engine.peer_groups()],
                      sort_keys=True)


class HostileInputThroughPython(unittest.TestCase):
    def setUp(self):
        self.engine = crmtier.Engine({"as_of": "2026-11-27"})
        self.engine.load("canonical", SEED)

    def tearDown(self):
        self.engine.close()

    def test_catalogue(self):
        for name, method, adapter, data, exc, needles in CASES:
            with self.subTest(name):
                before = state(self.engine)
                call = getattr(self.engine, method)
                with self.assertRaises(exc) as caught:
                    if method in ("save", "load"):
                        call(adapter, data)
                    else:
                        call(data)
                for needle in needles:
                    self.assertIn(needle, caught.exception.message)
                self.assertLess(len(caught.exception.message), 1024)
                self.assertEqual(state(self.engine), before)

    def test_bad_configurations(self):
        for cfg, needle in [('{"benchmark":{"mehtod":"max"}}', "benchmark.mehtod"),
                            ('{"tiers":{"A":"x"}}', "tiers.A"),
                            ('{"limits":{"max_depth":0}}', "limits.max_depth"),
                            ('{"as_of":"2026-02-30"}', "as_of")]:
            with self.subTest(cfg):
                with self.assertRaises(errors.ConfigError) as caught:
                    crmtier.Engine(cfg)
                self.assertIn(needle, caught.exception.message)
        with self.assertRaises(errors.ParseError):
            crmtier.Engine('{"as_of":')

    def test_damaged_snapshots(self):
        import os
        import struct
        import tempfile
        import zlib
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "snap")
            self.engine.snapshot_save(path)
            with open(path, "rb") as f:
                good = f.read()
            body = good[28:]
            newer = good[:8] + struct.pack("<I", 2) + good[12:]
            flipped = bytearray(good)
            flipped[len(good) // 2] ^= 0x10
            other = crmtier.Engine({"as_of": "2026-01-01"})
            other.load("canonical", [{"type": "account", "id": "OTHER"}])
            try:
                for name, data, needle in [("truncated", good[:-10], "truncated"),
                                           ("bit flipped", bytes(flipped), "checksum"),
                                           ("newer version", newer, "newer"),
                                           ("not a snapshot", b'{"type":"account"}', "snapshot"),
                                           ("empty", b"", "snapshot")]:
                    with self.subTest(name):
                        with open(path, "wb") as f:
                            f.write(data)
                        before = state(other)
                        with self.assertRaises(errors.SnapshotError) as caught:
                            other.snapshot_load(path)
                        self.assertIn(needle, caught.exception.message)
                        self.assertEqual(state(other), before)
                self.assertEqual(zlib.crc32(body), struct.unpack("<I", good[24:28])[0])
            finally:
                other.close()

    def test_engine_still_works_after_every_refusal(self):
        for name, method, adapter, data, exc, needles in CASES:
            try:
                if method in ("save", "load"):
                    getattr(self.engine, method)(adapter, data)
                else:
                    getattr(self.engine, method)(data)
            except crmtier.CrmtierError:
                pass
        result = self.engine.save("canonical", {"type": "revenue", "id": "INV-9", "account_id": "ACC-3",
                                                "date": "2026-11-01", "amount": 100})
        self.assertEqual(result["id"], "ACC-3")
        self.assertEqual(result["annual_revenue"], 100.0)


if __name__ == "__main__":
    unittest.main()
