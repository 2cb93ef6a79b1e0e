#!/usr/bin/python3
"""A slow, literal transcription of docs/semantics.md (default policy) in
plain Python: loops, dicts, exact Decimal money and Fraction ratios. It exists
only to cross-check peer.py (and the plugin) on small portfolios; it shares no
code with either. Same output columns and formats as peer.py (CSV).

    /usr/bin/python3 bench/peer/naive.py --as-of 2026-11-30 samples/portfolio.jsonl --out /tmp/naive.csv
"""

import argparse
import csv
import datetime
import json
import math
import sys
from decimal import Decimal
from fractions import Fraction

INTERVAL = {"A": 30, "B": 90, "C": 90, "D": 180}
CHANNEL = {"A": "call_or_visit", "B": "call", "C": "call", "D": "email"}


def nearest_rank(sorted_values, pct):
    """Nearest-rank percentile: the ceil(pct/100 * n)-th smallest (1-based)."""
    k = math.ceil(Fraction(pct, 100) * len(sorted_values))
    return sorted_values[max(k, 1) - 1]


def band(emp):
    for edge, name in ((10, "0-9"), (50, "10-49"), (250, "50-249"), (1000, "250-999")):
        if emp < edge:
            return name
    return "1000+"


def profile(acc):
    emp, terr, ind = acc.get("employees"), acc.get("territory"), acc.get("industry")
    if emp is None or not terr or not ind:
        return None
    return (band(emp), "/".join(terr.split("/")[:2]), ind)


def half_up(x):
    return math.floor(x + Fraction(1, 2))


def tier_of(value, bench):
    p = Fraction(value) / Fraction(bench) if bench > 0 else Fraction(0)
    if p >= Fraction(80, 100):
        return "A"
    if p >= Fraction(45, 100):
        return "B"
    return "C" if value > 0 else "D"


def money(d):
    """Decimal -> the text peer.py prints (shortest repr of the float)."""
    return repr(float(d))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--out", default="-")
    args = ap.parse_args(argv)
    as_of = datetime.date.fromisoformat(args.as_of)

    accounts, revenue = {}, {}
    with open(args.input, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line, parse_float=Decimal)
            table = accounts if rec["type"] == "account" else revenue
            if rec.get("deleted") is True:
                table.pop(rec["id"], None)
            else:
                table.pop(rec["id"], None)  # re-insert: last record wins
                table[rec["id"]] = rec

    R = {a: Decimal(0) for a in accounts}
    P = {a: Decimal(0) for a in accounts}
    for rec in revenue.values():
        a = rec["account_id"]
        if a not in accounts:
            continue
        age = (as_of - datetime.date.fromisoformat(rec["date"])).days
        if 0 <= age < 365:
            R[a] += Decimal(rec["amount"])
        elif 365 <= age < 730:
            P[a] += Decimal(rec["amount"])

    payers = sorted(v for v in R.values() if v > 0)
    bench = nearest_rank(payers, 95) if payers else Decimal(0)
    prof = {a: profile(rec) for a, rec in accounts.items()}

    rows = []
    for a in sorted(accounts):
        pr = prof[a]
        peers = [] if pr is None else sorted(
            R[b] for b in accounts if b != a and prof[b] == pr and R[b] > 0)
        L = nearest_rank(peers, 75) if len(peers) >= 3 else None
        potential = max([R[a], P[a]] + ([L] if L is not None else []))
        tier = tier_of(potential, bench)
        rtier = tier_of(R[a], bench)
        temp = 0 if tier == "D" else half_up(Fraction(100) * Fraction(max(Decimal(0), R[a])) / Fraction(potential))
        colour = ("grey" if tier == "D" else "red" if temp >= 80 else "orange" if temp >= 60
                  else "yellow" if temp >= 40 else "lightblue" if temp >= 20 else "blue")
        lc = accounts[a].get("last_contact")
        nxt = (datetime.date.fromisoformat(lc) + datetime.timedelta(days=INTERVAL[tier])
               if lc else as_of)
        overdue = max(0, (as_of - nxt).days)
        declining = P[a] > 0 and Fraction(P[a] - R[a]) / Fraction(P[a]) >= Fraction(1, 5)
        dpct = half_up(Fraction(100) * Fraction(P[a] - R[a]) / Fraction(P[a])) if declining else 0
        rows.append([a, tier, rtier, money(R[a]), money(P[a]),
                     "" if L is None else money(L), len(peers) if pr else 0,
                     money(potential), money(bench), temp, colour, nxt.isoformat(),
                     CHANNEL[tier], overdue, "true" if declining else "false", dpct])

    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "tier", "revenue_tier", "annual_revenue", "prior_revenue",
                "lookalike_revenue", "peers", "potential", "benchmark", "temperature",
                "colour", "next_contact", "channel", "overdue_days", "declining",
                "decline_pct"])
    w.writerows(rows)
    if out is not sys.stdout:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
