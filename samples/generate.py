#!/usr/bin/python3
"""Deterministic generator of crmtier portfolios in canonical JSON Lines.

Writes account records first, then revenue records (see docs/semantics.md,
#canonical-records). Standard library only. The output depends on the options
alone: every random draw comes from random.Random seeded with integers, nothing
depends on dict order, set order or string hashing, so the same command writes
the same bytes on every run.

    samples/generate.py --out samples/portfolio.jsonl            # the sample
    samples/generate.py --accounts 1000000 --invoices-per-year 10 --out big.jsonl

What the portfolio looks like (so that tiers, colours and look-alikes mean
something):
  * 8 industries, 4 regions / 12 countries / 1-3 states each, weighted so that
    some (size band, REGION/COUNTRY, industry) profiles are crowded and some sparse;
  * employees spread across the EU bands (micro ... 1000+), ~7 % missing, a few
    accounts with a missing or empty industry (incomplete profile);
  * yearly revenue log-normal in size (employees^0.6), industry and country,
    with a wide spread (sigma 1.1): a few accounts bring most of it;
  * ~26 months of invoices before as-of: steady, growing, declining, lapsed
    (bought only in the prior year), long lapsed (only > 2 years ago), new
    clients, and prospects that never bought;
  * credit notes (negative amounts), a few invoices dated after as-of,
    re-saved invoices (same id again at the end of the file, sometimes with a
    corrected amount: last record wins) and a few re-saved accounts;
  * owners rep-01..rep-NN, each rep focused on two industries and a region;
  * last_contact mostly recent, some long ago (overdue), ~10 % missing;
  * products "Category/Sub" from 5 categories, leaning on the industry.

Streaming: two passes over the accounts, each account's draws come from its
own seeded generator, so memory does not grow with the portfolio (only the few
re-saved records are held until the end).
"""

import argparse
import datetime
import json
import math
import random
import sys

INDUSTRIES = [  # name, revenue multiplier, weight, preferred product categories
    ("Manufacturing", 1.6, 18, (0, 3, 4)),
    ("Retail", 0.8, 16, (4, 0, 3)),
    ("Healthcare", 1.3, 12, (3, 2, 1)),
    ("Finance", 1.8, 10, (1, 2, 0)),
    ("Software", 1.2, 12, (1, 3, 2)),
    ("Construction", 1.0, 12, (4, 0, 2)),
    ("Logistics", 1.1, 11, (3, 4, 1)),
    ("Hospitality", 0.6, 9, (0, 4, 2)),
]

# region, country, revenue multiplier, weight, states, legal-form suffixes
COUNTRIES = [
    ("EMEA", "DE", 1.2, 16, ("Bavaria", "Berlin", "Hesse"), ("GmbH", "AG")),
    ("EMEA", "FR", 1.0, 9, ("Ile-de-France", "Occitanie"), ("SA", "SARL")),
    ("EMEA", "UK", 1.1, 10, ("England", "Scotland"), ("Ltd", "plc")),
    ("EMEA", "IT", 0.9, 6, ("Lombardy", "Lazio"), ("SpA", "Srl")),
    ("EMEA", "ES", 0.8, 5, ("Madrid", "Catalonia"), ("SA", "SL")),
    ("AMER", "US", 1.4, 18, ("California", "Texas", "New York"), ("Inc", "LLC")),
    ("AMER", "CA", 1.1, 6, ("Ontario", "Quebec"), ("Inc", "Ltd")),
    ("APAC", "JP", 1.2, 7, ("Tokyo", "Osaka"), ("KK",)),
    ("APAC", "AU", 1.1, 5, ("NSW", "Victoria"), ("Pty Ltd",)),
    ("APAC", "IN", 0.5, 6, ("Maharashtra", "Karnataka"), ("Pvt Ltd",)),
    ("LATAM", "BR", 0.7, 7, ("Sao Paulo", "Rio de Janeiro"), ("Ltda", "SA")),
    ("LATAM", "MX", 0.7, 5, ("Mexico City", "Nuevo Leon"), ("SA de CV",)),
]
REGIONS = ["EMEA", "AMER", "APAC", "LATAM"]

# EU size bands: (low, high) employees, weight
SIZE_BANDS = [(1, 9, 24), (10, 49, 34), (50, 249, 25), (250, 999, 11), (1000, 40000, 6)]

