// What a crmtier_engine handle holds: the core engine and the adapters
// configured for it. Every ABI call that names an adapter resolves it here
// once (a cursor once for its life), then runs the data path:
//   host record -> adapter -> canonical record -> core -> result -> adapter -> host.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "adapters/registry.hpp"
#include "plugin/engine.hpp"
#include "plugin/policy.hpp"

namespace crmtier {

class EngineHandle {
public:
    // Throws ParseError, ConfigError (also for a "host" no adapter has).
    explicit EngineHandle(std::string_view config);

    // The adapter of that name; throws AdapterError naming the known ones.
    const adapters::Adapter& adapter(std::string_view name) const { return adapters_.get(name); }
    Engine& core() { return core_; }
    const Engine& core() const { return core_; }

    // One save through `adapter`: its records applied, and with `result` the
    // account's result in the adapter's shape (replaced). `batch` holds the
    // records read (the caller's, so that its capacity serves the next save,
    // which clears it).
    // Returns how many canonical records the host record gave.
    std::size_t save(const adapters::Adapter& adapter, std::string_view text, RecordBatch& batch,
                     std::string* result);
    // Bulk input through `adapter`; returns how many records were applied.
    std::size_t load(const adapters::Adapter& adapter, std::string_view data);
    // Bulk input through `adapter`, checked as load() checks it, returned as
    // canonical JSON Lines (one record a line, in input order) instead of
    // applied. Touches no record of the engine.
    std::string translate(const adapters::Adapter& adapter, std::string_view data) const;

private:
    explicit EngineHandle(Policy policy);

    adapters::Registry adapters_;
    Engine core_;
};

}  // namespace crmtier
