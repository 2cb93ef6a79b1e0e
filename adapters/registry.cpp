#include "adapters/registry.hpp"

#include <algorithm>

#include "base/errors.hpp"
#include "base/quote.hpp"

namespace crmtier::adapters {

Registry::Registry(const boost::json::object* config, const Limits& limits) : canonical_(limits) {
    for (HostMapping& m : load_mappings(config, limits)) hosts_.push_back(std::make_unique<HostAdapter>(std::move(m), limits));
    std::vector<std::string> names{canonical_.name()};
    by_name_.emplace(canonical_.name(), &canonical_);
    for (const auto& h : hosts_) {
        by_name_.emplace(h->name(), h.get());
        names.push_back(h->name());
    }
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) known_ += (known_.empty() ? "" : ", ") + n;
}

const Adapter* Registry::find(std::string_view name) const {
    const auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
}

const Adapter& Registry::get(std::string_view name) const {
    if (const Adapter* a = find(name)) return *a;
    throw AdapterError("unknown adapter " + quoted(name) + " (known: " + known_ + ")");
}

const HostAdapter* Registry::host(std::string_view name) const {
    for (const auto& h : hosts_)
        if (h->name() == name) return h.get();
    return nullptr;
}

}  // namespace crmtier::adapters
