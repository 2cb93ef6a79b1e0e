#!/usr/bin/python3
"""crmtier peer: the contract of docs/semantics.md (default policy) in
pandas + scikit-learn, written independently of the C++ plugin so the two can be
compared account by account (issue 5, item 3).

    /usr/bin/python3 bench/peer/peer.py --as-of 2026-11-30 samples/portfolio.jsonl \
        --out /tmp/peer.csv [--format csv|jsonl] [--summary]

Vectorised throughout: no Python loop runs over accounts or records (the only
loops are over input chunks and over the handful of output columns).
Output: one row per account, sorted by id, columns
    id,tier,revenue_tier,annual_revenue,prior_revenue,lookalike_revenue,peers,
    potential,benchmark,temperature,colour,next_contact,channel,overdue_days,
    declining,decline_pct
Money is printed as the shortest decimal of units/10000 ("1250.0");
lookalike_revenue is empty (CSV) / null (JSONL) when the account has no L.
Timings go to stderr.

Where each rule comes from (docs/semantics.md: #canonical-records,
#revenue-windows, #rounding-and-numbers, #benchmark, #profiles-and-look-alikes,
#potential, #tier, #temperature-and-colour, #next-contact,
#decline-and-feedback, in the order of the tags below):
  [records]   "Records are upserts by id ... a record with "deleted":true removes
              it": last record per (type, id) in file order wins; if it is a
              deletion the record is gone.  Revenue whose account has no (live)
              account record belongs to no result and is not counted anywhere.
  [R], [P]    "R = sum of the account's revenue dated in the last 365 days (after
              as-of - 365 days, not after as-of)": as_of-365 < date <= as_of;
              "P = the 365 days before that": as_of-730 < date <= as_of-365.
              Later-dated records are kept but not counted.
  [money]     sums are exact: each amount becomes round(amount*10000) integer
              units (half away from zero) and sums are int64.
  [benchmark] "95th percentile (nearest rank) of R over the accounts with R > 0":
              ascending R, rank k = ceil(0.95 n) (1-based); 0 if no R > 0.
  [profile]   "size band (employees; band edges 10/50/250/1000), territory (its /
              path cut to the first 2 levels) and industry (exact string)";
              missing or empty attribute -> incomplete profile -> no L.
  [peers]     "the other accounts with the same profile and R > 0" (never the
              account itself); "With at least 3 peers, L = the 75th percentile
              (nearest rank) of the peers' R".
  [potential] "the highest of R, P and L".
  [tier]      p = potential / benchmark (0 when the benchmark is 0): A p >= 0.80,
              B p >= 0.45, C potential > 0, D otherwise. revenue_tier: the same
              rule applied to R alone. Compared in exact integer arithmetic.
  [temp]      "100 x max(0, R) / potential, rounded to the nearest integer (halves
              up); tier D is 0".
  [colour]    >=80 red, >=60 orange, >=40 yellow, >=20 lightblue, <20 blue; D grey.
  [contact]   last contact + A 30 (call_or_visit), B 90 / C 90 (call), D 180
              (email); as-of when there was no contact; overdue_days = days from
              that date to as-of when past, else 0.
  [decline]   P > 0 and (P - R) / P >= 20 %; decline_pct = round-half-up of
              100 (P - R) / P when declining, else 0.
"""

import time

T_START = time.perf_counter()   # imports of pandas/scikit-learn count in wall_s

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
try:  # Debian's python3-sklearn; the profile encoding falls back to pandas without it
    from sklearn.preprocessing import OrdinalEncoder
except ImportError:  # pragma: no cover
    OrdinalEncoder = None

UNITS = 10000                    # [money] 1/10000 of the currency unit
BAND_EDGES = [10, 50, 250, 1000]  # [profile] EU micro/small/medium/large
BAND_NAMES = np.array(["0-9", "10-49", "50-249", "250-999", "1000+"], dtype=object)
TERRITORY_DEPTH = 2
MIN_PEERS = 3
BENCH_PCT = 95
PEER_PCT = 75
TIER_A, TIER_B = 80, 45          # percent of the benchmark
INTERVAL = {"A": 30, "B": 90, "C": 90, "D": 180}
CHANNEL = {"A": "call_or_visit", "B": "call", "C": "call", "D": "email"}
COLUMNS = ["id", "tier", "revenue_tier", "annual_revenue", "prior_revenue",
           "lookalike_revenue", "peers", "potential", "benchmark", "temperature",
           "colour", "next_contact", "channel", "overdue_days", "declining",
           "decline_pct"]
