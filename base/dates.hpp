// The calendar: dates as day numbers, parsed from and written as
// "YYYY-MM-DD", and the date-time and epoch forms hosts send, converted to
// the UTC calendar date. The one calendar of crmtier (Boost.Date_Time's
// Gregorian calendar): the core and the adapters both use it.
#pragma once

#include <cstdint>
#include <optional>
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

// A host's date or date-time, as the UTC calendar date: "YYYY-MM-DD", or an
// ISO 8601 date-time ("2026-03-15T10:31:12.000Z", "2026-03-15T23:30:00-05:00",
// "2026-03-15 10:00:00"; without a zone, UTC). nullopt when the text is none
// of these, not a real date and time, or outside the calendar's years
// 1400..9999 (the engine's own range is checked when the record is read).
std::optional<Day> parse_date_time(std::string_view text);

// The UTC calendar date of a moment given in milliseconds since
// 1970-01-01T00:00:00Z; nullopt outside the calendar's years 1400..9999.
std::optional<Day> day_from_epoch_ms(std::int64_t ms);

// "YYYY-MM-DD".
std::string format_date(Day day);
void append_date(std::string& out, Day day);
// The same 10 characters written at `p`; returns p + 10. (The one
// implementation: the two above use it.)
char* write_date(char* p, Day day);

// Today in UTC.
Day today_utc();

}  // namespace crmtier
