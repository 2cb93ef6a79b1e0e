// THE RULES. Every rule of the contract (docs/semantics.md) that turns numbers
// into tiers, colours, dates and flags lives in semantics.cpp, one function a
// rule, each with the sentence of the contract it implements. The rest of the
// engine only keeps the numbers these functions need up to date.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/dates.hpp"
#include "base/numbers.hpp"
#include "plugin/order_stats.hpp"
#include "plugin/policy.hpp"

namespace crmtier {

// --- Revenue windows -------------------------------------------------------
enum class Window { Annual, Prior, None };
// Which window a revenue record dated `date` counts in, as of `as_of`.
Window window_of(Day date, Day as_of, int window_days);

// --- Percentiles -------------------------------------------------------------
// The nearest-rank percentile's 1-based rank among n ascending values (n >= 1).
std::size_t nearest_rank(double percentile, std::size_t n);

// --- Benchmark and look-alikes ------------------------------------------------
// Both are percentiles of populations the portfolio keeps up to date in
// order-statistic trees (order_stats.hpp); these functions read them.
// The benchmark over `payers`, the R of every existing account with R > 0.
Money benchmark_of(const OrderStats& payers, const Policy& p);
// What a profile's payers (the R of its existing members with R > 0) decide
// of every member's look-alike revenue: how many they are, and the entries at
// the ranks the percentile picks among all of them (for a member that does
// not pay) and among all but one (for a member that pays: the entry at the
// rank and the one above it). A profile keeps its picks up to date, so a
// result reads them instead of walking the tree.
struct LookalikePicks {
    std::size_t n = 0;
    Money all = 0;
    OrderStats::Key without_lo{};
    Money without_hi = 0;
    // Equal picks give every member the same L (the entry's account only
    // breaks ties between equal amounts, which give the same L).
    bool same_amounts(const LookalikePicks& o) const {
        return n == o.n && all == o.all && without_lo.first == o.without_lo.first && without_hi == o.without_hi;
    }
};
LookalikePicks lookalike_picks(const OrderStats& payers, const Policy& p);
// An account's look-alike revenue L from its profile's picks; `self` is its
// own entry when it is one of the payers (no account is its own peer).
// `peers` receives how many peers it has.
std::optional<Money> lookalike_of(const LookalikePicks& picks, std::optional<OrderStats::Key> self, const Policy& p,
                                  std::size_t& peers);

// --- Profiles ----------------------------------------------------------------
// The size band of an employee count: "0-9", "10-49", ..., "1000+".
std::string size_band(std::int64_t employees, const Policy& p);
// A territory path cut to its first `depth` levels ("EMEA/DE/Bavaria" -> "EMEA/DE");
// empty when the territory has no level at all.
std::string territory_cut(std::string_view territory, int depth);

// --- Potential and tiers -----------------------------------------------------
enum class Source { Own, Prior, Lookalike };
struct Potential {
    Money value;
    Source source;
};
// The highest of R, P and L (ties resolve to own, then prior).
Potential potential_of(Money annual, Money prior, std::optional<Money> lookalike);

// p = amount / benchmark; 0 when the benchmark is 0.
double ratio_of(Money amount, Money benchmark);
// A if p >= 0.80, B if p >= 0.45, C if amount > 0, D otherwise.
Tier tier_of(Money amount, Money benchmark, const Policy& p);
char tier_letter(Tier t);

// --- Temperature and colour ----------------------------------------------------
// 100 * max(0, R) / potential, rounded half up; 0 for tier D.
int temperature_of(Money annual, Money potential, Tier tier);
enum Colour : int { Red, Orange, Yellow, LightBlue, Blue, Grey };
Colour colour_of(int temperature, Tier tier, const Policy& p);
std::string_view colour_name(Colour c);
std::string_view colour_hex(Colour c);
// A blue A account: rep and manager must rethink the approach.
bool escalates(Tier tier, Colour colour);

// --- Next contact ------------------------------------------------------------------
struct Contact {
    Day next;
    int overdue_days;  // 0 when not past
};
Contact next_contact(std::optional<Day> last_contact, Day as_of, Tier tier, const Policy& p);

// --- Decline -------------------------------------------------------------------------
struct Decline {
    bool declining;
    int pct;  // rounded half up; 0 unless declining
};
Decline decline_of(Money prior, Money annual, const Policy& p);

// Rounds num/den (den > 0) to the nearest integer, halves up, exactly.
std::int64_t round_half_up(Money num, Money den);

}  // namespace crmtier
