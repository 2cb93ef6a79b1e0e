"""The binding declares exactly the functions of abi/crmtier.h, with the same
number of parameters and a matching result type, so the two cannot drift.
Needs no library."""

import ctypes
import os
import re
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "abi" / "python"))

from crmtier import _library  # noqa: E402

HEADER = Path(os.environ.get("CRMTIER_HEADER", ROOT / "abi" / "crmtier.h"))

_RESULT_TYPES = {
    "void": None,
    "int": ctypes.c_int,
    "uint32_t": ctypes.c_uint32,
    "const char *": ctypes.c_char_p,
}


def header_functions(text: str) -> dict:
    """name -> (result type text, [parameter texts]) for every CRMTIER_API
    declaration (comments stripped)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"#[^\n]*", " ", text)  # the CRMTIER_API macro definitions
    found = {}
    for m in re.finditer(r"CRMTIER_API\s+([^;(]*?)\s*\b(crmtier_\w+)\s*\(([^)]*)\)\s*;",
                         text):
        result = re.sub(r"\s+", " ", m.group(1)).strip()
        result = re.sub(r"\s*\*\s*$", " *", result)
        params = [p.strip() for p in re.sub(r"\s+", " ", m.group(3)).split(",")]
        if params == ["void"]:
            params = []
        found[m.group(2)] = (result, params)
    return found


class BindingMatchesHeader(unittest.TestCase):
    def setUp(self):
        self.header = header_functions(HEADER.read_text(encoding="utf-8"))

    def test_header_parse_found_the_api(self):
        # Guards the parser itself: these are certainly in the header.
        for name in ("crmtier_engine_create", "crmtier_free", "crmtier_cursor_next"):
            self.assertIn(name, self.header)

    def test_every_header_function_is_declared_and_nothing_else(self):
        declared = set(_library.PROTOTYPES)
        self.assertEqual(sorted(set(self.header) - declared), [],
                         "in crmtier.h but not declared by the binding")
        self.assertEqual(sorted(declared - set(self.header)), [],
                         "declared by the binding but not in crmtier.h")

    def test_parameter_counts_match(self):
        for name, (_, params) in self.header.items():
            with self.subTest(name=name):
                self.assertEqual(len(_library.PROTOTYPES[name][1]), len(params), params)

    def test_result_types_match(self):
        for name, (result, _) in self.header.items():
            with self.subTest(name=name):
                self.assertIn(result, _RESULT_TYPES, f"unmapped result type {result!r}")
                self.assertIs(_library.PROTOTYPES[name][0], _RESULT_TYPES[result])

    def test_every_prototype_comment_is_present(self):
        source = (ROOT / "abi" / "python" / "crmtier" / "_library.py").read_text()
        for name in self.header:
            with self.subTest(name=name):
                self.assertRegex(source, r"#[^\n]*\b" + name + r"\(")


if __name__ == "__main__":
    unittest.main()
