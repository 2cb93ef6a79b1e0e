#include "adapters/csv_reader.hpp"

#include "base/errors.hpp"
#include "base/lines.hpp"
#include "base/utf8.hpp"

namespace crmtier::adapters::detail {

char detect_delimiter(std::string_view data) {
    data = strip_bom(data);
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : data) {
        if (c == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (c == '\n' || c == '\r') break;
        else if (c == ',') ++commas;
        else if (c == ';') ++semicolons;
        else if (c == '\t') ++tabs;
    }
    if (semicolons > commas && semicolons >= tabs) return ';';
    if (tabs > 0 && commas == 0 && semicolons == 0) return '\t';
    return ',';
}

std::vector<CsvRow> read_csv(std::string_view data, char delim, const std::string& who) {
    data = strip_bom(data);
    if (const std::size_t bad = invalid_utf8_at(data); bad != std::string_view::npos)
        throw ParseError(who + ": line " + std::to_string(line_of(data, bad)) +
                         ": not valid UTF-8 (export the file as UTF-8)");
    std::vector<CsvRow> rows;
    std::size_t line = 1;
    std::size_t i = 0;
    const std::size_t n = data.size();
    while (i < n) {
        CsvRow row;
        row.line = line;
        std::string field;
        bool row_done = false;
        while (!row_done) {
            field.clear();
            if (i < n && data[i] == '"') {
                std::size_t quote_line = line;
                ++i;
                for (;;) {
                    if (i >= n)
                        throw ParseError(who + ": line " + std::to_string(quote_line) +
                                         ": unterminated quoted field");
                    char c = data[i];
                    if (c == '"') {
                        if (i + 1 < n && data[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                    ++i;
                }
                // After a closing quote: delimiter, end of line or end of data.
                while (i < n && (data[i] == ' ' || data[i] == '\t') && data[i] != delim) ++i;
                if (i < n && data[i] != delim && data[i] != '\n' && data[i] != '\r')
                    throw ParseError(who + ": line " + std::to_string(line) +
                                     ": unexpected text after a closing quote");
            } else {
                while (i < n && data[i] != delim && data[i] != '\n' && data[i] != '\r') {
                    if (data[i] == '"')
                        throw ParseError(who + ": line " + std::to_string(line) +
                                         ": a quote inside an unquoted field (quote the whole field)");
                    field += data[i];
                    ++i;
                }
            }
            row.fields.push_back(field);
            if (i >= n) {
                row_done = true;
            } else if (data[i] == delim) {
                ++i;
            } else {  // end of line
                if (data[i] == '\r') ++i;
                if (i < n && data[i] == '\n') ++i;
                ++line;
                row_done = true;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace crmtier::adapters::detail
