// Numbers: money as exact fixed point, decimals written as text (what hosts
// send), and doubles written as JSON numbers.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace crmtier {

// --- Money ----------------------------------------------------------------------
// Whole units of 1/10,000 of the currency. Sums of amounts are exact, so an
// invoice saved, changed and saved back gives the very same annual revenue,
// in any order: byte-identical results depend on it
// (docs/semantics.md#rounding-and-numbers). 128 bits so no portfolio can
// overflow.

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

// --- Decimals written as text ------------------------------------------------------
// A decimal number as hosts write it in text ("1250", "-12.5", "1e3"), blanks
// around allowed; correctly rounded. nullopt for anything else (thousands
// separators, "inf", "nan", hexadecimal).
std::optional<double> parse_decimal(std::string_view text);
// A whole number written as text ("320", "320.0"), below 9e15 in magnitude;
// nullopt otherwise.
std::optional<std::int64_t> parse_whole(std::string_view text);

// A double as a host reads it, the inverse of parse_decimal(): whole values
// below 10^15 in fixed notation with ".0" (1250.0, never 1.25E3), others in
// their shortest round-trip form; "null" when not finite.
void append_decimal(std::string& out, double v);

// A bound or a setting shown in a message, as a person writes it: fixed
// notation, no exponent, no trailing zeros (0.000000001, 100, 0.8).
std::string plain_number(double v);

// --- Doubles as JSON numbers -------------------------------------------------------

// Room write_number() needs: the longest shortest form of a double is 24
// characters ("-2.2250738585072014e-308"); a whole one is at most 23 and ".0".
inline constexpr std::size_t kNumberChars = 32;

namespace number_detail {
// The fast path of write_number(), for the doubles the engine shows most:
// values within 10^11 of 0 that are multiples of 1/10^4 (ratios shown to four
// decimals, the policy's floors and percentiles). Such a v is the double
// nearest to k / 10^4 for a whole k with |k| < 10^15; a decimal of at most 15
// significant digits is the only decimal of its length or shorter that reads
// back as that double (DBL_DIG is 15), so its digits are exactly the shortest
// round-trip digits std::to_chars finds. What is left is libstdc++'s choice
// between fixed and scientific notation (the shorter; fixed on a tie), made
// here by the same rule. Returns nullptr for every other v.
inline char* write_decimal_of_4(char* p, double v) {
    if (!(v > -1e11 && v < 1e11)) return nullptr;  // also NaN
    const double scaled = v * 1e4;
    auto k = static_cast<std::int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    if (static_cast<double>(k) / 1e4 != v) return nullptr;
    if (std::signbit(v)) *p++ = '-';
    if (k == 0) {  // std::to_chars writes 0 and -0 as "0" and "-0"
        std::memcpy(p, "0.0", 3);
        return p + 3;
    }
    auto m = static_cast<std::uint64_t>(k < 0 ? -k : k);
    int exp = -4;  // |v| = m * 10^exp, m without trailing zeros
    if (m % 10000 == 0) {  // a whole number
        m /= 10000;
        exp = 0;
        while (m % 10 == 0) {
            m /= 10;
            ++exp;
        }
    } else {  // at most three of the four decimals are zeros
        if (m % 100 == 0) m /= 100, exp += 2;
        if (m % 10 == 0) m /= 10, exp += 1;
    }
    char digits[16] = {};  // m < 10^15
    const int n = static_cast<int>(std::to_chars(digits, digits + sizeof digits, m).ptr - digits);
    int lower = -(n + 3), upper = 5;  // the exponents where fixed is no longer than scientific
    if (n == 1) ++lower, --upper;     // scientific without a point
    if (exp < lower || exp > upper) {
        const int x = exp + n - 1;  // -4 <= x <= 10 here
        *p++ = digits[0];
        if (n > 1) {
            *p++ = '.';
            std::memcpy(p, digits + 1, static_cast<std::size_t>(n - 1));
            p += n - 1;
        }
        p[0] = 'e';
        p[1] = x < 0 ? '-' : '+';
        p[2] = static_cast<char>('0' + (x < 0 ? -x : x) / 10);
        p[3] = static_cast<char>('0' + (x < 0 ? -x : x) % 10);
        return p + 4;
    }
    if (exp >= 0) {  // whole: the digits, the zeros, and ".0"
        std::memcpy(p, digits, static_cast<std::size_t>(n));
        p += n;
        std::memset(p, '0', static_cast<std::size_t>(exp));
        p += exp;
        std::memcpy(p, ".0", 2);
        return p + 2;
    }
    const int whole = n + exp;  // digits before the point
    if (whole <= 0) {
        std::memcpy(p, "0.", 2);
        p += 2;
        std::memset(p, '0', static_cast<std::size_t>(-whole));
        p += -whole;
        std::memcpy(p, digits, static_cast<std::size_t>(n));
        return p + n;
    }
    std::memcpy(p, digits, static_cast<std::size_t>(whole));
    p += whole;
    *p++ = '.';
    std::memcpy(p, digits + whole, static_cast<std::size_t>(-exp));
    return p - exp;
}
}  // namespace number_detail

// A double in its shortest round-trip form (std::to_chars), with ".0" added
// when that has no '.' and no exponent, so it always reads as a fraction:
// 0.8, 95.0, 1e-09. `p` has room for kNumberChars. The form of every double
// in the engine's own outputs (docs/semantics.md#rounding-and-numbers).
inline char* write_number(char* p, double v) {
    if (char* end = number_detail::write_decimal_of_4(p, v)) return end;
    char* end = std::to_chars(p, p + kNumberChars - 2, v).ptr;
    if (std::find_if(p, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
        *end++ = '.';
        *end++ = '0';
    }
    return end;
}

}  // namespace crmtier
