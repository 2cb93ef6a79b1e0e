#include "money.hpp"

#include <charconv>
#include <cmath>

namespace crmtier {

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

}  // namespace crmtier
