#!/usr/bin/python3
"""Keeps docs/semantics.md (the contract) true.

- The worked example: the input block of the page is scored through the
  reference host (the plugin loaded with Boost.DLL), and its result lines, and
  the peer groups shown, must be the page's blocks byte for byte.
- The result table lists the result's keys in the library's order; every
  reason code and action the library can write (found in the C++ sources and
  seen in the example's results) is documented with its JSON shape, and the
  keys of every reason the example produces appear in that shape.
- Every configuration key the library knows is in the page's configuration
  table, and every key of the table is one the library knows. The keys are
  found from the library's behaviour: every identifier-like string literal of
  the C++ sources is tried as a key, and the library's "unknown key" answer
  tells the keys from the rest; the defaults of the table, written out as a
  configuration, give byte-identical results to "{}". The same holds for the
  full example of docs/configuration.md.
- docs/peer-groups.md shows the first peer group the library proposes for
  the bundled sample.
- Every link to a section of the page (semantics.md#…) anywhere in the
  repository, and every link inside it, names a section that exists.

Usage: test_semantics_page.py HOST LIBRARY   (build/crmtier, build/libcrmtier.so)
Standard library only; run by CTest as docs.semantics_page.
"""
import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PAGE = os.path.join(ROOT, "docs", "semantics.md")
CONFIG_PAGE = os.path.join(ROOT, "docs", "configuration.md")
GROUPS_PAGE = os.path.join(ROOT, "docs", "peer-groups.md")
HOST = LIBRARY = None
PROBE = "__crmtier_probe__"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def marked_block(text, marker):
    """The fenced block that follows `<!-- semantics-test: MARKER... -->`: (attributes, body)."""
    m = re.search(r"<!-- semantics-test: " + re.escape(marker) + r"([^>]*)-->\n```[a-z]*\n(.*?)```", text, re.S)
    if not m:
        raise AssertionError("docs/semantics.md has no block marked <!-- semantics-test: %s -->" % marker)
    attrs = dict(a.split("=", 1) for a in m.group(1).split())
    return attrs, m.group(2)


