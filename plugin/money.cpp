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

void append_money(std::string& out, Money m) {
    if (m < 0) {
        out.push_back('-');
        m = -m;
    }
    Money whole = m / kMoneyScale;
    int frac = static_cast<int>(m % kMoneyScale);
    char buf[48];
    if (whole <= static_cast<Money>(UINT64_MAX)) {  // every real amount: one call
        auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(whole));
        out.append(buf, r.ptr);
    } else {
        int n = 0;
        do {
            buf[n++] = static_cast<char>('0' + static_cast<int>(whole % 10));
            whole /= 10;
        } while (whole > 0);
        while (n > 0) out.push_back(buf[--n]);
    }
    out.push_back('.');
    char f[4] = {static_cast<char>('0' + frac / 1000), static_cast<char>('0' + frac / 100 % 10),
                 static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10)};
    int len = 4;
    while (len > 1 && f[len - 1] == '0') --len;
    out.append(f, static_cast<std::size_t>(len));
}

std::string format_money(Money m) {
    std::string s;
    append_money(s, m);
    return s;
}

}  // namespace crmtier
