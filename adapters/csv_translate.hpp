// CSV exports -> canonical records (the csv adapter's input).
#pragma once

#include <string_view>
#include <vector>

#include "adapters/mapping.hpp"

namespace crmtier::adapters {

// A whole CSV file (header row first; UTF-8, with or without a byte-order
// mark) -> its canonical records with their line numbers, appended to `out`.
// Throws ParseError (not CSV, not UTF-8) or RecordError naming the line, the
// record and the column.
void translate_csv(const HostMapping& h, std::string_view data, std::vector<Translated>& out);

}  // namespace crmtier::adapters
