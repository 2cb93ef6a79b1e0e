#include "adapters/registry.hpp"

#include <algorithm>

#include "base/errors.hpp"
#include "base/quote.hpp"

namespace crmtier::adapters {

Registry::Registry(const boost::json::object* config, const Limits& limits) : canonical_(limits) {
    for (HostMapping& m : load_mappings(config, limits)) hosts_.push_back(std::make_unique<HostAdapter>(std::move(m), limits));
    std::size_t slots = 4;
    while (slots < 4 * (hosts_.size() + 1)) slots *= 2;
    slots_.resize(slots);
    std::vector<std::string> names{canonical_.name()};
    add(canonical_);
    for (const auto& h : hosts_) {
        add(*h);
        names.push_back(h->name());
    }
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) known_ += (known_.empty() ? "" : ", ") + n;
}

void Registry::add(const Adapter& adapter) {
    std::size_t i = slot_of(adapter.name());
    while (slots_[i].adapter) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = {adapter.name(), &adapter};
}

void Registry::unknown(std::string_view name) const {
    throw AdapterError("unknown adapter " + quoted(name) + " (known: " + known_ + ")");
}

const HostAdapter* Registry::host(std::string_view name) const {
    for (const auto& h : hosts_)
        if (h->name() == name) return h.get();
    return nullptr;
}

}  // namespace crmtier::adapters
