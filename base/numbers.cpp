#include "base/numbers.hpp"

#include <cstdio>

#include "base/text.hpp"

namespace crmtier {

// --- Money ----------------------------------------------------------------------

std::int64_t money_from_double(double amount) {
    return static_cast<std::int64_t>(std::llround(amount * static_cast<double>(kMoneyScale)));
}

double money_to_double(Money m) {
    return static_cast<double>(m) / static_cast<double>(kMoneyScale);
}

char* write_money(char* p, Money m) {
    __extension__ typedef unsigned __int128 Units;
    const Units units = m < 0 ? Units(0) - static_cast<Units>(m) : static_cast<Units>(m);
    if (m < 0) *p++ = '-';
    unsigned frac;
    if (units <= UINT64_MAX) {  // every real amount: 64-bit arithmetic only
        const auto u = static_cast<std::uint64_t>(units);
        p = std::to_chars(p, p + 20, u / kMoneyScale).ptr;
        frac = static_cast<unsigned>(u % kMoneyScale);
    } else {
        Units whole = units / kMoneyScale;
        frac = static_cast<unsigned>(units % kMoneyScale);
        char digits[40];
        int n = 0;
        do {
            digits[n++] = static_cast<char>('0' + static_cast<int>(whole % 10));
            whole /= 10;
        } while (whole > 0);
        while (n > 0) *p++ = digits[--n];
    }
    *p++ = '.';
    p[0] = static_cast<char>('0' + frac / 1000);
    p[1] = static_cast<char>('0' + frac / 100 % 10);
    p[2] = static_cast<char>('0' + frac / 10 % 10);
    p[3] = static_cast<char>('0' + frac % 10);
    // The shortest form: trailing zeros go, but one decimal always stays.
    return p + (frac % 1000 == 0 ? 1 : frac % 100 == 0 ? 2 : frac % 10 == 0 ? 3 : 4);
}

void append_money(std::string& out, Money m) {
    char buf[kMoneyChars];
    out.append(buf, write_money(buf, m));
}

std::string format_money(Money m) {
    std::string s;
    append_money(s, m);
    return s;
}

// --- Decimals written as text ------------------------------------------------------

std::optional<double> parse_decimal(std::string_view text) {
    const std::string_view s = trim_blanks(text);
    if (s.empty()) return std::nullopt;
    std::string_view body = s;
    if (body.front() == '+' || body.front() == '-') body.remove_prefix(1);
    if (body.empty() || !((body.front() >= '0' && body.front() <= '9') || body.front() == '.')) return std::nullopt;
    for (char c : body)
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
    double v = 0;
    const char* first = body.data();
    const char* last = body.data() + body.size();
    const auto r = std::from_chars(first, last, v, std::chars_format::general);
    if (r.ec != std::errc() || r.ptr != last || !std::isfinite(v)) return std::nullopt;
    return s.front() == '-' ? -v : v;
}

std::optional<std::int64_t> parse_whole(std::string_view text) {
    const auto d = parse_decimal(text);
    if (!d || *d != std::trunc(*d) || std::fabs(*d) >= 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(*d);
}

void append_decimal(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[64];
    if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        const int n = std::snprintf(buf, sizeof buf, "%.1f", d);
        out.append(buf, static_cast<std::size_t>(n));
        return;
    }
    out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

std::string plain_number(double v) {
    // The shortest round-trip digits in fixed notation; the longest such form
    // of a double (-4.9406564584124654e-324) takes 328 characters.
    char buf[400];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return std::string(buf, r.ec == std::errc() ? r.ptr : buf);
}

}  // namespace crmtier