ACCOUNT_COLS = ["id", "employees", "territory", "industry", "last_contact", "deleted"]
REVENUE_COLS = ["id", "account_id", "date", "amount", "deleted"]


def day_numbers(s):
    """'YYYY-MM-DD' strings -> int64 days since 1970-01-01 (NaT -> min int)."""
    d = pd.to_datetime(s, format="%Y-%m-%d", errors="raise")
    return d.values.astype("datetime64[D]").astype(np.int64)


def to_units(amount):
    """[money] float amounts -> exact int64 units of 1/10000, half away from zero."""
    x = amount.to_numpy(dtype=np.float64) * UNITS
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(np.int64)


def read_records(path, chunksize):
    """JSON Lines -> (accounts, revenue) frames, file order kept in 'seq'."""
    accs, revs = [], []
    seq0 = 0
    reader = pd.read_json(path, lines=True, chunksize=chunksize, dtype=False,
                          convert_dates=False, keep_default_dates=False,
                          precise_float=True, encoding="utf-8")
    for chunk in reader:
        chunk["seq"] = np.arange(seq0, seq0 + len(chunk), dtype=np.int64)
        seq0 += len(chunk)
        for col in ("deleted", "employees", "territory", "industry",
                    "last_contact", "account_id", "date", "amount"):
            if col not in chunk.columns:
                chunk[col] = np.nan
        typ = chunk["type"]
        accs.append(chunk.loc[typ == "account", ACCOUNT_COLS + ["seq"]])
        revs.append(chunk.loc[typ == "revenue", REVENUE_COLS + ["seq"]])
    acc = pd.concat(accs, ignore_index=True)
    rev = pd.concat(revs, ignore_index=True)
    return acc, rev


def upsert(df):
    """[records] last record per id wins; a last record with deleted:true removes."""
    df = df.sort_values("seq", kind="stable").drop_duplicates("id", keep="last")
    gone = df["deleted"].eq(True).to_numpy(dtype=bool)
    return df.loc[~gone]


def nearest_rank(n, pct):
    """1-based nearest rank ceil(pct/100 * n) in integer arithmetic."""
    return (pct * n + 99) // 100


