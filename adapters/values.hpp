// Small value conversions shared by the mapping engine: dates, numbers, and a
// deterministic JSON writer (numbers as a host expects them, e.g. 1250.0 and
// not 1.25E3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace crmtier::adapters::detail {

// "YYYY-MM-DD", an ISO 8601 date-time ("2026-03-15T10:31:12.000Z",
// "2026-03-15T23:30:00-05:00", "2026-03-15 10:00:00"), converted to the UTC
// calendar date; nullopt when the text is none of these or not a real date.
std::optional<std::string> iso_date(std::string_view text);

// Milliseconds since 1970-01-01T00:00:00Z -> the UTC date "YYYY-MM-DD".
std::optional<std::string> date_from_epoch_ms(std::int64_t ms);

// A decimal number written as text ("1250", "-12.5", "1e3"); surrounding
// blanks allowed. nullopt for anything else (thousands separators, "inf").
std::optional<double> decimal(std::string_view text);

// A whole number written as text ("320", "320.0"); nullopt otherwise.
std::optional<std::int64_t> whole(std::string_view text);

// Compact JSON text. Doubles print as the shortest text that reads back the
// same, with ".0" on whole values (1250.0); non-finite numbers print as null.
// Nesting deeper than 64 levels prints as null.
void write_json(std::string& out, const boost::json::value& v, int depth = 0);
std::string to_json(const boost::json::value& v);

// A scalar as plain text: strings as they are, numbers as write_json prints
// them, true/false, "" for null; arrays and objects as compact JSON.
std::string to_text(const boost::json::value& v);

}  // namespace crmtier::adapters::detail
