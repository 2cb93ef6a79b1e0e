// JSON text -> a value: the one reader of JSON input (records, host records,
// the configuration, report options), with errors that say where, and the
// one check that no object names a key twice.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace crmtier {

// `text`, one JSON value (blanks around it allowed). Numbers are read as
// written: a double is the one nearest to its decimal text (so
// 1000000000000.0001 is not 10^12). Throws ParseError at the column (the
// byte of `text`, from 1) where the text stops being JSON ("not valid JSON:
// syntax error", "not valid JSON: invalid UTF-8"), or LimitError where it
// nests deeper than `max_depth` levels (limits.max_depth).
//
// `duplicate` is set to the first key (in document order) that an object of
// `text` names twice, empty when none does. Boost.JSON keeps the last of
// them silently; {"amount":10,"amount":1000} is ambiguous, so every caller
// refuses it, in its own words (a record's label, "config:"...). The check
// is made in the same pass; a text that is not JSON is reported as such
// first.
boost::json::value parse_json(std::string_view text, std::size_t max_depth, std::string& duplicate);

// `text`, a sequence of JSON values separated by blanks (whole documents one
// after another, each pretty-printed or not, as JSON Lines are too): `on`
// gets each value, the line (from 1) where it starts and its duplicated key
// (as parse_json() sets it: empty when none). Throws ParseError
// or LimitError as parse_json() does, the message starting "line L, column
// C:" (C counted in bytes from 1 within that line).
void parse_json_values(std::string_view text, std::size_t max_depth,
                       const std::function<void(boost::json::value&&, std::size_t line,
                                                const std::string& duplicate)>& on);

}  // namespace crmtier
