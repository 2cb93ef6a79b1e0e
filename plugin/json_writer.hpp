// A small append-only JSON writer for the engine's outputs. Written by hand
// because the output is the product: fixed key order, money in exact decimal,
// doubles in their shortest round-trip form, so equal inputs give equal bytes.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>

#include "dates.hpp"
#include "json_guard.hpp"
#include "money.hpp"

namespace crmtier {

// --- The formats, written at a pointer ----------------------------------------
// The one implementation of each JSON form: JsonWriter below and the result
// renderer (render.cpp) both write through these. Each writes at `p`, which
// has room for the bound given, and returns the end of what it wrote.

namespace json_detail {
// memcpy for the short runs a result is made of (amounts, dates, names:
// 4 to 16 bytes): two overlapping fixed-size moves instead of a call.
inline void copy_chars(char* to, const char* from, std::size_t n) {
    if (n >= 8 && n <= 16) {
        std::uint64_t head, tail;
        std::memcpy(&head, from, 8);
        std::memcpy(&tail, from + n - 8, 8);
        std::memcpy(to, &head, 8);
        std::memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
        std::uint32_t head, tail;
        std::memcpy(&head, from, 4);
        std::memcpy(&tail, from + n - 4, 4);
        std::memcpy(to, &head, 4);
        std::memcpy(to + n - 4, &tail, 4);
    } else if (n != 0) {
        std::memcpy(to, from, n);
    }
}
}  // namespace json_detail

// Room write_json_string() needs for `n` bytes of text: each byte may become
// a six-byte \u00XX escape; and the two quotes.
constexpr std::size_t json_string_bound(std::size_t n) { return 6 * n + 2; }

// `s` as a JSON string: quoted; '"', '\\' and the control characters escaped
// (\n \r \t by name, the others as \u00XX); every other byte as it is.
inline char* write_json_string(char* p, std::string_view s) {
    const auto plain = [](char c) { return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20; };
    *p++ = '"';
    // Most text needs no escape: the run before the first byte that does goes in at once.
    std::size_t i = 0;
    while (i < s.size() && plain(s[i])) ++i;
    json_detail::copy_chars(p, s.data(), i);
    p += i;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (plain(c)) {
            *p++ = c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                p[0] = 'u';
                p[1] = '0';
                p[2] = '0';
                p[3] = hex[(c >> 4) & 0xf];
                p[4] = hex[c & 0xf];
                p += 5;
            }
        }
    }
    *p++ = '"';
    return p;
}

// Room write_number() needs: the longest shortest form of a double is 24
// characters ("-2.2250738585072014e-308"); a whole one is at most 23 and ".0".
inline constexpr std::size_t kNumberChars = 32;

namespace json_detail {
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
}  // namespace json_detail

// A double in its shortest round-trip form (std::to_chars), with ".0" added
// when that has no '.' and no exponent, so it always reads as a fraction:
// 0.8, 95.0, 1e-09. `p` has room for kNumberChars.
inline char* write_number(char* p, double v) {
    if (char* end = json_detail::write_decimal_of_4(p, v)) return end;
    char* end = std::to_chars(p, p + kNumberChars - 2, v).ptr;
    if (std::find_if(p, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
        *end++ = '.';
        *end++ = '0';
    }
    return end;
}

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object() { sep(); out_.push_back('{'); first_ = true; return *this; }
    JsonWriter& end_object() { out_.push_back('}'); first_ = false; return *this; }
    JsonWriter& begin_array() { sep(); out_.push_back('['); first_ = true; return *this; }
    JsonWriter& end_array() { out_.push_back(']'); first_ = false; return *this; }

    // Keys are the engine's own names: nothing in them needs escaping.
    JsonWriter& key(std::string_view k) {
        char buf[64];
        std::size_t n = 0;
        if (!first_) buf[n++] = ',';
        if (k.size() + 4 > sizeof buf) {
            out_.append(buf, n);
            quote(k);
            out_.push_back(':');
        } else {
            buf[n++] = '"';
            std::memcpy(buf + n, k.data(), k.size());
            n += k.size();
            buf[n++] = '"';
            buf[n++] = ':';
            out_.append(buf, n);
        }
        first_ = true;  // the value that follows takes no comma
        return *this;
    }
    JsonWriter& str(std::string_view s) { sep(); quote(s); return *this; }
    JsonWriter& boolean(bool b) { sep(); out_.append(b ? "true" : "false"); return *this; }
    JsonWriter& null() { sep(); out_.append("null"); return *this; }
    JsonWriter& integer(std::int64_t v) { return whole(v); }
    JsonWriter& uinteger(std::uint64_t v) { return whole(v); }
    JsonWriter& number(double v) {
        sep();
        char buf[kNumberChars];
        out_.append(buf, write_number(buf, v));
        return *this;
    }
    JsonWriter& money(Money m) { sep(); append_money(out_, m); return *this; }
    JsonWriter& date(Day d) {
        sep();
        char buf[12];
        buf[0] = '"';
        *write_date(buf + 1, d) = '"';
        out_.append(buf, 12);
        return *this;
    }


private:
    template <class T>
    JsonWriter& whole(T v) {
        sep();
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    void sep() {
        if (!first_) out_.push_back(',');
        first_ = false;
    }
    void quote(std::string_view s) {
        const std::size_t at = out_.size();
        out_.resize(at + json_string_bound(s.size()));
        out_.resize(static_cast<std::size_t>(write_json_string(out_.data() + at, s) - out_.data()));
    }

    std::string& out_;
    bool first_ = true;
};

// Untrusted text for an error message: JSON-quoted (so no NUL or newline gets
// through) and cut to `max` bytes.
// Bytes that are not UTF-8 become U+FFFD, so the message itself is UTF-8.
inline std::string quoted(std::string_view text, std::size_t max = 64) {
    std::string clean;
    std::string_view rest = text.substr(0, std::min(text.size(), max));
    for (;;) {
        const std::size_t bad = invalid_utf8_at(rest);
        if (bad == std::string_view::npos) break;
        clean.append(rest.substr(0, bad)).append("\xEF\xBF\xBD");
        rest.remove_prefix(bad + 1);
    }
    clean.append(rest);
    std::string out;
    JsonWriter(out).str(clean);
    if (text.size() > max) out.insert(out.size() - 1, "...");
    return out;
}

}  // namespace crmtier
