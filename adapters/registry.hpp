// The adapters of one engine: "canonical" and every host mapping, configured
// by the "adapters" object of the engine configuration, found by name.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

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

    // The adapter of that name (one hash, one comparison), or null.
    const Adapter* find(std::string_view name) const {
        for (std::size_t i = slot_of(name);; i = (i + 1) & (slots_.size() - 1)) {
            const Slot& s = slots_[i];
            if (!s.adapter) return nullptr;
            if (s.name == name) return s.adapter;
        }
    }
    // The adapter of that name, or a view of the canonical one that writes
    // some keys of the result ("canonical:tier,colour,next_contact", made on
    // first use and kept). Throws AdapterError naming the known ones, or the
    // unknown key.
    const Adapter& get(std::string_view name) const {
        if (const Adapter* a = find(name)) return *a;
        return fields_view(name);
    }
    // The host adapter of that name, or null ("canonical" is not one).
    const HostAdapter* host(std::string_view name) const;
    // Every adapter's name, sorted: "canonical, csv, dynamics, ...".
    const std::string& known() const { return known_; }

private:
    // Names to adapters: open addressing over a table of at least four times
    // as many slots as adapters (a power of two), by a hash of the name's
    // length and ends (a few instructions, where a general hash map spends a
    // hundred on every ABI call).
    struct Slot {
        std::string_view name;  // the adapter's own
        const Adapter* adapter = nullptr;
    };
    // The length and the first and last letters: enough to spread the few
    // names there are (probing settles the rest), at a few instructions.
    std::size_t slot_of(std::string_view name) const {
        std::uint32_t h = static_cast<std::uint32_t>(name.size()) * 0x9E3779B1u;
        if (!name.empty())
            h ^= static_cast<std::uint32_t>(static_cast<unsigned char>(name.front())) * 0x85EBCA6Bu ^
                 static_cast<std::uint32_t>(static_cast<unsigned char>(name.back()));
        return (h ^ (h >> 16)) & (slots_.size() - 1);
    }
    void add(const Adapter& adapter);
    [[noreturn]] void unknown(std::string_view name) const;
    const Adapter& fields_view(std::string_view name) const;

    CanonicalAdapter canonical_;
    Limits limits_;
    // The fields views made so far, one per set of keys (at most kMaxViews).
    static constexpr std::size_t kMaxViews = 64;
    mutable std::mutex views_mutex_;
    mutable std::vector<std::unique_ptr<CanonicalAdapter>> views_;
    std::vector<std::unique_ptr<HostAdapter>> hosts_;
    std::vector<Slot> slots_;
    std::string known_;
};

}  // namespace crmtier::adapters
