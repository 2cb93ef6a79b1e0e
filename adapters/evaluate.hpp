// Host records -> canonical records, as a host mapping's record kinds say
// (docs/adapters.md): conditions, value specs and conversions.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "adapters/mapping.hpp"

namespace crmtier::adapters {

// The host JSON text of one save or one line of bulk input, parsed. Throws
// ParseError or LimitError naming the adapter (and the line, when not 0),
// and RecordError when an object names a key twice (refuse_duplicate()).
boost::json::value parse_host_json(const HostMapping& h, std::string_view text, std::size_t line);

// Throws the RecordError of host input that names `key` twice in one object
// ("hubspot: field \"id\": duplicate key (it appears twice)", after "line
// L: " when `line` is not 0).
[[noreturn]] void refuse_duplicate(const std::string& host, const std::string& key, std::size_t line);

// A host value may come alone, in a JSON array, or in the vendor's list
// envelope: each record in it.
std::vector<const boost::json::value*> expand(const HostMapping& h, const boost::json::value& v);

// One host record -> zero or more canonical records, appended to `out`.
// Throws RecordError naming the adapter, the record (its host id when it has
// one) and the field; `names` (CSV) gives the column header of each key, for
// the messages.
void translate_record(const HostMapping& h, const boost::json::value& rec, std::size_t line,
                      std::vector<Translated>& out, const std::map<std::string, std::string>* names = nullptr);

// A JSON number of any kind, and its value as a double.
bool is_number(const boost::json::value& v);
double as_double(const boost::json::value& v);

// A scalar as plain text: strings as they are, numbers as a host reads them
// (append_decimal: 1250.0), true/false, "" for null; arrays and objects as
// compact JSON.
std::string to_text(const boost::json::value& v, std::size_t max_depth);

}  // namespace crmtier::adapters
