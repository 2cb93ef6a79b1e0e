#!/usr/bin/python3
"""The extension manifest (manifests/crmtier.extension.json): valid against its
JSON Schema, and in agreement with abi/crmtier.h and adapters/mappings/*.json
(same adapters, record types, fields read and fields written); and every
mapping file valid against adapters/mapping.schema.json."""
import copy
import glob
import json
import os
import re
import sys
import unittest

import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "manifests"))
from update_manifest import paths_read  # noqa: E402  (the one definition of "fields a mapping reads")
MANIFEST = os.path.join(ROOT, "manifests", "crmtier.extension.json")
SCHEMA = os.path.join(ROOT, "manifests", "crmtier-extension.schema.json")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def mappings():
    return {m["adapter"]: m for m in map(load, sorted(glob.glob(os.path.join(ROOT, "adapters", "mappings", "*.json"))))}


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.manifest = load(MANIFEST)
        self.schema = load(SCHEMA)
        self.validator = jsonschema.Draft202012Validator(self.schema)

    def test_schema_is_valid(self):
        jsonschema.Draft202012Validator.check_schema(self.schema)

    def test_manifest_matches_schema(self):
        errors = sorted(self.validator.iter_errors(self.manifest), key=lambda e: list(e.path))
        self.assertEqual([], ["%s: %s" % ("/".join(map(str, e.path)), e.message) for e in errors])

    def test_schema_rejects_broken_manifests(self):
        for breakage in (lambda m: m.pop("library"),
                         lambda m: m.update(version="0.1"),
                         lambda m: m.update(abi_version="one"),
                         lambda m: m["adapters"]["odoo"].update(default_profile=["size", "colour"]),
                         lambda m: m["adapters"]["odoo"]["records"][0].update(canonical="invoice"),
                         lambda m: m["adapters"]["hubspot"]["writes"]["fields"][0].update({"from": "tierr"}),
                         lambda m: m.update(unknown=1)):
            broken = copy.deepcopy(self.manifest)
            breakage(broken)
            self.assertFalse(self.validator.is_valid(broken))

    def test_versions_match_the_header(self):
        with open(os.path.join(ROOT, "abi", "crmtier.h"), encoding="utf-8") as f:
            header = f.read()
        version = re.search(r'#define CRMTIER_VERSION_STRING "([^"]+)"', header).group(1)
        major = re.search(r"#define CRMTIER_ABI_VERSION_MAJOR (\d+)", header).group(1)
        minor = re.search(r"#define CRMTIER_ABI_VERSION_MINOR (\d+)", header).group(1)
        self.assertEqual(version, self.manifest["version"])
        self.assertEqual("%s.%s" % (major, minor), self.manifest["abi_version"])
        self.assertEqual("libcrmtier.so", self.manifest["library"])
        for symbol in self.manifest["entry_points"].values():
            self.assertIn(" " + symbol + "(", header)

    def test_adapters_agree_with_the_mappings(self):
        maps = mappings()
        self.assertEqual(sorted(maps), sorted(self.manifest["adapters"]))
        for name, m in maps.items():
            with self.subTest(adapter=name):
                entry = self.manifest["adapters"][name]
                self.assertEqual("adapters/mappings/%s.json" % name, entry["mapping"])
                self.assertEqual(m["format"], entry["input"])
                self.assertEqual(m["default_profile"], entry["default_profile"])
                common = ["output_fields"] + (["input_fields"] if m["format"] == "json" else [])
                self.assertEqual(sorted(list(m["settings"]) + common), sorted(entry["settings"]))
                self.assertEqual([(r["type"], r["canonical"]) for r in m["records"]],
                                 [(r["type"], r["canonical"]) for r in entry["records"]])
                for r, e in zip(m["records"], entry["records"]):
                    read = [p for p in paths_read(r, []) if p != "__file"]  # __file: the csv reader's own tag
                    self.assertEqual(set(read), set(e["reads"]), r["type"])

    def test_written_fields_agree_with_the_mappings(self):
        for name, m in mappings().items():
            with self.subTest(adapter=name):
                out = m["output"]
                defaults = {k: v["default"] for k, v in m["settings"].items() if "default" in v}

                def sub(field):
                    return re.sub(r"\$\{(\w+)\}", lambda g: str(defaults[g.group(1)]), field)

                writes = self.manifest["adapters"][name]["writes"]
                self.assertEqual(out["id"]["name"], writes["id_field"])
                self.assertEqual(out.get("nest"), writes.get("nested_under"))
                self.assertEqual([(sub(f["name"]), f["from"]) for f in out["fields"]],
                                 [(f["name"], f["from"]) for f in writes["fields"]])
                optional = [sub(f["name"]) for g in out.get("options", []) for f in g["fields"]]
                optional += [g["name"] for g in out.get("objects", [])]
                self.assertEqual(optional, [f["name"] for f in writes.get("optional_fields", [])])

    def test_mappings_match_the_mapping_schema(self):
        schema = load(os.path.join(ROOT, "adapters", "mapping.schema.json"))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for name, m in mappings().items():
            with self.subTest(adapter=name):
                errors = ["%s: %s" % ("/".join(map(str, e.path)), e.message) for e in validator.iter_errors(m)]
                self.assertEqual([], errors)
                self.assertEqual(name + ".json", [os.path.basename(p) for p in glob.glob(
                    os.path.join(ROOT, "adapters", "mappings", "*.json")) if load(p)["adapter"] == name][0])
        broken = copy.deepcopy(mappings()["odoo"])
        broken["records"][0]["fields"]["amount"]["first"][0]["convert"] = "money"
        self.assertFalse(validator.is_valid(broken))

    def test_every_mapping_has_fixtures(self):
        for name in mappings():
            with self.subTest(adapter=name):
                fixtures = glob.glob(os.path.join(ROOT, "tests", "adapters", "fixtures", name, "*.expected.json"))
                self.assertGreaterEqual(len(fixtures), 5)


if __name__ == "__main__":
    unittest.main()
