"""Small random portfolios crowded with the edges of the Semantics, shared by
the peer and host cross-checks in this folder."""

import datetime
import json
import random


def fuzz_portfolio(seed, path, as_of):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    lines = []
    bench_zero = rng.random() < 0.1
    inv = 0
    for i in range(n):
        rec = {"type": "account", "id": "ACC-%d" % i, "owner": "rep-01"}
        if rng.random() < 0.9:
            rec["employees"] = rng.choice([0, 9, 10, 49, 1000, 5000] if rng.random() < 0.2 else [10, 49, 1000])
        t = rng.random()
        rec["territory"] = ("" if t < 0.05 else "EMEA" if t < 0.1 else
                            rng.choice(["EMEA/DE/Bavaria", "EMEA/DE/Berlin", "EMEA/FR/Paris"]))
        if rng.random() < 0.95:
            rec["industry"] = rng.choice(["Retail", "Finance", ""] if rng.random() < 0.1
                                         else ["Retail", "Finance"])
        if rng.random() < 0.8:
            rec["last_contact"] = (as_of - datetime.timedelta(days=rng.randint(-5, 400))).isoformat()
        lines.append(rec)
        for _ in range(rng.randint(0, 6)):
            inv += 1
            age = rng.choice([-3, 0, 1, 364, 365, 366, 729, 730, 731]) if rng.random() < 0.4 \
                else rng.randint(-30, 800)
            amount = rng.choice([100, 100, 250.5, 80, 45, 1000, -50, 0.01, 12.34, 99.99])
            if bench_zero:
                age = rng.randint(366, 800)
            lines.append({"type": "revenue", "id": "INV-%d" % inv, "account_id": "ACC-%d" % i,
                          "date": (as_of - datetime.timedelta(days=age)).isoformat(),
                          "amount": amount, "product": "A/B"})
    # re-saves, deletions, orphans, revival after delete
    for _ in range(rng.randint(0, 8)):
        rec = dict(rng.choice(lines))
        x = rng.random()
        if x < 0.3:
            lines.append({"type": rec["type"], "id": rec["id"], "deleted": True})
        elif x < 0.6 and rec["type"] == "revenue":
            rec["amount"] = rng.choice([7, 100, -20])
            lines.append(rec)
        else:
            lines.append(rec)
    if rng.random() < 0.3:
        lines.append({"type": "revenue", "id": "INV-orphan", "account_id": "ACC-none",
                      "date": as_of.isoformat(), "amount": 5, "product": "A/B"})
    with open(path, "w", encoding="utf-8") as f:
        for rec in lines:
            f.write(json.dumps(rec) + "\n")