PRODUCTS = [
    ("Furniture", ("Chairs", "Desks", "Storage")),
    ("Software", ("Licenses", "Subscriptions", "Cloud")),
    ("Services", ("Consulting", "Training", "Support")),
    ("Hardware", ("Laptops", "Servers", "Printers")),
    ("Supplies", ("Paper", "Toner", "Packaging")),
]

# lifecycle kinds, weight
KINDS = [
    ("prospect", 14),
    ("steady", 34),
    ("growing", 15),
    ("declining", 16),
    ("lapsed", 8),
    ("long_lapsed", 4),
    ("new", 9),
]

NAME_A = ("Nord", "Sud", "Ost", "West", "Alpen", "Blue", "Red", "Green", "Silver",
          "Golden", "Iron", "Stone", "River", "Lake", "Sun", "Star", "Oak", "Pine",
          "Cedar", "Maple", "Falcon", "Eagle", "Wolf", "Bear", "Fox", "Atlas",
          "Nova", "Vertex", "Apex", "Summit", "Harbor", "Bridge", "Delta", "Orion")
NAME_B = ("Werk", "Tech", "Works", "Systems", "Solutions", "Logistik", "Trading",
          "Holdings", "Partners", "Industries", "Labs", "Group", "Services",
          "Networks", "Foods", "Medical", "Capital", "Build", "Motion", "Retail")

SPAN_DAYS = 790          # invoices reach back ~26 months before as-of
RESAVE_INVOICE = 0.005   # share of invoices saved a second time
RESAVE_ACCOUNT = 0.005   # share of accounts saved a second time
CREDIT_NOTE = 0.03       # share of invoices followed by a credit note
FUTURE = 0.02            # share of buying accounts with an invoice after as-of


def cum(weights):
    out, s = [], 0
    for w in weights:
        s += w
        out.append(s)
    return out


IND_CUM = cum([w for _, _, w, _ in INDUSTRIES])
CTRY_CUM = cum([c[3] for c in COUNTRIES])
SIZE_CUM = cum([b[2] for b in SIZE_BANDS])
KIND_CUM = cum([w for _, w in KINDS])


def pick(rng, cumw):
    x = rng.random() * cumw[-1]
    for i, c in enumerate(cumw):
        if x < c:
            return i
    return len(cumw) - 1


