#include "base/dates.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

namespace crmtier {

namespace {
using Calendar = boost::gregorian::gregorian_calendar;

// Boost's calendar covers the years 1400..9999 (greg_year throws outside).
constexpr int kCalendarFirstYear = 1400;
constexpr int kCalendarLastYear = 9999;

Day day_of(int y, int m, int d) {
    return static_cast<Day>(Calendar::day_number(Calendar::ymd_type(
        static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d))));
}

// The first and last day of the calendar's years, and 1970-01-01.
const Day kCalendarFirst = day_of(kCalendarFirstYear, 1, 1);
const Day kCalendarLast = day_of(kCalendarLastYear, 12, 31);
const Day kEpoch = day_of(1970, 1, 1);

// The days of month m of year y (y within the calendar's years).
int month_days(int y, int m) {
    return Calendar::end_of_month_day(static_cast<unsigned short>(y), static_cast<unsigned short>(m));
}

bool digits(std::string_view s, int& out) {
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

// `n` digits of `s` at `pos`.
bool digits_at(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    return pos + n <= s.size() && digits(s.substr(pos, n), out);
}

}  // namespace

bool parse_date(std::string_view text, Day& out, std::string& why) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text.substr(0, 4), y) || !digits(text.substr(5, 2), m) ||
        !digits(text.substr(8, 2), d)) {
        why = "expected a date as YYYY-MM-DD";
        return false;
    }
    if (y < kFirstYear || y > kLastYear) {
        why = "year " + std::to_string(y) + " is outside 1900..2999";
        return false;
    }
    if (m < 1 || m > 12) {
        why = "month " + std::to_string(m) + " does not exist";
        return false;
    }
    // Calendar's functions called in place (not through day_of() and
    // month_days()): every record's dates come through here.
    const int last = Calendar::end_of_month_day(static_cast<unsigned short>(y), static_cast<unsigned short>(m));
    if (d < 1 || d > last) {
        why = std::string(text) + " does not exist (that month has " +
              std::to_string(last) + " days)";
        return false;
    }
    out = static_cast<Day>(Calendar::day_number(Calendar::ymd_type(
        static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d))));
    return true;
}

std::optional<Day> parse_date_time(std::string_view s) {
    int y, m, d;
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !digits_at(s, 0, 4, y) || !digits_at(s, 5, 2, m) ||
        !digits_at(s, 8, 2, d))
        return std::nullopt;
    if (y < kCalendarFirstYear || y > kCalendarLastYear || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return std::nullopt;
    const Day date = day_of(y, m, d);
    if (s.size() == 10) return date;
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    int hh, mm, ss = 0;
    if (!digits_at(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !digits_at(s, 14, 2, mm)) return std::nullopt;
    std::size_t p = 16;
    if (p < s.size() && s[p] == ':') {
        if (!digits_at(s, p + 1, 2, ss)) return std::nullopt;
        p += 3;
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
            ++p;
            const std::size_t start = p;
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
            const int sign = s[p] == '-' ? -1 : 1;
            int oh, om = 0;
            if (!digits_at(s, p + 1, 2, oh)) return std::nullopt;
            p += 3;
            if (p < s.size() && s[p] == ':') ++p;
            if (p < s.size()) {
                if (!digits_at(s, p, 2, om)) return std::nullopt;
                p += 2;
            }
            if (oh > 23 || om > 59) return std::nullopt;
            offset = sign * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    if (p != s.size()) return std::nullopt;
    // The local time minus the offset is at most one day before or after.
    const int minutes = hh * 60 + mm - offset;
    const Day utc = date + (minutes < 0 ? -1 : minutes >= 1440 ? 1 : 0);
    if (utc < kCalendarFirst || utc > kCalendarLast) return std::nullopt;
    return utc;
}

std::optional<Day> day_from_epoch_ms(std::int64_t ms) {
    constexpr std::int64_t kPerDay = 86'400'000;
    std::int64_t days = ms / kPerDay;
    if (ms % kPerDay < 0) --days;  // towards the earlier day
    if (days < kCalendarFirst - kEpoch || days > kCalendarLast - kEpoch) return std::nullopt;
    return static_cast<Day>(kEpoch + days);
}

char* write_date(char* p, Day day) {
    const auto ymd = Calendar::from_day_number(static_cast<unsigned long>(day));
    const int y = ymd.year, m = ymd.month, d = ymd.day;
    p[0] = static_cast<char>('0' + y / 1000 % 10);
    p[1] = static_cast<char>('0' + y / 100 % 10);
    p[2] = static_cast<char>('0' + y / 10 % 10);
    p[3] = static_cast<char>('0' + y % 10);
    p[4] = '-';
    p[5] = static_cast<char>('0' + m / 10);
    p[6] = static_cast<char>('0' + m % 10);
    p[7] = '-';
    p[8] = static_cast<char>('0' + d / 10);
    p[9] = static_cast<char>('0' + d % 10);
    return p + 10;
}

void append_date(std::string& out, Day day) {
    char buf[10];
    out.append(buf, write_date(buf, day));
}

std::string format_date(Day day) {
    std::string s;
    append_date(s, day);
    return s;
}

Day today_utc() {
    return static_cast<Day>(boost::gregorian::day_clock::universal_day().day_number());
}

}  // namespace crmtier
