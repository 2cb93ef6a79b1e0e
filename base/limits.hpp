// The bounds every input is held to (the "limits" object of the
// configuration, docs/configuration.md): the core, the adapters and the JSON
// readers all take them from here.
#pragma once

#include <cstddef>

namespace crmtier {

struct Limits {
    std::size_t max_record_bytes = 1 << 20;      // one record, or one line
    std::size_t max_depth = 64;                   // JSON nesting
    std::size_t max_accounts = 10'000'000;
    std::size_t max_revenue_records = 100'000'000;
    std::size_t max_id_bytes = 512;
    std::size_t max_text_bytes = 4096;            // name, territory, ...
};

}  // namespace crmtier
