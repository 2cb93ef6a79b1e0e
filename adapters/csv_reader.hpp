// A small RFC 4180 reader for CSV exports: header row required, fields quoted
// with "..." ("" for a quote inside), quoted fields may span lines, CRLF or
// LF, UTF-8 with or without a byte-order mark, comma, semicolon or tab.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crmtier::adapters::detail {

struct CsvRow {
    std::size_t line = 0;  // 1-based line on which the row starts
    std::vector<std::string> fields;
};

// The delimiter of the header line: ';' when it has more semicolons than
// commas outside quotes, '\t' when it has only tabs, ',' otherwise.
char detect_delimiter(std::string_view data);

// Every row, header first. Throws ParseError ("line 4: unterminated quoted
// field") naming `who` (e.g. "csv").
std::vector<CsvRow> read_csv(std::string_view data, char delimiter, const std::string& who);

}  // namespace crmtier::adapters::detail
