"""The pages the report tests look at, written by the reference host
(`crmtier report`, as a user would) and the Python binding (for the options
the host does not expose), and what they should show, worked out apart from
the page: by hand for the hand-made portfolio, from `crmtier score`'s
results (and the owners in the input) for the bundled sample."""

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HOST = os.environ.get("CRMTIER_HOST", str(ROOT / "build" / "crmtier"))
LIBRARY = os.environ.get("CRMTIER_LIBRARY", str(ROOT / "build" / "libcrmtier.so"))
SAMPLE = Path(os.environ.get("CRMTIER_SAMPLE", ROOT / "samples" / "portfolio.jsonl"))
HANDMADE = HERE / "handmade.jsonl"
WORK = Path(os.environ.get("CRMTIER_REPORT_WORK", ROOT / "build" / "tests" / "report" / "work"))
AS_OF = "2026-11-30"

# The documented palette (docs/semantics.md#temperature-and-colour).
PALETTE = {"red": "#d7191c", "orange": "#fdae61", "yellow": "#ffffbf",
           "lightblue": "#abd9e9", "blue": "#2c7bb6", "grey": "#bdbdbd"}
HEX_NAME = {v: k for k, v in PALETTE.items()}

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

# The hand-made portfolio's map, worked out by hand (tests/report/test_report.cpp
# shows the working): (owner, tier) -> {colour: accounts}.
HANDMADE_CELLS = {
    ("alice", "A"): {"red": 1, "blue": 1},
    ("alice", "B"): {"red": 1},
    ("alice", "D"): {"grey": 1},
    ("bob", "A"): {"red": 1},
    ("bob", "B"): {"yellow": 1},
    ("bob", "C"): {"red": 1, "yellow": 1},
    ("<b>carol</b>", "A"): {"blue": 1},
    ("<b>carol</b>", "B"): {"red": 1},
    ("<b>carol</b>", "C"): {"red": 1, "blue": 1},
    ("", "C"): {"red": 1},
}


def run(args, **kw):
    done = subprocess.run(args, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited with {done.returncode}:\n{done.stderr}")
    return done


def host_page(name, *args):
    """Writes a page with `crmtier report ARGS -o WORK/name` and returns its path."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / name
    run([HOST, "report", "--library", LIBRARY, "-q", "-o", str(out), *map(str, args)])
    return out


def binding_page(name, portfolio, **options):
    """Writes a page through crmtier.Engine.report(**options); portfolio None:
    an engine without records."""
    sys.path.insert(0, str(ROOT / "abi" / "python"))
    import crmtier
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / name
    with crmtier.Engine({"as_of": AS_OF}, library=LIBRARY) as engine:
        if portfolio is not None:
            engine.load("canonical", Path(portfolio).read_bytes())
        engine.report(options, path=out)
    return out


def owners(portfolio):
    """account id -> owner ("" for none), as the records leave it."""
    out = {}
    with open(portfolio, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("type") != "account":
                continue
            if r.get("deleted"):
                out.pop(r["id"], None)
            else:
                out[r["id"]] = r.get("owner") or ""
    return out


def scored(portfolio, as_of=AS_OF):
    """Every result of `crmtier score`, by id."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / (Path(portfolio).stem + "-results.jsonl")
    run([HOST, "score", "--library", LIBRARY, "-q", "--as-of", as_of, "-o", str(out), str(portfolio)])
    with open(out, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def expected_cells(portfolio, only=None):
    """(owner, tier) -> {colour: accounts}, from `crmtier score` and the input's owners."""
    who = owners(portfolio)
    cells = collections.defaultdict(collections.Counter)
    for rid, r in scored(portfolio).items():
        if only is None or who[rid] == only:
            cells[(who[rid], r["tier"])][r["colour"]] += 1
    return {k: dict(v) for k, v in cells.items()}
