// The page's words: one label table per language (report/labels/*.json,
// embedded), with the host's overrides on top. A label may name values in
// braces ("and {n} more"); fill() puts them in. Labels are plain text: the
// template escapes them like any other text.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crmtier::report {

class Labels {
public:
    // The built-in table of `lang` (languages() lists them) with `overrides`
    // on top. Overrides must name labels of the table (parse_options checks).
    Labels(std::string_view lang, const std::vector<std::pair<std::string, std::string>>& overrides);

    const std::string& operator[](std::string_view key) const;
    // The label with each {name} replaced by its value; braces around
    // anything else stay as they are.
    std::string fill(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> values) const;
    bool has(std::string_view key) const { return table_.find(key) != table_.end(); }

private:
    std::map<std::string, std::string, std::less<>> table_;
};

// The languages with a built-in table ("en", "ru"), sorted.
std::vector<std::string> label_languages();

}  // namespace crmtier::report
