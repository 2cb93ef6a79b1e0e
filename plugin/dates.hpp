// Calendar dates as day numbers, parsed from and written as "YYYY-MM-DD".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crmtier {

// A calendar day: the Julian day number (Boost.Date_Time's day_number), so
// differences are exact day counts across leap years.
using Day = std::int32_t;

// The dates the engine accepts; anything outside is refused as implausible
// (and keeps every date computed from it, +180 days, printable).
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2999;

// Parses "YYYY-MM-DD" (exactly that form, a real calendar date between
// 1900-01-01 and 2999-12-31). On failure returns false and says why in `why`.
bool parse_date(std::string_view text, Day& out, std::string& why);

// "YYYY-MM-DD".
std::string format_date(Day day);
void append_date(std::string& out, Day day);
// The same 10 characters written at `p`; returns p + 10. (The one
// implementation: the two above use it.)
char* write_date(char* p, Day day);

// Today in UTC.
Day today_utc();

}  // namespace crmtier