def score(acc, rev, as_of_day):
    n = len(acc)
    acc = acc.reset_index(drop=True)
    acc_index = pd.Index(acc["id"])

    # ---- [R], [P], [money]
    rev = rev.loc[rev["date"].notna()]
    rday = day_numbers(rev["date"])
    units = to_units(rev["amount"])
    owner = acc_index.get_indexer(rev["account_id"])
    in_r = (rday > as_of_day - 365) & (rday <= as_of_day)
    in_p = (rday > as_of_day - 730) & (rday <= as_of_day - 365)
    keep = (owner >= 0) & (in_r | in_p)
    sums = (pd.DataFrame({"acc": owner[keep], "r": in_r[keep], "u": units[keep]})
            .groupby(["acc", "r"], sort=False)["u"].sum())
    R = np.zeros(n, dtype=np.int64)
    P = np.zeros(n, dtype=np.int64)
    if len(sums):
        idx = sums.index.get_level_values(0).to_numpy()
        isr = sums.index.get_level_values(1).to_numpy()
        R[idx[isr]] = sums.to_numpy()[isr]
        P[idx[~isr]] = sums.to_numpy()[~isr]

    # ---- [benchmark]
    pos = np.sort(R[R > 0])
    bench = int(pos[nearest_rank(len(pos), BENCH_PCT) - 1]) if len(pos) else 0

    # ---- [profile]: band, territory cut to 2 levels, industry; sklearn encodes
    emp = pd.to_numeric(acc["employees"], errors="coerce").to_numpy(dtype=np.float64)
    band = np.where(np.isnan(emp), None,
                    BAND_NAMES[np.searchsorted(BAND_EDGES, np.nan_to_num(emp), side="right")])
    terr = acc["territory"].astype(object)
    terr2 = terr.str.split("/", n=TERRITORY_DEPTH).str[:TERRITORY_DEPTH].str.join("/")
    ind = acc["industry"]
    prof = pd.DataFrame({"band": band, "terr": terr2, "ind": ind})
    complete = (prof.notna().all(axis=1) & (prof["terr"] != "") & (prof["ind"] != "")).to_numpy()
    group = np.full(n, -1, dtype=np.int64)
    if complete.any():
        cp = prof.loc[complete].astype(str)
        if OrdinalEncoder is not None:
            codes = OrdinalEncoder(dtype=np.int64).fit_transform(cp)
            # one integer per (band, territory, industry)
            _, gid = np.unique(codes, axis=0, return_inverse=True)
        else:
            gid = cp.groupby(["band", "terr", "ind"], sort=True).ngroup().to_numpy()
        group[complete] = gid.reshape(-1)

    # ---- [peers] per profile: ascending R of its payers, rank arithmetic to
    # leave the account itself out
    payer = complete & (R > 0)
    order = np.lexsort((R, group))                  # by group, then R ascending
    order = order[payer[order]]
    sorted_r = R[order]
    sorted_g = group[order]
    ngroups = int(group.max()) + 1 if complete.any() else 0
    gsize = np.bincount(sorted_g, minlength=ngroups)
    gstart = np.concatenate(([0], np.cumsum(gsize)[:-1])) if ngroups else np.zeros(0, np.int64)
    rank = np.full(n, -1, dtype=np.int64)           # 0-based rank within own group
    rank[order] = np.arange(len(order)) - gstart[sorted_g]
    g = np.where(complete, group, 0)
    npayers = np.where(complete, gsize[g] if ngroups else 0, 0)
    peers = npayers - payer.astype(np.int64)
    has_l = complete & (peers >= MIN_PEERS)
    k = nearest_rank(peers, PEER_PCT) - 1           # 0-based rank among peers
    # among the group's payers without self: ranks >= own rank shift up by one
    k_in_group = np.where(payer & (k >= rank), k + 1, k)
    L = np.zeros(n, dtype=np.int64)
    if has_l.any():
        L[has_l] = sorted_r[gstart[g[has_l]] + k_in_group[has_l]]

    # ---- [potential], [tier]
    potential = np.maximum(R, P)
    potential = np.where(has_l, np.maximum(potential, L), potential)

    def tiers(v):
        if bench > 0:
            a = v * 100 >= TIER_A * bench
            b = v * 100 >= TIER_B * bench
        else:
            a = b = np.zeros(n, dtype=bool)
        return np.select([a, b, v > 0], ["A", "B", "C"], "D")

    tier = tiers(potential)
    revenue_tier = tiers(R)
    is_d = tier == "D"

    # ---- [temp], [colour]: round half up of 100 * max(0, R) / potential
    safe_pot = np.where(is_d, 1, potential)
    temp = np.where(is_d, 0, (200 * np.maximum(R, 0) + safe_pot) // (2 * safe_pot))
    colour = np.select([is_d, temp >= 80, temp >= 60, temp >= 40, temp >= 20],
                       ["grey", "red", "orange", "yellow", "lightblue"], "blue")

    # ---- [contact]
    tier_s = pd.Series(tier)
    interval = tier_s.map(INTERVAL).to_numpy(dtype=np.int64)
    lc = acc["last_contact"]
    has_lc = lc.notna().to_numpy()
    lc_day = np.full(n, as_of_day, dtype=np.int64)
    if has_lc.any():
        lc_day[has_lc] = day_numbers(lc[has_lc])
    next_day = np.where(has_lc, lc_day + interval, as_of_day)
    overdue = np.maximum(0, as_of_day - next_day)

    # ---- [decline]
    safe_p = np.where(P > 0, P, 1)
    declining = (P > 0) & (5 * (P - R) >= P)
    decline_pct = np.where(declining, (200 * (P - R) + safe_p) // (2 * safe_p), 0)

    return pd.DataFrame({
        "id": acc["id"].to_numpy(),
        "tier": tier,
        "revenue_tier": revenue_tier,
        "annual_revenue": R,
        "prior_revenue": P,
        "lookalike_revenue": np.where(has_l, L, -1),
        "peers": peers,
        "potential": potential,
        "benchmark": np.full(n, bench, dtype=np.int64),
        "temperature": temp,
        "colour": colour,
        "next_contact": next_day,
        "channel": tier_s.map(CHANNEL).to_numpy(),
        "overdue_days": overdue,
        "declining": declining,
        "decline_pct": decline_pct,
    }).sort_values("id", kind="stable").reset_index(drop=True)


def money_text(u):
    """int64 units -> shortest decimal text of u/10000 (exact for |u| < 2**53)."""
    return (u / UNITS).astype(str)


def write(res, path, fmt):
    out = res.copy()
    for col in ("annual_revenue", "prior_revenue", "potential", "benchmark"):
        out[col] = money_text(out[col].to_numpy())
    has_l = out["lookalike_revenue"].to_numpy() >= 0
    la = pd.Series(money_text(out["lookalike_revenue"].to_numpy()), dtype=object)
    out["lookalike_revenue"] = la.where(has_l, None)
    out["next_contact"] = (out["next_contact"].to_numpy().astype("datetime64[D]")
                           .astype(str))
    if fmt == "csv":
        out["declining"] = np.where(out["declining"], "true", "false")
        out.to_csv(path, index=False, columns=COLUMNS, lineterminator="\n")
    else:  # JSON Lines, numbers printed exactly as in the CSV
        out["lookalike_revenue"] = out["lookalike_revenue"].fillna("null")
        out["declining"] = np.where(out["declining"], "true", "false")
        text = pd.Series("{", index=out.index)
        for i, col in enumerate(COLUMNS):
            v = out[col]
            if col in ("id", "tier", "revenue_tier", "colour", "next_contact", "channel"):
                v = v.map(json.dumps)       # JSON string escaping of the text fields
            text = text + ("" if i == 0 else ",") + '"' + col + '":' + v.astype(str)
        text = text + "}\n"
        data = "".join(text.tolist())
        if hasattr(path, "write"):
            path.write(data)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description="crmtier peer (pandas + scikit-learn)")
    ap.add_argument("input", help="canonical JSON Lines")
    ap.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    ap.add_argument("--out", default="-", help="output file ('-' = stdout)")
    ap.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    ap.add_argument("--chunksize", type=int, default=500_000)
    ap.add_argument("--summary", action="store_true",
                    help="print tier/colour counts to stderr")
    args = ap.parse_args(argv)
    as_of_day = int(np.datetime64(args.as_of, "D").astype(np.int64))

    t0 = time.perf_counter()
    acc, rev = read_records(args.input, args.chunksize)
    t1 = time.perf_counter()
    n_lines = len(acc) + len(rev)
    acc, rev = upsert(acc), upsert(rev)
    res = score(acc, rev, as_of_day)
    t2 = time.perf_counter()
    write(res, sys.stdout if args.out == "-" else args.out, args.format)
    t3 = time.perf_counter()
    timing = {"peer": "pandas %s%s" % (pd.__version__, ", scikit-learn"
                                        if OrdinalEncoder is not None else ""),
              "records": n_lines, "accounts": len(res),
              "read_s": round(t1 - t0, 3), "score_s": round(t2 - t1, 3),
              "write_s": round(t3 - t2, 3), "total_s": round(t3 - t0, 3),
              "import_s": round(t0 - T_START, 3), "wall_s": round(t3 - T_START, 3),
              "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    print(json.dumps(timing), file=sys.stderr)
    if args.summary:
        summ = {"tiers": res["tier"].value_counts().sort_index().to_dict(),
                "colours": res["colour"].value_counts().sort_index().to_dict(),
                "declining": int(res["declining"].sum()),
                "overdue": int((res["overdue_days"] > 0).sum()),
                "benchmark": float(res["benchmark"].iloc[0] / UNITS) if len(res) else 0.0}
        print(json.dumps(summ), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