def section(text, heading):
    m = re.search(r"^## " + re.escape(heading) + r"\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        raise AssertionError("docs/semantics.md has no section '## %s'" % heading)
    return m.group(1)


def table_rows(text):
    """First cells (without backticks) and the other cells of every row of the markdown tables in text."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-: |]+\|$", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells)
    return rows


def slug(heading):
    """GitHub's anchor of a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def run_host(*args):
    p = subprocess.run([HOST] + list(args), capture_output=True, timeout=120)
    if p.returncode != 0:
        raise AssertionError("%s %s failed (%d): %s" % (HOST, " ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout.decode("utf-8")


class Library:
    """crmtier_engine_create through the C ABI, to ask the library about configurations."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.crmtier_engine_create.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
        self.lib.crmtier_engine_create.restype = ctypes.c_int
        self.lib.crmtier_engine_destroy.argtypes = [ctypes.c_void_p]
        self.lib.crmtier_last_error.restype = ctypes.c_char_p

    def create_error(self, config):
        """"" when the configuration (a dict, or JSON text) is accepted, else the library's message."""
        text = (config if isinstance(config, str) else json.dumps(config)).encode()
        engine = ctypes.c_void_p()
        if self.lib.crmtier_engine_create(text, len(text), ctypes.byref(engine)) == 0:
            self.lib.crmtier_engine_destroy(engine)
            return ""
        return self.lib.crmtier_last_error().decode("utf-8", "replace")


def nest(path, value):
    obj = value
    for part in reversed(path.split(".")):
        obj = {part: obj}
    return obj


def merge(into, other):
    for k, v in other.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            merge(into[k], v)
        else:
            into[k] = v
    return into


def leaves(obj, prefix=""):
    out = []
    for k, v in obj.items():
        path = prefix + k
        if isinstance(v, dict) and v and k != "adapters":
            out += leaves(v, path + ".")
        else:
            out.append(path)
    return out


def unknown(message, path):
    """Whether the library's message says `path` is an unknown key."""
    return re.search(r'(?<![\w.])' + re.escape(path) + r'"?: unknown key', message) is not None


def source_literals():
    """Every identifier-like string literal of the C and C++ sources."""
    found = set()
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if not x.startswith(("build", ".git"))]
        for f in files:
            if f.endswith((".cpp", ".hpp", ".h", ".c", ".cc")):
                found.update(re.findall(r'"([A-Za-z_][A-Za-z0-9_]{0,63})"', read(os.path.join(d, f))))
    return found


def source_codes():
    """Reason codes and action names the C++ sources write (raw strings, escaped strings, or a JSON writer)."""
    codes, actions = set(), set()
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if not x.startswith(("build", ".git")) and x not in ("tests", "fuzz", "bench")]
        for f in files:
            if f.endswith((".cpp", ".hpp", ".cc")):
                t = read(os.path.join(d, f))
                for name, out in (("code", codes), ("action", actions)):
                    out.update(re.findall(r'\\?"' + name + r'\\?"\s*:\s*\\?"([a-z_]+)', t))
                    out.update(re.findall(r'key\("' + name + r'"\)\s*\.str\("([a-z_]+)"\)', t))
    return codes, actions


def library_keys(lib, candidates):
    """Every configuration key the library knows, as dotted paths of leaves, found by asking it."""
    keys = []

    def probe(prefix):
        for c in sorted(candidates):
            path = prefix + c
            message = lib.create_error(nest(path, {PROBE: 0}))
            if unknown(message, path):
                continue
            if path == "adapters":  # per-adapter settings: docs/adapters.md, generated from the mappings
                keys.append(path)
            elif unknown(message, path + "." + PROBE):
                probe(path + ".")  # a section: its own keys
            else:
                keys.append(path)

    probe("")
    return sorted(keys)


class SemanticsPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.page = read(PAGE)
        cls.attrs, cls.input = marked_block(cls.page, "input")
        cls.as_of = cls.attrs["as-of"]
        cls.tmp = tempfile.TemporaryDirectory()
        cls.input_path = os.path.join(cls.tmp.name, "example.jsonl")
        with open(cls.input_path, "w", encoding="utf-8") as f:
            f.write(cls.input)
        cls.results = cls.score()
        cls.parsed = [json.loads(line) for line in cls.results.splitlines()]
        cls.lib = Library(LIBRARY)
        cls._keys = None

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def crmtier(cls, command, config=None):
        """`crmtier score` (the result lines) or `crmtier groups` of the worked example, with `config` if given."""
        args = [command, "--as-of", cls.as_of] + (["-o", "-", "-q"] if command == "score" else [])
        if config is not None:
            path = os.path.join(cls.tmp.name, "config.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(config, f)
            args += ["--config", path]
        return run_host(*(args + [cls.input_path]))

    @classmethod
    def score(cls, config=None):
        return cls.crmtier("score", config)

    @classmethod
    def groups(cls, config=None):
        return cls.crmtier("groups", config)

    def known_keys(self):
        if SemanticsPage._keys is None:
            SemanticsPage._keys = library_keys(self.lib, source_literals())
        return SemanticsPage._keys

    # --- The worked example -------------------------------------------------------

    def test_worked_example_results_are_the_librarys(self):
        _, expected = marked_block(self.page, "results")
        self.assertGreaterEqual(len(self.parsed), 8, "the worked example should score 8 to 12 accounts")
        self.assertEqual(expected.count("\n"), self.results.count("\n"),
                         "the worked example shows another number of result lines than the library gives")
        for n, (shown, got) in enumerate(zip(expected.splitlines(True), self.results.splitlines(True)), 1):
            self.assertEqual(shown, got, "result line %d of '## Worked example' is not what the library gives "
                                         "for the page's input (shown first, the library's second)" % n)

    def test_worked_example_peer_groups_are_the_librarys(self):
        attrs, expected = marked_block(self.page, "groups")
        self.assertEqual(attrs.get("as-of"), self.as_of)
        self.assertEqual(expected, self.groups())

    def test_peer_groups_page_shows_the_samples_first_group(self):
        """docs/peer-groups.md's example is the first group the library proposes for the bundled sample."""
        m = re.search(r"<!-- semantics-test: sample-groups-first -->\n```json\n(.*?)```", read(GROUPS_PAGE), re.S)
        self.assertIsNotNone(m, "docs/peer-groups.md has no block marked <!-- semantics-test: sample-groups-first -->")
        shown = json.loads(m.group(1))
        got = json.loads(run_host("groups"))  # no FILE: the bundled sample, as of its own date
        got["groups"] = got["groups"][:1]
        self.assertEqual(got, shown)

    def test_worked_example_covers_every_case(self):
        """The example is chosen to show every tier, colour and flag: it must keep doing so."""
        rs = self.parsed
        self.assertEqual({"A", "B", "C", "D"}, {r["tier"] for r in rs})
        self.assertEqual({"red", "orange", "yellow", "lightblue", "blue", "grey"}, {r["colour"] for r in rs})
        self.assertTrue(any(r["escalate"] for r in rs))
        self.assertTrue(any(r["declining"] for r in rs))
        self.assertTrue(any(r["decline_pct"] > 100 for r in rs))
        self.assertTrue(any(r["overdue_days"] > 0 for r in rs))
        self.assertEqual({"own", "prior_year", "lookalikes"},
                         {x["source"] for r in rs for x in r["reasons"] if x["code"] == "potential"})
        records = [json.loads(line) for line in self.input.splitlines() if line.strip()]
        self.assertTrue(any(r.get("deleted") and r["type"] == "account" for r in records))
        self.assertTrue(any(r.get("deleted") and r["type"] == "revenue" for r in records))
        self.assertTrue(any(r.get("amount", 0) < 0 for r in records), "a credit note")
        self.assertTrue(any(r.get("date", "") > self.as_of for r in records), "a record dated after the as-of date")

    # --- Result, reasons and actions ---------------------------------------------------

    def test_result_table_lists_every_key_in_order(self):
        rows = [r[0].strip("`") for r in table_rows(section(self.page, "Result")) if r[0].startswith("`")]
        for r in self.parsed:
            self.assertEqual(list(r.keys()), rows, "the table of '## Result' must list the result's keys in order")

    def test_every_reason_code_and_action_is_documented(self):
        text = section(self.page, "Reasons and actions")
        codes, actions = source_codes()
        seen_codes = {x["code"] for r in self.parsed for x in r["reasons"]}
        seen_actions = {a["action"] for r in self.parsed for a in r["actions"]}
        # The scan of the sources must find at least what the library writes, or it has gone stale.
        self.assertLessEqual(seen_codes, codes, "the scan of the C++ sources no longer finds the reason codes")
        self.assertLessEqual(seen_actions, actions, "the scan of the C++ sources no longer finds the actions")
        for code in sorted(codes | seen_codes):
            self.assertIn('{"code":"%s"' % code, text, "reason %r has no JSON shape in '## Reasons and actions'" % code)
        for action in sorted(actions | seen_actions):
            self.assertIn('{"action":"%s"' % action, text, "action %r has no JSON shape in '## Reasons and actions'" % action)

    def test_reason_shapes_match_the_library(self):
        text = section(self.page, "Reasons and actions")
        seen = {}
        for config in ({}, {"benchmark": {"method": "max"}}, {"benchmark": {"method": "top_n_mean"}}):
            for line in self.score(config).splitlines():
                for x in json.loads(line)["reasons"]:
                    seen.setdefault(x["code"], set()).update(x.keys())
        for code, keys in seen.items():
            m = re.search(r"^- \*\*`%s`\*\*: `(\{.*?\})`(.*?)(?=^- \*\*|\n\n)" % code, text, re.S | re.M)
            self.assertIsNotNone(m, "no bullet '- **`%s`**: `{...}`' in '## Reasons and actions'" % code)
            shape, prose = m.group(1), m.group(2)
            documented = set(re.findall(r'"(\w+)":', shape))
            for k in keys:
                self.assertTrue(k in documented or '"%s"' % k in prose,
                                "reason %r: key %r is not in its documented shape" % (code, k))
            nested = {"A", "B"}  # the keys of "floors"
            for k in documented - nested:
                self.assertIn(k, keys, "reason %r: documented key %r is not written by the library" % (code, k))

    # --- Configuration ------------------------------------------------------------------

    def config_table(self):
        rows = table_rows(section(self.page, "Configuration"))
        return {r[0].strip("`"): r[1] for r in rows if r[0].startswith("`")}

    def test_every_configuration_key_is_documented(self):
        known = self.known_keys()
        self.assertGreater(len(known), 10, "probing the library found almost no configuration key")
        table = self.config_table()
        self.assertEqual([], [k for k in known if k not in table],
                         "configuration keys the library knows that '## Configuration' does not list")
        for key in table:
            message = self.lib.create_error(nest(key, {PROBE: 0}))
            self.assertFalse(unknown(message, key), "'## Configuration' lists %r, which the library refuses" % key)
        self.assertEqual([], [k for k in table if k not in known],
                         "keys of the table the library accepts but the scan of the sources did not find: "
                         "the scan has gone stale")

    def test_configuration_defaults_are_the_librarys(self):
        config = {}
        for key, cell in self.config_table().items():
            m = re.fullmatch(r"`(.*)`", cell)
            if key == "as_of":
                continue  # today
            self.assertIsNotNone(m, "the default of %r should be one JSON value in backticks" % key)
            merge(config, nest(key, json.loads(m.group(1))))
        self.assertEqual("", self.lib.create_error(config))
        self.assertEqual(self.results, self.score(config))
        self.assertEqual(self.groups(), self.groups(config))

    def test_configuration_page_example(self):
        """docs/configuration.md's full example: every key the library knows, with its default."""
        text = read(CONFIG_PAGE)
        m = re.search(r"<!-- semantics-test: all-defaults -->\n```json\n(.*?)```", text, re.S)
        self.assertIsNotNone(m, "docs/configuration.md has no block marked <!-- semantics-test: all-defaults -->")
        example = json.loads(m.group(1))
        self.assertEqual(sorted(self.known_keys()), sorted(leaves(example)),
                         "the full example of docs/configuration.md must write out every key")
        example.pop("as_of", None)
        self.assertEqual(self.results, self.score(example))
        self.assertEqual(self.groups(), self.groups(example))

    def test_configuration_page_errors(self):
        """The messages docs/configuration.md shows are the library's."""
        text = read(CONFIG_PAGE)
        m = re.search(r"^## Errors\n(.*?)(?=^## )", text, re.S | re.M)
        self.assertIsNotNone(m, "docs/configuration.md has no '## Errors' section")
        rows = [r for r in table_rows(m.group(1)) if r[0].startswith("`")]
        self.assertGreater(len(rows), 3)
        for config, message in rows:
            self.assertEqual(message.strip("`"), self.lib.create_error(config.strip("`")), config)

    # --- Anchors ------------------------------------------------------------------------

    def test_cited_anchors_exist(self):
        anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", self.page, re.M)}
        missing = []
        for d, dirs, files in os.walk(ROOT):
            dirs[:] = [x for x in dirs if not x.startswith(("build", ".git"))]
            for f in files:
                path = os.path.join(d, f)
                try:
                    text = read(path)
                except (UnicodeDecodeError, OSError):
                    continue
                for anchor in re.findall(r"semantics\.md#([A-Za-z0-9_-]+)", text):
                    if anchor not in anchors:
                        missing.append("%s: #%s" % (os.path.relpath(path, ROOT), anchor))
                if f == "semantics.md":
                    for anchor in re.findall(r"\]\(#([A-Za-z0-9_-]+)\)", text):
                        if anchor not in anchors:
                            missing.append("%s: #%s" % (os.path.relpath(path, ROOT), anchor))
        self.assertEqual([], missing, "links to sections of docs/semantics.md that do not exist")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_semantics_page.py HOST LIBRARY [unittest options]")
    HOST, LIBRARY = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:])
