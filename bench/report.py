#!/usr/bin/python3
"""The table of bench/run.sh (issue 5): reads the figures that crmtier_bench,
py_latency.py and the pandas peer wrote for each size, compares the plugin's
tiers, colours and next-contact dates with the peer's account by account, and
prints every figure, the goals and the speed ratio (also as Markdown with
--markdown FILE, for docs/performance.md). Standard library only.

    bench/report.py --out build-bench/bench-out --data build-bench/bench-data \
        --sizes 30k,300k,1m [--markdown report.md]
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys

GOALS = {"save_p99_c_us": 20.0, "save_p99_py_us": 60.0, "load_score_1m_s": 5.0,
         "ratio": 30.0, "rss_1m_mb": 1024.0, "simdjson_ratio": 3.0,
         # Issue 11: the sales plan page at 1M accounts ("well under a second": 500 ms).
         "report_bytes": 5e6, "report_ms": 500.0}


def count(s):
    s = s.strip().lower()
    if s.endswith("k"):
        return int(s[:-1]) * 1000
    if s.endswith("m"):
        return int(s[:-1]) * 1000000
    return int(s)


def load_json(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1] if text.startswith("{\"peer") else text)
    except (OSError, ValueError):
        return None


def agreement(plugin_csv, peer_csv):
    """Accounts whose tier, colour and next contact are equal in both."""
    mine = {}
    with open(plugin_csv, newline="") as f:
        for row in csv.DictReader(f):
            mine[row["id"]] = (row["tier"], row["colour"], row["next_contact"])
    agree = differ = only_peer = 0
    examples = []
    with open(peer_csv, newline="") as f:
        for row in csv.DictReader(f):
            got = mine.pop(row["id"], None)
            if got is None:
                only_peer += 1
                continue
            if got == (row["tier"], row["colour"], row["next_contact"]):
                agree += 1
            else:
                differ += 1
                if len(examples) < 5:
                    examples.append({"id": row["id"], "plugin": got,
                                     "peer": (row["tier"], row["colour"], row["next_contact"])})
    return {"agree": agree, "differ": differ, "only_plugin": len(mine),
            "only_peer": only_peer, "examples": examples}


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = "%.0f GiB" % (int(f.readline().split()[1]) / 1024 / 1024)
    except OSError:
        pass
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        rev = ""
    return "%s, %d cores, %s, %s, Python %s, commit %s" % (
        cpu, os.cpu_count() or 0, mem, platform.platform(terse=True),
        platform.python_version(), rev)


def end_to_end(b):
    """The plugin's side of the peer's read + score + write: the host reads
    the file, loads it, walks every result and keeps the fields the peer
    writes (tier, colour, next contact)."""
    return b["read_s"] + b["load_score_s"] + b.get("host_read_s", 0)


def engine_rss(b):
    """What the engine holds resident at its peak: the process's peak RSS
    less what it held just before the load (the host's copy of the input,
    the benchmark's pools of records for the save mix, the program)."""
    return b["peak_rss_mb"] - b["rss_before_load_mb"]


def fmt(x, nd=1):
    if x is None:
        return "-"
    if isinstance(x, (int,)) or (isinstance(x, float) and x >= 1e5):
        return "{:,}".format(int(round(x)))
    return "%.*f" % (nd, x)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--sizes", default="30k,300k,1m")
    ap.add_argument("--markdown")
    args = ap.parse_args(argv)

    sizes = [s for s in args.sizes.split(",") if s]
    cols = []
    for s in sizes:
        n = count(s)
        b = load_json(os.path.join(args.out, "bench-%d.json" % n))
        py = load_json(os.path.join(args.out, "py-%d.json" % n))
        peer = load_json(os.path.join(args.out, "peer-%d.json" % n))
        gen = load_json(os.path.join(args.data, "p%d.gen.json" % n))
        cpu = load_json(os.path.join(args.out, "peer-%d.cpu.json" % n))
        if peer is not None and cpu is not None:
            peer["cpu_s"] = cpu["user_s"] + cpu["sys_s"]
        agr = None
        pc, qc = (os.path.join(args.out, "plugin-%d.csv" % n),
                  os.path.join(args.out, "peer-%d.csv" % n))
        if os.path.exists(pc) and os.path.exists(qc):
            agr = agreement(pc, qc)
        cols.append((s, n, b, py, peer, gen, agr))

    rows = []  # (label, [values per size])

    def row(label, f):
        vals = []
        for c in cols:
            try:
                vals.append(f(*c[1:]))
            except (TypeError, KeyError, ZeroDivisionError):
                vals.append("-")
        rows.append((label, vals))

    def sec(label):
        rows.append((label, None))

    sec("Portfolio")
    row("accounts", lambda n, b, *_: fmt(b["accounts"]))
    row("invoices (revenue records kept)", lambda n, b, *_: fmt(b["invoices"]))
    row("JSON Lines records / MB", lambda n, b, *_: "%s / %s" % (fmt(b["lines"]), fmt(b["bytes"] / 1e6)))
    row("generate.py time (not scored), s",
        lambda n, b, py, peer, gen, _: fmt(gen["generate_ms"] / 1000.0))
    sec("Bulk load + full scoring (C ABI)")
    row("load, s", lambda n, b, *_: fmt(b["load_s"], 3))
    row("full scoring (cursor over every result), s", lambda n, b, *_: fmt(b["score_s"], 3))
    row("load + scoring, s", lambda n, b, *_: fmt(b["load_score_s"], 3))
    row("host reading the fields it keeps from each result (not in scoring), s",
        lambda n, b, *_: fmt(b.get("host_read_s", 0), 3))
    row("CPU time of load / of scoring, s", lambda n, b, *_: "%s / %s" % (
        fmt(b["load_cpu_s"], 3), fmt(b["score_cpu_s"], 3)))
    row("load: user / system CPU time, s", lambda n, b, *_: "%s / %s" % (
        fmt(b["load_user_s"], 3), fmt(b["load_sys_s"], 3)))
    row("scoring: user / system CPU time (every thread), s", lambda n, b, *_: "%s / %s" % (
        fmt(b["score_user_s"], 3), fmt(b["score_sys_s"], 3)))
    row("simdjson pass reading every field of every record (same text), s",
        lambda n, b, *_: fmt(b["simdjson_pass_s"], 3))
    row("simdjson pass: user / system CPU time, s", lambda n, b, *_: "%s / %s" % (
        fmt(b["simdjson_pass_user_s"], 3), fmt(b["simdjson_pass_sys_s"], 3)))
    row("load + scoring / simdjson pass", lambda n, b, *_: "%.1fx" % (
        b["load_score_s"] / b["simdjson_pass_s"]))
    row("machine load average (1 min) at the end", lambda n, b, *_: fmt(b["loadavg_1m"], 1))
    row("records/s", lambda n, b, *_: fmt(b["records_per_s"]))
    row("MB/s of JSON Lines", lambda n, b, *_: fmt(b["mb_per_s"]))
    sec("Memory")
    row("peak RSS of the process, MiB (incl. the input text)", lambda n, b, *_: fmt(b["peak_rss_mb"]))
    row("input text held by the host, MiB", lambda n, b, *_: fmt(b["input_mb"]))
    row("peak RSS minus the input, MiB", lambda n, b, *_: fmt(b["peak_rss_mb"] - b["input_mb"]))
    row("RSS before the load (input and the benchmark's own data), MiB", lambda n, b, *_: fmt(b["rss_before_load_mb"]))
    row("**engine's resident memory: peak RSS minus RSS before the load, MiB**",
        lambda n, b, *_: fmt(engine_rss(b)))
    row("engine heap after load, MiB", lambda n, b, *_: fmt(b["engine_heap_mb"]))
    row("bytes per account", lambda n, b, *_: fmt(b["bytes_per_account"], 0))
    row("bytes per invoice", lambda n, b, *_: fmt(b["bytes_per_invoice"], 0))
    for label, key in (("C ABI", None), ("Python", "py")):
        sec("On-save latency, %s, us" % label)
        for q in ("p50", "p90", "p99", "p999", "max"):
            if key:
                row(q, lambda n, b, py, *_, q=q: fmt(py["save"][q + "_us"], 1))
            else:
                row(q, lambda n, b, *_, q=q: fmt(b["save"][q + "_us"], 1))
        if key:
            row("saves measured", lambda n, b, py, *_: fmt(py["save"]["n"]))
            sec("On-save latency, Python, the result's tier, colour and next contact only (fields=), us")
            for q in ("p50", "p90", "p99", "p999", "max"):
                row(q, lambda n, b, py, *_, q=q: fmt(py["save_fields"][q + "_us"], 1) if "save_fields" in py else "-")
            row("saves measured", lambda n, b, py, *_: fmt(py["save_fields"]["n"]) if "save_fields" in py else "-")
        else:
            row("saves measured", lambda n, b, *_: fmt(b["save"]["n"]))
    first_b = next((c[2] for c in cols if c[2]), None)
    row("C ABI p50 / p99 relative to the smallest size", lambda n, b, *_: "%.2fx / %.2fx" % (
        b["save"]["p50_us"] / first_b["save"]["p50_us"], b["save"]["p99_us"] / first_b["save"]["p99_us"]))
    row("involuntary context switches during the saves", lambda n, b, *_: fmt(
        b["involuntary_context_switches_during_saves"]))
    sec("The sales plan page (crmtier_engine_report, issue 11)")
    row("page of every rep: MB / wall ms / CPU ms", lambda n, b, *_: "%s / %s / %s" % (
        fmt(b["report_bytes"] / 1e6, 2), fmt(b["report_ms"]), fmt(b["report_cpu_ms"])))
    row("its peak memory over the engine's, MiB", lambda n, b, *_: fmt(b["report_peak_rss_mb"]))
    row("with the movers of the last 30 days: MB / wall ms / CPU ms", lambda n, b, *_: "%s / %s / %s" % (
        fmt(b["report_movers_bytes"] / 1e6, 2), fmt(b["report_movers_ms"]), fmt(b["report_movers_cpu_ms"])))
    row("its peak memory over the engine's, MiB", lambda n, b, *_: fmt(b["report_movers_peak_rss_mb"]))
    sec("Per kind of save, C ABI: p50 / p99 us; accounts changed (change feed, mean / max)")
    kinds = []
    for c in cols:
        if c[2]:
            kinds = list(c[2]["save_by_kind"])
            break
    for k in kinds:
        row(k, lambda n, b, *_, k=k: "%s / %s; %s / %s" % (
            fmt(b["save_by_kind"][k]["p50_us"]), fmt(b["save_by_kind"][k]["p99_us"]),
            fmt(b["changed_by_kind"][k]["mean"]), fmt(b["changed_by_kind"][k]["max"])))
    sec("pandas + scikit-learn peer")
    row("peer read / score / write, s", lambda n, b, py, peer, *_: "%s / %s / %s" % (
        fmt(peer["read_s"], 2), fmt(peer["score_s"], 2), fmt(peer["write_s"], 2)))
    row("peer end to end (read+score+write), s", lambda n, b, py, peer, *_: fmt(peer["total_s"], 2))
    row("peer wall incl. imports, s", lambda n, b, py, peer, *_: fmt(peer["wall_s"], 2))
    row("peer max RSS, MB", lambda n, b, py, peer, *_: fmt(peer["max_rss_mb"]))
    row("peer CPU time (user+sys, whole process), s", lambda n, b, py, peer, *_: fmt(peer["cpu_s"], 1))
    row("plugin end to end (read file + load + scoring + host reading results), s",
        lambda n, b, *_: fmt(end_to_end(b), 3))
    row("speed ratio, end to end (peer / plugin)", lambda n, b, py, peer, *_: "%.1fx" % (
        peer["total_s"] / end_to_end(b)))
    row("speed ratio, load+score vs peer read+score", lambda n, b, py, peer, *_: "%.1fx" % (
        (peer["read_s"] + peer["score_s"]) / b["load_score_s"]))
    row("speed ratio, CPU time (peer process / plugin load+scoring)", lambda n, b, py, peer, *_: "%.1fx" % (
        peer["cpu_s"] / (b["load_cpu_s"] + b["score_cpu_s"])))
    row("agreement (tier, colour, next contact equal)", lambda n, b, py, peer, gen, agr: "%s / %s" % (
        fmt(agr["agree"]), fmt(b["accounts"])))

    # Goals, at the largest size measured.
    last = cols[-1]
    s, n, b, py, peer, gen, agr = last
    goals = []
    if b:
        goals.append(("on-save p99, C ABI <= 20 us (%s)" % s, b["save"]["p99_us"] <= GOALS["save_p99_c_us"],
                      "%.1f us" % b["save"]["p99_us"]))
    if py:
        goals.append(("on-save p99, Python <= 60 us (%s)" % s, py["save"]["p99_us"] <= GOALS["save_p99_py_us"],
                      "%.1f us" % py["save"]["p99_us"]))
    if b:
        goals.append(("load + scoring <= 5 s (%s)" % s, b["load_score_s"] <= GOALS["load_score_1m_s"],
                      "%.2f s" % b["load_score_s"]))
    if b and "report_bytes" in b:
        goals.append(("sales plan page < 5 MB (%s)" % s, b["report_bytes"] < GOALS["report_bytes"],
                      "%.2f MB" % (b["report_bytes"] / 1e6)))
        goals.append(("sales plan page well under 1 s of the library's time (%s)" % s,
                      b["report_ms"] < GOALS["report_ms"],
                      "%.0f ms (CPU %.0f ms)" % (b["report_ms"], b["report_cpu_ms"])))
    for c in cols:
        if c[2] and c[4]:
            r = c[4]["total_s"] / end_to_end(c[2])
            goals.append((">= 30x faster than the peer end to end (%s)" % c[0], r >= GOALS["ratio"], "%.1fx" % r))
    for c in cols:
        if c[2] and "simdjson_pass_s" in c[2]:
            r = c[2]["load_score_s"] / c[2]["simdjson_pass_s"]
            goals.append(("load + scoring within 3x of the simdjson pass (%s)" % c[0], r <= GOALS["simdjson_ratio"],
                          "%.1fx (%.3f s / %.3f s)" % (r, c[2]["load_score_s"], c[2]["simdjson_pass_s"])))
    if b:
        goals.append(("<= 1 GiB resident (%s; peak RSS minus RSS before the load)" % s,
                      engine_rss(b) <= GOALS["rss_1m_mb"],
                      "%.0f MiB (peak minus input %.0f MiB; engine heap %.0f MiB)" % (
                          engine_rss(b), b["peak_rss_mb"] - b["input_mb"], b["engine_heap_mb"])))
    for c in cols:
        if c[6]:
            goals.append(("peer agreement = accounts (%s)" % c[0],
                          c[6]["agree"] == c[2]["accounts"] and c[6]["only_peer"] == 0 and c[6]["only_plugin"] == 0,
                          "%d / %d" % (c[6]["agree"], c[2]["accounts"])))

    # Text table.
    w0 = max(len(r[0]) for r in rows) + 2
    ws = [max(12, max((len(str(r[1][i])) for r in rows if r[1]), default=0) + 2) for i in range(len(cols))]
    lines = ["crmtier benchmark (issue 5): " + machine(), ""]
    lines.append("".ljust(w0) + "".join(c[0].rjust(ws[i]) for i, c in enumerate(cols)))
    for label, vals in rows:
        if vals is None:
            lines.append("-- " + label)
        else:
            lines.append(label.ljust(w0) + "".join(str(v).rjust(ws[i]) for i, v in enumerate(vals)))
    lines.append("")
    lines.append("Goals:")
    for label, ok, val in goals:
        lines.append("  [%s] %s: %s" % ("met" if ok else "MISSED", label, val))
    for c in cols:
        if c[6] and c[6]["examples"]:
            lines.append("  %s disagreements, first ones: %s" % (c[0], json.dumps(c[6]["examples"])))
    print("\n".join(lines))

    if args.markdown:
        md = ["Machine: " + machine(), "",
              "| | " + " | ".join(c[0] for c in cols) + " |",
              "|---|" + "---:|" * len(cols)]
        for label, vals in rows:
            if vals is None:
                md.append("| **%s** |" % label + " |" * len(cols))
            else:
                md.append("| %s | " % label + " | ".join(str(v) for v in vals) + " |")
        md.append("")
        md.append("| Goal | Result | |")
        md.append("|---|---:|---|")
        for label, ok, val in goals:
            md.append("| %s | %s | %s |" % (label, val, "met" if ok else "**missed**"))
        with open(args.markdown, "w") as f:
            f.write("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
