#include "dates.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

namespace crmtier {

namespace {
using Calendar = boost::gregorian::gregorian_calendar;

bool digits(std::string_view s, int& out) {
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
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
    const int last = Calendar::end_of_month_day(static_cast<unsigned short>(y),
                                                static_cast<unsigned short>(m));
    if (d < 1 || d > last) {
        why = std::string(text) + " does not exist (that month has " +
              std::to_string(last) + " days)";
        return false;
    }
    out = static_cast<Day>(Calendar::day_number(
        Calendar::ymd_type(static_cast<unsigned short>(y),
                           static_cast<unsigned short>(m),
                           static_cast<unsigned short>(d))));
    return true;
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
