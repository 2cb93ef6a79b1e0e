// The bounds every input is held to (the "limits" object of the
// configuration, docs/configuration.md): the core, the adapters and the JSON
// readers all take them from here.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace crmtier {

// The company currency and the rates of the others (the "currency" object of
// the configuration): what a revenue record's "currency" is checked and
// converted against (docs/semantics.md#canonical-records). Empty: no
// currency configured, and a record that names one is refused.
struct Currencies {
    std::string company;                               // ISO 4217, e.g. "EUR"
    std::map<std::string, double, std::less<>> rates;  // code -> company units per unit
};

// An ISO 4217 code as written: 3 capital letters ("EUR").
inline bool is_currency_code(std::string_view s) {
    return s.size() == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

struct Limits {
    std::size_t max_record_bytes = 1 << 20;      // one record, or one line
    std::size_t max_depth = 64;                   // JSON nesting
    std::size_t max_accounts = 10'000'000;
    std::size_t max_revenue_records = 100'000'000;
    std::size_t max_id_bytes = 512;
    std::size_t max_text_bytes = 4096;            // name, territory, ...
    // Not a bound, but held by every record reader alongside them: the
    // currencies a revenue record's amount is taken in.
    Currencies currency;
};

}  // namespace crmtier
