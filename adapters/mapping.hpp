// A host mapping (adapters/mappings/<host>.json, described in
// docs/adapters.md) as one installation configured it: what the evaluator
// (evaluate.hpp), the CSV translation (csv_translate.hpp) and the host
// renderer (host_render.hpp) read. Loading parses the embedded mapping files,
// checks the installation's settings and compiles the output description
// into a plan, once per engine.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "base/limits.hpp"
#include "plugin/policy.hpp"
#include "plugin/render.hpp"

namespace crmtier::adapters {

// One canonical record produced from host input, with where it came from
// (1-based line or row for bulk input; 0 for a single save).
struct Translated {
    std::size_t line = 0;
    boost::json::object record;  // canonical shape; may carry "deleted": true
};

// How a result field is turned into what the host reads.
enum class Format {
    AsIs,        // the value itself
    JsonText,    // its JSON text, as a string
    String,      // as plain text
    ScoreTrend,  // Dynamics msdyn_scoretrend from the revenue figures
    IntIfDigits  // an id that is all digits as an integer (Odoo, Tryton)
};

// One member of a host result: a value, or an object of members.
struct OutputField {
    std::string name;                         // the host's field name, settings substituted
    std::optional<ResultKey> from;            // the result field; none: `constant`
    boost::json::value constant;
    Format format = Format::AsIs;
    const boost::json::object* map = nullptr; // a string value -> what the host reads instead
    bool structured_as_text = false;          // an array or object goes as its JSON text
    bool stringify = false;                   // every value as text (HubSpot properties)
    bool object = false;                      // an object of `members`
    std::vector<OutputField> members;
};

struct HostMapping {
    std::string name;
    const boost::json::object* spec = nullptr;  // the mapping file, as embedded
    bool csv = false;                           // CSV input; else JSON (JSON Lines in bulk)
    boost::json::object settings;       // effective settings: mapping defaults + installation values
    boost::json::array records;         // the mapping's record kinds, with the installation's input_fields
    std::vector<Attribute> default_profile;
    // The members of a result, in the order they are written, each name once
    // (a later member of the same name takes an earlier one's place).
    std::vector<OutputField> output;
    // csv only
    char delimiter = 0;                 // 0: detect from the header
    bool decimal_comma = false;
    std::map<std::string, std::map<std::string, std::string>> columns;  // file kind -> key -> column
    std::size_t max_depth = 64;         // limits.max_depth: JSON nesting of host input

    const boost::json::object& spec_object() const { return *spec; }
};

// Every host mapping, sorted by name, each configured by its member of
// `config` (the "adapters" object of the engine configuration; null when
// absent). Throws ConfigError naming the key of a bad setting.
std::vector<HostMapping> load_mappings(const boost::json::object* config, const Limits& limits);

}  // namespace crmtier::adapters
