#include "values.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace crmtier::adapters::detail {

namespace json = boost::json;

namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

std::optional<std::string> format_day(std::int64_t days) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    if (y < 1 || y > 9999) return std::nullopt;
    const unsigned yy = static_cast<unsigned>(y);
    std::string out = "0000-00-00";
    out[0] = static_cast<char>('0' + yy / 1000);
    out[1] = static_cast<char>('0' + yy / 100 % 10);
    out[2] = static_cast<char>('0' + yy / 10 % 10);
    out[3] = static_cast<char>('0' + yy % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + d / 10);
    out[9] = static_cast<char>('0' + d % 10);
    return out;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void write_double(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    if (d == std::trunc(d) && std::fabs(d) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", d);
        out += buf;
        return;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
}

}  // namespace

std::optional<std::string> iso_date(std::string_view s) {
    int y, m, d;
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) return std::nullopt;
    if (s.size() == 10) return std::string(s);
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    int hh, mm, ss = 0;
    if (!digits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mm)) return std::nullopt;
    std::size_t p = 16;
    if (p < s.size() && s[p] == ':') {
        if (!digits(s, p + 1, 2, ss)) return std::nullopt;
        p += 3;
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
            ++p;
            std::size_t start = p;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
            if (p == start) return std::nullopt;
        }
    }
    if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm != 0 || ss != 0))) return std::nullopt;
    int offset = 0;  // minutes east of UTC
    if (p < s.size()) {
        if (s[p] == 'Z' || s[p] == 'z') {
            ++p;
        } else if (s[p] == '+' || s[p] == '-') {
            int sign = s[p] == '-' ? -1 : 1;
            int oh, om = 0;
            if (!digits(s, p + 1, 2, oh)) return std::nullopt;
            p += 3;
            if (p < s.size() && s[p] == ':') ++p;
            if (p < s.size()) {
                if (!digits(s, p, 2, om)) return std::nullopt;
                p += 2;
            }
            if (oh > 23 || om > 59) return std::nullopt;
            offset = sign * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    if (p != s.size()) return std::nullopt;
    std::int64_t minutes = static_cast<std::int64_t>(hh) * 60 + mm - offset;
    std::int64_t day = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (minutes < 0) day -= 1;
    else if (minutes >= 1440) day += 1;
    return format_day(day);
}

std::optional<std::string> date_from_epoch_ms(std::int64_t ms) {
    const std::int64_t per_day = 86400000;
    if (ms < -per_day * 719162LL || ms > per_day * 2932896LL) return std::nullopt;
    std::int64_t day = ms / per_day;
    if (ms % per_day < 0) day -= 1;
    return format_day(day);
}

std::optional<double> decimal(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    std::string_view body = s;
    if (body.front() == '+' || body.front() == '-') body.remove_prefix(1);
    if (body.empty() || !((body.front() >= '0' && body.front() <= '9') || body.front() == '.')) return std::nullopt;
    for (char c : body)
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
    double v = 0;
    const char* first = body.data();
    const char* last = body.data() + body.size();
    auto r = std::from_chars(first, last, v, std::chars_format::general);
    if (r.ec != std::errc() || r.ptr != last || !std::isfinite(v)) return std::nullopt;
    return s.front() == '-' ? -v : v;
}

std::optional<std::int64_t> whole(std::string_view text) {
    auto d = decimal(text);
    if (!d || *d != std::trunc(*d) || std::fabs(*d) >= 9.0e15) return std::nullopt;
    return static_cast<std::int64_t>(*d);
}

void write_json(std::string& out, const json::value& v, int depth) {
    if (depth > 64) {
        out += "null";
        return;
    }
    switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: write_double(out, v.get_double()); break;
    case json::kind::string: out += json::serialize(v); break;
    case json::kind::array: {
        out += '[';
        bool first = true;
        for (const auto& e : v.get_array()) {
            if (!first) out += ',';
            first = false;
            write_json(out, e, depth + 1);
        }
        out += ']';
        break;
    }
    case json::kind::object: {
        out += '{';
        bool first = true;
        for (const auto& kv : v.get_object()) {
            if (!first) out += ',';
            first = false;
            out += json::serialize(json::value(kv.key()));
            out += ':';
            write_json(out, kv.value(), depth + 1);
        }
        out += '}';
        break;
    }
    }
}

std::string to_json(const json::value& v) {
    std::string out;
    write_json(out, v);
    return out;
}

std::string to_text(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return {};
    case json::kind::string: return std::string(v.get_string());
    default: return to_json(v);
    }
}

}  // namespace crmtier::adapters::detail
