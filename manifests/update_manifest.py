#!/usr/bin/python3
"""Brings manifests/crmtier.extension.json up to date with adapters/mappings/*.json.

Regenerates, per adapter, what the mapping decides (input format, default
profile, settings, record types and the fields they read, the fields written)
and keeps what people write by hand (host, api, writes.object; a new adapter
starts from its mapping's description). tests/adapters/test_manifest.py checks
that the two agree. Usage: /usr/bin/python3 manifests/update_manifest.py
"""
import glob
import json
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
MANIFEST = os.path.join(ROOT, "manifests", "crmtier.extension.json")
FORMATTED = "@OData.Community.Display.V1.FormattedValue"


def name_of(p):
    return p if isinstance(p, str) else ".".join(str(x) for x in p)


def paths_read(node, out, base=""):
    """The host fields a mapping node reads; `base`: the array a value's "in"
    (or a condition's "some") reads members of, for the paths inside it."""
    if isinstance(node, dict) and "in" in node and "convert" in node:  # a value: the one member of an array
        arr = (base + "." if base else "") + name_of(node["in"])
        sub = name_of(node["path"])
        out.append(arr + ("." + sub if sub else ""))
        if "where" in node:
            paths_read(node["where"], out, arr)
        return out
    if isinstance(node, dict) and "some" in node:
        arr = (base + "." if base else "") + name_of(node["path"])
        out.append(arr)
        paths_read(node["some"], out, arr)
        return out
    if isinstance(node, dict) and "children" in node:
        for child in node["children"]:
            out.append(name_of(child["path"]))
    if isinstance(node, dict):
        if "path" in node and base:
            out.append(base + "." + name_of(node["path"]))
        elif "path" in node:
            p = node["path"]
            name = p if isinstance(p, str) else ".".join(str(x) for x in p)
            out.append(name)
            if node.get("convert") == "formatted":
                out.append(name + FORMATTED)
        for key, value in node.items():
            if key not in ("path", "children"):
                paths_read(value, out, base)
    elif isinstance(node, list):
        for value in node:
            paths_read(value, out, base)
    return out


def unique(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return seen


def writes(m, old):
    out = m["output"]
    defaults = {k: v["default"] for k, v in m["settings"].items() if "default" in v}

    def sub(name):
        return re.sub(r"\$\{(\w+)\}", lambda g: str(defaults[g.group(1)]), name)

    w = {"object": old.get("object", m["records"][-1]["type"]), "id_field": out["id"]["name"]}
    if "nest" in out:
        w["nested_under"] = out["nest"]
    w["fields"] = [{"name": sub(f["name"]), "from": f["from"]} for f in out["fields"]]
    optional = [{"name": sub(f["name"]), "from": f["from"], "setting": g["setting"]}
                for g in out.get("options", []) for f in g["fields"]]
    optional += [{"name": g["name"], "setting": g["setting"], "fields": [f["name"] for f in g["fields"]]}
                 for g in out.get("objects", [])]
    if optional:
        w["optional_fields"] = optional
    return w


def dump(v, ind=0):
    """JSON with short objects and lists of scalars on one line."""
    sp = "  " * ind
    if isinstance(v, dict):
        if all(not isinstance(x, (dict, list)) for x in v.values()) and len(json.dumps(v, ensure_ascii=False)) < 90:
            return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
        return "{\n" + ",\n".join(sp + "  " + json.dumps(k) + ": " + dump(x, ind + 1) for k, x in v.items()) + "\n" + sp + "}"
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
        return "[\n" + ",\n".join(sp + "  " + dump(x, ind + 1) for x in v) + "\n" + sp + "]"
    return json.dumps(v, ensure_ascii=False)


def main():
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)
    old_adapters = manifest.get("adapters", {})
    adapters = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "adapters", "mappings", "*.json"))):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        old = old_adapters.get(m["adapter"], {})
        adapters[m["adapter"]] = {
            "host": old.get("host", m["adapter"]),
            "api": old.get("api", m.get("description", "")),
            "mapping": "adapters/mappings/" + os.path.basename(path),
            "input": m["format"],
            "default_profile": m["default_profile"],
            "settings": sorted(list(m["settings"]) + ["output_fields"] + (["input_fields"] if m["format"] == "json" else [])),
            "records": [{"type": r["type"], "canonical": r["canonical"],
                         "reads": unique(p for p in paths_read(r, []) if p != "__file")} for r in m["records"]],
            "writes": writes(m, old.get("writes", {})),
        }
    manifest["adapters"] = adapters
    with open(MANIFEST, "w", encoding="utf-8") as f:
        f.write(dump(manifest) + "\n")


if __name__ == "__main__":
    main()
