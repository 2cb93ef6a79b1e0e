#!/usr/bin/python3
"""On-save latency through the Python binding (abi/python, ctypes), issue 5.

Loads the portfolio with crmtier.Engine.load(), then replays the save mix that
crmtier_bench wrote (one "kind<TAB>record" line per save; the first --warmup
saves are not measured) through Engine.save(), which is what a Python host's
save handler calls: the record goes in as bytes, the account's result comes
back as a dict (the binding's json.loads included). Every other save asks
for --fields only (Engine.save(..., fields=[...]): the library writes those
keys alone, and only they are decoded): "save" times the whole result,
"save_fields" the fields, over the same mix. Each save is timed with
time.perf_counter_ns(); prints one JSON object of figures.

    bench/py_latency.py --input p.jsonl --mix saves.tsv --as-of 2026-11-30 \
        [--warmup 2000] [--fields tier,colour,next_contact]
        [--library build-bench/libcrmtier.so] [--json out.json]
"""

import argparse
import gc
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "abi", "python"))

import crmtier  # noqa: E402


def percentiles(ns):
    """Nearest-rank percentiles of nanosecond timings, in microseconds."""
    if not ns:
        return {"n": 0}
    s = sorted(ns)
    n = len(s)

    def at(q):
        k = max(1, -(-int(q * 1000) * n // 1000))  # ceil(q n), q in thousandths
        return s[k - 1] / 1000.0

    return {"n": n, "mean_us": round(sum(s) / n / 1000.0, 3), "p50_us": at(0.5),
            "p90_us": at(0.9), "p99_us": at(0.99), "p999_us": at(0.999),
            "max_us": s[-1] / 1000.0}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--mix", required=True)
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--warmup", type=int, default=2000)
    ap.add_argument("--fields", default="tier,colour,next_contact")
    ap.add_argument("--library", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    with open(args.input, "rb") as f:
        data = f.read()
    saves = []
    with open(args.mix, "rb") as f:
        for line in f:
            kind, _, record = line.rstrip(b"\n").partition(b"\t")
            saves.append((kind.decode(), record))

    engine = crmtier.Engine({"as_of": args.as_of}, library=args.library)
    t0 = time.perf_counter()
    loaded = engine.load("canonical", data)
    load_s = time.perf_counter() - t0
    del data

    by_kind = {}
    all_ns = []
    fields_ns = []
    fields = args.fields.split(",")
    save = engine.save
    clock = time.perf_counter_ns
    gc.collect()
    for i, (kind, record) in enumerate(saves):
        if i % 2:
            t = clock()
            save("canonical", record, fields=fields)
            ns = clock() - t
            if i >= args.warmup:
                fields_ns.append(ns)
            continue
        t = clock()
        save("canonical", record)
        ns = clock() - t
        if i >= args.warmup:
            all_ns.append(ns)
            by_kind.setdefault(kind, []).append(ns)
    engine.close()

    out = {"input": args.input, "records_loaded": loaded, "load_s": round(load_s, 4),
           "python": sys.version.split()[0],
           "save": percentiles(all_ns),
           "fields": fields, "save_fields": percentiles(fields_ns),
           "save_by_kind": {k: percentiles(v) for k, v in sorted(by_kind.items())},
           "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    text = json.dumps(out)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
