// The rules one by one, with numbers worked out by hand.
#include <catch2/catch.hpp>

#include "tests/core/fixture.hpp"
#include "plugin/semantics.hpp"

using namespace crmtier;
using crmtier::test::day;
using crmtier::test::money;

TEST_CASE("revenue windows: (as-of - 365, as-of] is annual, the 365 days before are prior", "[semantics]") {
    const Day as_of = day("2026-11-30");
    CHECK(window_of(day("2026-11-30"), as_of, 365) == Window::Annual);  // as-of itself counts
    CHECK(window_of(day("2025-12-01"), as_of, 365) == Window::Annual);  // first day of the window
    CHECK(window_of(day("2025-11-30"), as_of, 365) == Window::Prior);   // as-of - 365: already prior
    CHECK(window_of(day("2024-12-01"), as_of, 365) == Window::Prior);
    CHECK(window_of(day("2024-11-30"), as_of, 365) == Window::None);    // as-of - 730: too old
    CHECK(window_of(day("2026-12-01"), as_of, 365) == Window::None);    // after as-of: not yet
}

TEST_CASE("revenue windows across a leap day: 2025-02-28 - 365 days is 2024-02-29", "[semantics]") {
    const Day as_of = day("2025-02-28");
    CHECK(as_of - day("2024-02-29") == 365);
    CHECK(window_of(day("2024-02-29"), as_of, 365) == Window::Prior);
    CHECK(window_of(day("2024-03-01"), as_of, 365) == Window::Annual);
}

TEST_CASE("nearest rank: the smallest k with k/n >= p", "[semantics]") {
    CHECK(nearest_rank(95, 1) == 1);
    CHECK(nearest_rank(95, 4) == 4);    // ceil(3.8)
    CHECK(nearest_rank(95, 20) == 19);  // exactly 19
    CHECK(nearest_rank(95, 21) == 20);  // ceil(19.95)
    CHECK(nearest_rank(95, 100) == 95);
    CHECK(nearest_rank(75, 3) == 3);    // ceil(2.25)
    CHECK(nearest_rank(75, 4) == 3);    // exactly 3
    CHECK(nearest_rank(100, 7) == 7);
}

TEST_CASE("size bands follow the EU edges 10/50/250/1000", "[semantics]") {
    Policy p;
    CHECK(size_band(0, p) == "0-9");
    CHECK(size_band(9, p) == "0-9");
    CHECK(size_band(10, p) == "10-49");
    CHECK(size_band(249, p) == "50-249");
    CHECK(size_band(250, p) == "250-999");
    CHECK(size_band(1000, p) == "1000+");
    p.size_band_edges = {100};
    CHECK(size_band(99, p) == "0-99");
    CHECK(size_band(100, p) == "100+");
}

TEST_CASE("territories are cut to their first levels", "[semantics]") {
    CHECK(territory_cut("EMEA/DE/Bavaria", 2) == "EMEA/DE");
    CHECK(territory_cut("EMEA/DE/Bavaria", 1) == "EMEA");
    CHECK(territory_cut("EMEA", 2) == "EMEA");
    CHECK(territory_cut(" EMEA / DE /Bavaria", 2) == "EMEA/DE");
    CHECK(territory_cut("//", 2).empty());
    CHECK(territory_cut("", 2).empty());
}

TEST_CASE("potential is the highest of R, P and L; ties go to the account's own revenue", "[semantics]") {
    auto p = potential_of(money(100), money(300), money(200));
    CHECK(p.value == money(300));
    CHECK(p.source == Source::Prior);
    p = potential_of(money(100), money(100), std::nullopt);
    CHECK(p.source == Source::Own);
    p = potential_of(money(100), money(50), money(100.01));
    CHECK(p.source == Source::Lookalike);
    p = potential_of(money(-50), 0, std::nullopt);
    CHECK(p.value == 0);
}

TEST_CASE("tiers: A from 0.80, B from 0.45, C above 0, D at 0 - exactly on a floor counts", "[semantics]") {
    const Policy p;
    const Money bench = money(100000);
    CHECK(tier_of(money(100000), bench, p) == TierA);
    CHECK(tier_of(money(80000), bench, p) == TierA);      // 0.80 exactly
    CHECK(tier_of(money(79999.99), bench, p) == TierB);
    CHECK(tier_of(money(45000), bench, p) == TierB);      // 0.45 exactly
    CHECK(tier_of(money(44999.99), bench, p) == TierC);
    CHECK(tier_of(money(0.01), bench, p) == TierC);
    CHECK(tier_of(0, bench, p) == TierD);
    CHECK(tier_of(money(-10), bench, p) == TierD);
    // Benchmark 0: p counts as 0, so anything positive is C.
    CHECK(tier_of(money(5000), 0, p) == TierC);
    CHECK(tier_of(0, 0, p) == TierD);
}