def money(cents):
    """Integer cents -> JSON number with exactly 2 decimals."""
    sign = "-" if cents < 0 else ""
    c = -cents if cents < 0 else cents
    return "%s%d.%02d" % (sign, c // 100, c % 100)


class Account:
    __slots__ = ("idx", "id", "name", "owner", "employees", "territory",
                 "industry", "last_contact", "kind", "base", "ratio",
                 "first_day", "last_day", "cats", "rng")


class Generator:
    def __init__(self, n_accounts, n_reps, seed, as_of, ipy):
        self.n = n_accounts
        self.n_reps = n_reps
        self.seed = seed
        self.as_of = as_of.toordinal()
        self.ipy = ipy
        self.id_width = max(5, len(str(n_accounts)))
        self.date_cache = {}
        # rep focus: two industries and a region each (deterministic)
        r = random.Random(seed * 7919 + 17)
        self.rep_focus = []
        for k in range(n_reps):
            i1 = k % len(INDUSTRIES)
            i2 = (k * 3 + 1 + r.randrange(len(INDUSTRIES) - 1)) % len(INDUSTRIES)
            if i2 == i1:
                i2 = (i1 + 1) % len(INDUSTRIES)
            self.rep_focus.append((i1, i2, REGIONS[(k // 2) % len(REGIONS)]))
        self.reps_by = {}
        for k, (i1, i2, reg) in enumerate(self.rep_focus):
            for ind in (i1, i2):
                self.reps_by.setdefault((ind, reg), []).append(k)
                self.reps_by.setdefault((ind, None), []).append(k)

    def day(self, ordinal):
        s = self.date_cache.get(ordinal)
        if s is None:
            s = datetime.date.fromordinal(ordinal).isoformat()
            self.date_cache[ordinal] = s
        return s

    def account(self, i):
        """All of account i's attributes; its generator is left positioned
        right after them, ready for the invoice draws."""
        rng = random.Random(self.seed * 1000003 + i)
        a = Account()
        a.idx = i
        a.rng = rng
        a.id = "ACC-%0*d" % (self.id_width, i + 1)
        ind = pick(rng, IND_CUM)
        ctry = COUNTRIES[pick(rng, CTRY_CUM)]
        band = SIZE_BANDS[pick(rng, SIZE_CUM)]
        emp = int(math.exp(math.log(band[0]) + rng.random() *
                           (math.log(band[1] + 1) - math.log(band[0]))))
        emp = min(max(emp, band[0]), band[1])
        state = ctry[4][int(rng.random() * len(ctry[4]))]
        a.territory = "%s/%s/%s" % (ctry[0], ctry[1], state)
        suffix = ctry[5][int(rng.random() * len(ctry[5]))]
        a.name = "%s %s %s" % (NAME_A[int(rng.random() * len(NAME_A))],
                               NAME_B[int(rng.random() * len(NAME_B))], suffix)
        x = rng.random()
        a.employees = None if x < 0.07 else emp
        x = rng.random()
        a.industry = (None if x < 0.010 else "" if x < 0.015
                      else INDUSTRIES[ind][0])
        # owner: mostly a rep focused on this industry (and region)
        x = rng.random()
        if x < 0.55:
            cands = self.reps_by.get((ind, ctry[0])) or self.reps_by.get((ind, None))
        elif x < 0.80:
            cands = self.reps_by.get((ind, None))
        else:
            cands = None
        if cands:
            k = cands[int(rng.random() * len(cands))]
        else:
            k = int(rng.random() * self.n_reps)
        a.owner = "rep-%02d" % (k + 1)
        # last contact: mostly recent, a tail long ago, some never
        x = rng.random()
        if x < 0.10:
            a.last_contact = None
        elif x < 0.75:
            a.last_contact = self.as_of - int(rng.random() * 75)
        elif x < 0.93:
            a.last_contact = self.as_of - 75 - int(rng.random() * 150)
        else:
            a.last_contact = self.as_of - 225 - int(rng.random() * 500)
        # economics: yearly revenue when active
        sigma = 1.1
        a.base = (1500.0 * (emp ** 0.6) * INDUSTRIES[ind][1] * ctry[2] *
                  math.exp(rng.gauss(0.0, sigma) - sigma * sigma / 2))
        kind = KINDS[pick(rng, KIND_CUM)][0]
        a.kind = kind
        cats = INDUSTRIES[ind][3]
        a.cats = cats
        start = self.as_of - SPAN_DAYS + 1
        if kind == "steady":
            a.ratio = 0.9 + 0.22 * rng.random()
            a.first_day, a.last_day = start, self.as_of
        elif kind == "growing":
            a.ratio = 1.25 + 1.0 * rng.random()
            a.first_day, a.last_day = start + int(rng.random() * 200), self.as_of
        elif kind == "declining":
            a.ratio = 0.25 + 0.55 * rng.random()
            a.first_day, a.last_day = start, self.as_of - int(rng.random() * 60)
        elif kind == "lapsed":       # bought in the prior year only
            a.ratio = 0.7 + 0.5 * rng.random()
            a.first_day = start + int(rng.random() * 150)
            a.last_day = self.as_of - 366 - int(rng.random() * 200)
        elif kind == "long_lapsed":  # nothing in the last two years
            a.ratio = 1.0
            a.first_day, a.last_day = start, self.as_of - 731 - int(rng.random() * 40)
        elif kind == "new":
            a.ratio = 1.0 + 0.5 * rng.random()
            a.first_day, a.last_day = self.as_of - 330 + int(rng.random() * 300), self.as_of
        else:                        # prospect: never bought
            a.ratio = 1.0
            a.first_day, a.last_day = 0, -1
        return a

    def account_line(self, a, last_contact=None):
        parts = ['{"type":"account","id":"%s","name":"%s","owner":"%s"' %
                 (a.id, a.name, a.owner)]
        if a.employees is not None:
            parts.append(',"employees":%d' % a.employees)
        parts.append(',"territory":"%s"' % a.territory)
        if a.industry is not None:
            parts.append(',"industry":"%s"' % a.industry)
        lc = a.last_contact if last_contact is None else last_contact
        if lc is not None:
            parts.append(',"last_contact":"%s"' % self.day(lc))
        parts.append("}\n")
        return "".join(parts)

    def product(self, rng, cats):
        x = rng.random()
        c = cats[0] if x < 0.6 else cats[1] if x < 0.85 else cats[2]
        cat, subs = PRODUCTS[c]
        return "%s/%s" % (cat, subs[int(rng.random() * len(subs))])

    def write(self, out):
        w = out.write
        acc_resaves = []
        for i in range(self.n):
            a = self.account(i)
            w(self.account_line(a))
            if a.rng.random() < RESAVE_ACCOUNT:
                # saved again later: a fresh contact (or a first one)
                acc_resaves.append(self.account_line(
                    a, self.as_of - int(a.rng.random() * 10)))
        for line in acc_resaves:
            w(line)
        del acc_resaves

        inv_resaves = []
        inv_no = 0
        cn_no = 0
        ipy = self.ipy
        as_of = self.as_of
        for i in range(self.n):
            a = self.account(i)
            if a.last_day < a.first_day:
                continue
            rng = a.rng
            active = a.last_day - a.first_day + 1
            expected = active * ipy / 365.0 * (0.6 + 0.8 * rng.random())
            count = max(1, int(expected + rng.random()))
            per_invoice = a.base / ipy
            mid = (as_of - 365)            # ratio is year over year, centred here
            log_ratio = math.log(a.ratio)
            # B2B clients buy on a rhythm: one invoice per slot, jittered
            slot = active / count
            days = [a.first_day + int((j + rng.random()) * slot) for j in range(count)]
            if rng.random() < FUTURE and a.last_day >= as_of - 60:
                days.append(as_of + 1 + int(rng.random() * 45))
            acc = a.id
            for d in days:
                inv_no += 1
                amount = per_invoice * math.exp(log_ratio * (d - mid) / 365.0
                                                + rng.gauss(0.0, 0.35))
                cents = max(1, int(round(amount * 100)))
                prod = self.product(rng, a.cats)
                line = ('{"type":"revenue","id":"INV-%08d","account_id":"%s",'
                        '"date":"%s","amount":%s,"product":"%s"}\n'
                        % (inv_no, acc, self.day(d), money(cents), prod))
                w(line)
                x = rng.random()
                if x < RESAVE_INVOICE:
                    if rng.random() < 0.3:   # corrected amount on re-save
                        cents2 = max(1, int(round(cents * (0.5 + rng.random()))))
                        line = ('{"type":"revenue","id":"INV-%08d","account_id":"%s",'
                                '"date":"%s","amount":%s,"product":"%s"}\n'
                                % (inv_no, acc, self.day(d), money(cents2), prod))
                    inv_resaves.append(line)
                elif x < RESAVE_INVOICE + CREDIT_NOTE:
                    cn_no += 1
                    cd = d + 3 + int(rng.random() * 40)
                    cc = -max(1, int(round(cents * (0.05 + 0.95 * rng.random()))))
                    w('{"type":"revenue","id":"CN-%08d","account_id":"%s",'
                      '"date":"%s","amount":%s,"product":"%s"}\n'
                      % (cn_no, acc, self.day(cd), money(cc), prod))
        for line in inv_resaves:
            w(line)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--as-of", default="2026-11-30")
    ap.add_argument("--invoices-per-year", type=float, default=6.0)
    ap.add_argument("--out", default="-", help="output file ('-' = stdout)")
    ap.add_argument("--meta", help="also write this JSON file describing the run")
    args = ap.parse_args(argv)
    if args.accounts < 1 or args.reps < 1 or args.reps > 99 or args.invoices_per_year <= 0:
        ap.error("--accounts >= 1, 1 <= --reps <= 99, --invoices-per-year > 0")
    as_of = datetime.date.fromisoformat(args.as_of)
    g = Generator(args.accounts, args.reps, args.seed, as_of, args.invoices_per_year)
    if args.out == "-":
        g.write(sys.stdout)
    else:
        with open(args.out, "w", encoding="ascii", newline="\n",
                  buffering=1 << 20) as f:
            g.write(f)
    if args.meta:
        cmd = ("samples/generate.py --accounts %d --reps %d --seed %d --as-of %s "
               "--invoices-per-year %s --out %s"
               % (args.accounts, args.reps, args.seed, as_of.isoformat(),
                  ("%g" % args.invoices_per_year), args.out))
        meta = {"as_of": as_of.isoformat(), "seed": args.seed,
                "accounts": args.accounts, "generator": cmd}
        with open(args.meta, "w", encoding="ascii", newline="\n") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
