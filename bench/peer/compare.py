#!/usr/bin/python3
"""Compares two result files account by account (the plugin's and the peer's).

    /usr/bin/python3 bench/peer/compare.py PLUGIN_RESULTS PEER_RESULTS [--fields all]

Each file is CSV (header row) or JSON Lines, with the canonical result field
names of docs/semantics.md#result ("id", "tier", "colour", "next_contact", ...). By default it
compares tier, colour and next_contact (what issue 5 requires to be equal);
`--fields all` adds every field both files have. Money is compared to 1/10000,
booleans and "true"/"false" alike, null and "" alike. Prints one JSON line:
{"accounts":N,"agree":N,"disagree":N,"only_in_first":N,"only_in_second":N,
"by_field":{...}} and the first mismatches on stderr; exit status 0 only when
every account is in both files and agrees. Standard library only.
"""

import argparse
import csv
import json
import sys

DEFAULT = ["tier", "colour", "next_contact"]
MONEY = {"annual_revenue", "prior_revenue", "lookalike_revenue", "potential", "benchmark"}
INTS = {"peers", "temperature", "overdue_days", "decline_pct"}


def load(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline()
        f.seek(0)
        if first.lstrip().startswith("{"):
            rows = (json.loads(line) for line in f if line.strip())
            return {str(r["id"]): r for r in rows}
        return {r["id"]: r for r in csv.DictReader(f)}


def norm(field, v):
    if v is None or v == "":
        return None
    if field in MONEY:
        return round(float(v) * 10000)
    if field in INTS:
        return int(float(v))
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("first")
    ap.add_argument("second")
    ap.add_argument("--fields", default=",".join(DEFAULT),
                    help="comma-separated fields, or 'all'")
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    args = ap.parse_args(argv)
    a, b = load(args.first), load(args.second)
    if args.fields == "all":
        ka = next(iter(a.values()), {}).keys()
        kb = set(next(iter(b.values()), {}).keys())
        fields = [k for k in ka if k in kb and k != "id"]
    else:
        fields = args.fields.split(",")
    by_field = {f: 0 for f in fields}
    agree = disagree = shown = 0
    for acc in sorted(a.keys() & b.keys()):
        ra, rb = a[acc], b[acc]
        bad = [f for f in fields if norm(f, ra.get(f)) != norm(f, rb.get(f))]
        if bad:
            disagree += 1
            for f in bad:
                by_field[f] += 1
            if shown < args.show:
                shown += 1
                print("%s: %s" % (acc, ", ".join("%s %r != %r" % (f, ra.get(f), rb.get(f))
                                               for f in bad)), file=sys.stderr)
        else:
            agree += 1
    report = {"accounts": len(a.keys() | b.keys()), "agree": agree, "disagree": disagree,
              "only_in_first": len(a.keys() - b.keys()),
              "only_in_second": len(b.keys() - a.keys()),
              "fields": fields, "by_field": by_field}
    print(json.dumps(report))
    ok = disagree == 0 and not report["only_in_first"] and not report["only_in_second"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