TEST_CASE("temperature: 100 x max(0, R) / potential, halves up; D is 0", "[semantics]") {
    CHECK(temperature_of(money(125), money(1000), TierC) == 13);  // 12.5 -> 13
    CHECK(temperature_of(money(124), money(1000), TierC) == 12);  // 12.4
    CHECK(temperature_of(money(1000), money(1000), TierA) == 100);
    CHECK(temperature_of(money(-500), money(1000), TierA) == 0);
    CHECK(temperature_of(money(1), money(3), TierB) == 33);       // 33.33
    CHECK(temperature_of(money(2), money(3), TierB) == 67);       // 66.67
    CHECK(temperature_of(money(50), money(100), TierD) == 0);
}

TEST_CASE("colour bands of RdYlBu; D is grey; a blue A escalates", "[semantics]") {
    const Policy p;
    CHECK(colour_of(100, TierA, p) == Red);
    CHECK(colour_of(80, TierB, p) == Red);
    CHECK(colour_of(79, TierB, p) == Orange);
    CHECK(colour_of(60, TierB, p) == Orange);
    CHECK(colour_of(40, TierC, p) == Yellow);
    CHECK(colour_of(39, TierC, p) == LightBlue);
    CHECK(colour_of(20, TierC, p) == LightBlue);
    CHECK(colour_of(19, TierC, p) == Blue);
    CHECK(colour_of(0, TierD, p) == Grey);
    CHECK(colour_hex(Red) == "#d7191c");
    CHECK(colour_hex(Orange) == "#fdae61");
    CHECK(colour_hex(Yellow) == "#ffffbf");
    CHECK(colour_hex(LightBlue) == "#abd9e9");
    CHECK(colour_hex(Blue) == "#2c7bb6");
    CHECK(colour_hex(Grey) == "#bdbdbd");
    CHECK(escalates(TierA, Blue));
    CHECK_FALSE(escalates(TierA, LightBlue));
    CHECK_FALSE(escalates(TierB, Blue));
}

TEST_CASE("next contact: last contact + the tier's interval, as-of without a contact", "[semantics]") {
    const Policy p;
    const Day as_of = day("2026-11-30");
    auto c = next_contact(day("2026-11-01"), as_of, TierA, p);  // +30
    CHECK(c.next == day("2026-12-01"));
    CHECK(c.overdue_days == 0);
    c = next_contact(day("2026-10-01"), as_of, TierA, p);  // 2026-10-31, 30 days late
    CHECK(c.next == day("2026-10-31"));
    CHECK(c.overdue_days == 30);
    c = next_contact(day("2026-09-01"), as_of, TierC, p);  // +90 = as-of: due, not late
    CHECK(c.next == day("2026-11-30"));
    CHECK(c.overdue_days == 0);
    c = next_contact(day("2026-01-01"), as_of, TierD, p);  // +180 = 2026-06-30
    CHECK(c.next == day("2026-06-30"));
    CHECK(c.overdue_days == 153);
    c = next_contact(std::nullopt, as_of, TierB, p);
    CHECK(c.next == as_of);
    CHECK(c.overdue_days == 0);
    c = next_contact(day("2024-02-01"), day("2024-02-01"), TierA, p);  // across 29 February
    CHECK(c.next == day("2024-03-02"));
}

TEST_CASE("decline: flagged from a 20 % drop, rounded like temperature", "[semantics]") {
    const Policy p;
    auto d = decline_of(money(1000), money(800), p);  // exactly 20 %
    CHECK(d.declining);
    CHECK(d.pct == 20);
    d = decline_of(money(1000), money(801), p);  // 19.9 %
    CHECK_FALSE(d.declining);
    CHECK(d.pct == 0);
    d = decline_of(money(3000), money(1250), p);  // 58.33 %
    CHECK(d.pct == 58);
    d = decline_of(money(1000), money(-200), p);  // a credit note: 120 %
    CHECK(d.pct == 120);
    d = decline_of(0, money(-200), p);  // no prior revenue: nothing to fall from
    CHECK_FALSE(d.declining);
    d = decline_of(money(2000), money(1795), p);  // 10.25 %: not declining
    CHECK_FALSE(d.declining);
}

TEST_CASE("round half up is exact on halves, also below zero", "[semantics]") {
    CHECK(round_half_up(25, 2) == 13);   // 12.5
    CHECK(round_half_up(-25, 2) == -12); // -12.5 rounds up to -12
    CHECK(round_half_up(7, 3) == 2);
    CHECK(round_half_up(0, 5) == 0);
}
