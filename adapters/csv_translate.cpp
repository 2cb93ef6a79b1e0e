// CSV exports -> canonical records: the header row says which columns hold
// which field (the installation may rename them), each row is one record of
// the file's kind (an accounts file, or a revenue file: one with an amount
// and an account id column), translated as the csv mapping says.
#include "adapters/csv_translate.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "adapters/csv_reader.hpp"
#include "adapters/evaluate.hpp"
#include "base/errors.hpp"
#include "base/text.hpp"

namespace crmtier::adapters {

namespace json = boost::json;
using detail::CsvRow;

namespace {

// A header cell as columns are matched: without the blanks around it, in
// lower case.
std::string lower_trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string sv(json::string_view s) { return std::string(s.data(), s.size()); }

}  // namespace

void translate_csv(const HostMapping& h, std::string_view data, std::vector<Translated>& out) {
    const char delim = h.delimiter ? h.delimiter : detail::detect_delimiter(data);
    std::vector<CsvRow> rows = detail::read_csv(data, delim, h.name);
    auto blank = [](const CsvRow& r) {
        return std::all_of(r.fields.begin(), r.fields.end(), [](const std::string& f) { return trim_blanks(f).empty(); });
    };
    std::size_t first = 0;
    while (first < rows.size() && blank(rows[first])) ++first;
    if (first == rows.size()) throw ParseError(h.name + ": missing header row");
    const CsvRow& header = rows[first];
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < header.fields.size(); ++i) index.emplace(lower_trim(header.fields[i]), i);

    const json::object& keys = h.spec_object().at("settings").at("columns").at("keys").as_object();
    auto column = [&](const std::string& kind, const std::string& key) {
        auto k = h.columns.find(kind);
        if (k != h.columns.end()) {
            auto c = k->second.find(key);
            if (c != k->second.end()) return c->second;
        }
        return key;
    };
    auto find = [&](const std::string& kind, const std::string& key) -> long {
        auto it = index.find(lower_trim(column(kind, key)));
        return it == index.end() ? -1 : static_cast<long>(it->second);
    };
    const std::string kind = find("revenue", "amount") >= 0 && find("revenue", "account_id") >= 0 ? "revenue" : "accounts";
    if (find(kind, "id") < 0)
        throw RecordError(h.name + ": line " + std::to_string(header.line) + ": column \"" + column(kind, "id") +
                          "\": missing from the header row (an " + kind + " file needs an id column)");
    std::vector<std::pair<std::string, long>> used;
    std::map<std::string, std::string> names;
    for (const json::value& key : keys.at(kind).as_array()) {
        std::string k = sv(key.as_string());
        long i = find(kind, k);
        if (i >= 0) used.emplace_back(k, i);
        names[k] = column(kind, k);
    }
    for (std::size_t r = first + 1; r < rows.size(); ++r) {
        const CsvRow& row = rows[r];
        if (blank(row)) continue;
        if (row.fields.size() != header.fields.size())
            throw ParseError(h.name + ": line " + std::to_string(row.line) + ": expected " +
                             std::to_string(header.fields.size()) + " fields as in the header, found " +
                             std::to_string(row.fields.size()));
        json::object rec;
        rec["__file"] = kind;
        for (const auto& [k, i] : used) {
            std::string value(trim_blanks(row.fields[static_cast<std::size_t>(i)]));
            if ((k == "amount" || k == "employees") && h.decimal_comma) {
                std::string v;
                for (char ch : value)
                    if (ch == ',') v += '.';
                    else if (ch != '.' && ch != ' ') v += ch;
                value = v;
            }
            rec[k] = value;
        }
        try {
            translate_record(h, json::value(std::move(rec)), row.line, out, &names);
        } catch (const RecordError& e) {
            rethrow_at_line(e, row.line);
        }
    }
}

}  // namespace crmtier::adapters
