#!/usr/bin/env python3
"""Bulk rescoring of a CRM's CSV export, printing the A accounts that are blue
(high potential, running cold: rep and manager must rethink the approach).

usage: rescore_csv.py ACCOUNTS.csv REVENUE.csv [AS_OF] [LIBRARY]

accounts.csv: id,name,owner,employees,country,state,industry,last_contact
revenue.csv:  id,account_id,date,amount
"""
import csv
import sys

import crmtier


def main(accounts_csv, revenue_csv, as_of="today", library=None):
    with crmtier.Engine({"as_of": as_of}, library=library) as engine:
        for path in (accounts_csv, revenue_csv):
            with open(path, encoding="utf-8") as f:
                engine.load("csv", f.read())   # all or nothing; errors name the line
        out = csv.writer(sys.stdout)
        out.writerow(["id", "temperature", "annual_revenue", "potential",
                      "next_contact", "overdue_days"])
        for r in engine.results("canonical"):
            if r["tier"] == "A" and r["colour"] == "blue":
                out.writerow([r["id"], r["temperature"], r["annual_revenue"],
                              r["potential"], r["next_contact"], r["overdue_days"]])


if __name__ == "__main__":
    main(*sys.argv[1:])
