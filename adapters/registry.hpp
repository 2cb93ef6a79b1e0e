// The adapters of one engine: "canonical" and every host mapping, configured
// by the "adapters" object of the engine configuration, found by name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "adapters/adapter.hpp"
#include "adapters/canonical.hpp"
#include "adapters/host_adapter.hpp"
#include "base/limits.hpp"

namespace crmtier::adapters {

class Registry {
public:
    // `config` is the "adapters" object of the engine configuration, or null
    // when absent; `limits` bound the host input (limits.max_depth: its JSON
    // nesting). Throws ConfigError naming an unknown key or bad value.
    explicit Registry(const boost::json::object* config, const Limits& limits = {});
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // The adapter of that name (one hash lookup), or null.
    const Adapter* find(std::string_view name) const;
    // The adapter of that name. Throws AdapterError naming the known ones.
    const Adapter& get(std::string_view name) const;
    // The host adapter of that name, or null ("canonical" is not one).
    const HostAdapter* host(std::string_view name) const;
    // Every adapter's name, sorted: "canonical, csv, dynamics, ...".
    const std::string& known() const { return known_; }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Eq {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    };

    CanonicalAdapter canonical_;
    std::vector<std::unique_ptr<HostAdapter>> hosts_;
    boost::unordered_flat_map<std::string, const Adapter*, Hash, Eq> by_name_;
    std::string known_;
};

}  // namespace crmtier::adapters
