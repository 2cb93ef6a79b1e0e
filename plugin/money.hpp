// Money as exact fixed-point: whole units of 1/10,000 of the currency.
//
// Sums of amounts are exact, so an invoice saved, changed and saved back gives
// the very same annual revenue, in any order: the byte-identical-output rule
// of the Semantics depends on it. 128 bits so no portfolio can overflow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace crmtier {

__extension__ typedef __int128 Money;

inline constexpr std::int64_t kMoneyScale = 10000;
// The largest amount one record may carry, in currency units: a bound so an
// invoice cannot overflow the fixed-point form (and no real one comes near).
inline constexpr double kMaxAmount = 1e12;

// amount (finite, |amount| <= kMaxAmount) -> units, rounded to the nearest.
std::int64_t money_from_double(double amount);
double money_to_double(Money m);

// Shortest decimal with at least one fractional digit: 1250.0, 1250.5, -0.25.
void append_money(std::string& out, Money m);
std::string format_money(Money m);

// The most characters a Money takes in that form: a sign, 35 whole digits
// (|m| < 2^127), the point and 4 decimals.
inline constexpr std::size_t kMoneyChars = 41;
// The same form written at `p`, which has room for kMoneyChars; returns the
// end of what was written. (The one implementation: the two above use it.)
char* write_money(char* p, Money m);

}  // namespace crmtier
