// JSON text -> a value: the one reader of JSON input (records, host records,
// the configuration), with errors that say where.
#pragma once

#include <cstddef>
#include <string_view>

#include <boost/json/value.hpp>

namespace crmtier {

// `text`, one JSON value (blanks around it allowed). Numbers are read as
// written: a double is the one nearest to its decimal text (so
// 1000000000000.0001 is not 10^12). Throws ParseError at the column (the
// byte of `text`, from 1) where the text stops being JSON ("not valid JSON:
// syntax error", "not valid JSON: invalid UTF-8"), or LimitError where it
// nests deeper than `max_depth` levels (limits.max_depth).
boost::json::value parse_json(std::string_view text, std::size_t max_depth);

}  // namespace crmtier
