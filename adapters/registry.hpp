// The adapter layer as the engine sees it: host records in, canonical records
// out; canonical results in, host-named results out.
//
// The engine (plugin/engine.cpp) owns one Registry, built from the "adapters"
// object of the engine configuration, and calls nothing else in adapters/.
// "canonical" is handled by the engine itself and never reaches the Registry.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "base/limits.hpp"

namespace crmtier::adapters {

// One canonical record produced from host input, with where it came from
// (1-based line or row for bulk input; 0 for a single save).
struct Translated {
    std::size_t line = 0;
    boost::json::object record;  // canonical shape; may carry "deleted": true
};

class Registry {
public:
    // `config` is the "adapters" object of the engine configuration, or null
    // when absent; `limits` bound the host input (limits.max_depth: its JSON
    // nesting). Throws ConfigError naming an unknown key or bad value.
    explicit Registry(const boost::json::object* config, const Limits& limits = {});
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Whether `name` is a host adapter known here.
    bool has(std::string_view name) const;

    // The profile attributes a host really has (e.g. odoo: territory and
    // industry), used as the engine default when config "host" names it.
    std::vector<std::string> default_profile(std::string_view name) const;

    // One host record (the text of one save) -> zero or more canonical
    // records, appended to `out`. Throws AdapterError (unknown name),
    // ParseError (not JSON), RecordError (wrong shape; the message names the
    // adapter, the record id when there is one, and the field).
    void translate(std::string_view adapter, std::string_view text,
                   std::vector<Translated>& out) const;

    // Bulk input in the adapter's bulk format (JSON Lines, or CSV) -> canonical
    // records with their line numbers, appended to `out`. Same errors.
    void translate_bulk(std::string_view adapter, std::string_view data,
                        std::vector<Translated>& out) const;

    // A canonical result object (the shape in MISSION.md) -> the JSON text the
    // host reads, in its own field names.
    std::string render(std::string_view adapter,
                       const boost::json::object& canonical_result) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace crmtier::adapters
