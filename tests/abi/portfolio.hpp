// A small portfolio scored by hand, as of 2026-11-30.
//
// Windows (365 days): annual R = revenue dated in (2025-11-30, 2026-11-30],
// prior P = (2024-11-30, 2025-11-30]; later-dated records are kept but not
// counted. No account has an employee count, so every profile is incomplete
// and there are no look-alikes: potential = max(R, P).
//
// Payers (R > 0): ACC-1 100000, ACC-2 50000, ACC-3 10000, ACC-4 80000,
// ACC-5 45000, ACC-7 5000: n = 6, nearest rank k = ceil(0.95 * 6) = 6, so the
// benchmark is the largest, 100000.
//
//  id     R       P      potential  p     tier  temp            colour     last contact + cadence      overdue
//  ACC-1  100000  0      100000     1.00  A     100             red        2026-10-01 + 30 = 2026-10-31  30
//  ACC-2   50000  0       50000     0.50  B     100             red        2026-09-01 + 90 = 2026-11-30   0
//  ACC-3   10000  40000   40000     0.40  C     25              lightblue  2026-11-20 + 90 = 2027-02-18   0
//  ACC-4   80000  0       80000     0.80  A     100             red        none -> as-of  2026-11-30      0
//  ACC-5   45000  0       45000     0.45  B     100             red        2026-08-15 + 90 = 2026-11-13  17
//  ACC-6       0  0           0     0     D     0               grey       2026-01-10 +180 = 2026-07-09 144
//  ACC-7    5000  90000   90000     0.90  A     5.56 -> 6       blue       2026-11-01 + 30 = 2026-12-01   0
//
// ACC-3 is declining: (40000 - 10000) / 40000 = 75 %. ACC-7 too: 85000/90000
// = 94.4 -> 94 %, and it is a blue A account: escalated. ACC-4 sits exactly on
// the A floor (0.80), ACC-5 exactly on the B floor (0.45). ACC-3's prior
// invoice is dated exactly as-of - 365 (prior, not annual) and its annual one
// the day after. ACC-4's invoice is dated on the as-of date itself (counted).
// ACC-5 has a credit note (60000 - 15000). ACC-6 has one invoice after the
// as-of date and one before the prior window: neither counts, so it is D.
#pragma once

namespace abitest {

constexpr const char* kAsOf = "2026-11-30";

constexpr const char* kPortfolio =
    R"({"type":"account","id":"ACC-1","name":"Alpha AG","owner":"rep-1","territory":"EMEA/DE/Bavaria","industry":"Manufacturing","last_contact":"2026-10-01"})" "\n"
    R"({"type":"account","id":"ACC-2","name":"Beta SA","owner":"rep-1","territory":"EMEA/FR/Occitanie","industry":"Retail","last_contact":"2026-09-01"})" "\n"
    R"({"type":"account","id":"ACC-3","name":"Gamma Ltd","owner":"rep-2","territory":"EMEA/UK/London","industry":"Retail","last_contact":"2026-11-20"})" "\n"
    R"({"type":"account","id":"ACC-4","name":"Delta Inc","owner":"rep-2","territory":"AMER/US/Texas","industry":"Manufacturing"})" "\n"
    R"({"type":"account","id":"ACC-5","name":"Epsilon BV","owner":"rep-3","territory":"EMEA/NL/Utrecht","industry":"Healthcare","last_contact":"2026-08-15"})" "\n"
    R"({"type":"account","id":"ACC-6","name":"Zeta Oy","owner":"rep-3","territory":"EMEA/FI/Uusimaa","industry":"Healthcare","last_contact":"2026-01-10"})" "\n"
    R"({"type":"account","id":"ACC-7","name":"Eta SpA","owner":"rep-3","territory":"EMEA/IT/Lazio","industry":"Manufacturing","last_contact":"2026-11-01"})" "\n"
    "\n"  // blank lines are ignored
    R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-06-01","amount":100000,"product":"Furniture/Desks"})" "\n"
    R"({"type":"revenue","id":"INV-2","account_id":"ACC-2","date":"2026-03-15","amount":50000.00,"product":"Furniture/Chairs"})" "\n"
    R"({"type":"revenue","id":"INV-3a","account_id":"ACC-3","date":"2025-12-01","amount":10000,"product":"Furniture/Chairs"})" "\n"
    R"({"type":"revenue","id":"INV-3b","account_id":"ACC-3","date":"2025-11-30","amount":40000,"product":"Furniture/Chairs"})" "\n"
    R"({"type":"revenue","id":"INV-4","account_id":"ACC-4","date":"2026-11-30","amount":80000,"product":"Lighting/Lamps"})" "\n"
    R"({"type":"revenue","id":"INV-5a","account_id":"ACC-5","date":"2026-04-01","amount":60000,"product":"Lighting/Lamps"})" "\n"
    R"({"type":"revenue","id":"INV-5b","account_id":"ACC-5","date":"2026-05-01","amount":-15000,"product":"Lighting/Lamps"})" "\n"
    R"({"type":"revenue","id":"INV-6a","account_id":"ACC-6","date":"2026-12-15","amount":99999,"product":"Lighting/Lamps"})" "\n"
    R"({"type":"revenue","id":"INV-6b","account_id":"ACC-6","date":"2024-11-30","amount":5000,"product":"Lighting/Lamps"})" "\n"
    R"({"type":"revenue","id":"INV-7a","account_id":"ACC-7","date":"2025-01-15","amount":90000,"product":"Furniture/Desks"})" "\n"
    R"({"type":"revenue","id":"INV-7b","account_id":"ACC-7","date":"2026-07-01","amount":5000,"product":"Furniture/Desks"})" "\n";

constexpr std::size_t kPortfolioRecords = 18;  // 7 accounts + 11 revenue records

}  // namespace abitest
