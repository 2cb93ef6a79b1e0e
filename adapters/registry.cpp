#include "adapters/registry.hpp"

#include <algorithm>

#include "base/errors.hpp"
#include "base/quote.hpp"

namespace crmtier::adapters {

Registry::Registry(const boost::json::object* config, const Limits& limits) : canonical_(limits), limits_(limits) {
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

const Adapter& Registry::fields_view(std::string_view name) const {
    constexpr std::string_view kPrefix = "canonical:";
    if (name.substr(0, kPrefix.size()) != kPrefix) unknown(name);
    ResultKeys keys = 0;
    std::string_view rest = name.substr(kPrefix.size());
    for (;;) {
        const std::size_t comma = rest.find(',');
        const std::string_view key = rest.substr(0, comma);
        const std::optional<ResultKey> k = result_key(key);
        if (!k) {
            std::string all;
            for (std::string_view known : kResultKeys) all += (all.empty() ? "" : ", ") + std::string(known);
            throw AdapterError("adapter " + quoted(name) + ": " + (key.empty() ? std::string("an empty result key") : "unknown result key " + quoted(key)) +
                               " (a result's keys: " + all + ")");
        }
        keys |= result_key_bit(*k);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    std::lock_guard lock(views_mutex_);
    for (const auto& v : views_)
        if (v->keys() == keys) return *v;
    if (views_.size() >= kMaxViews)
        throw AdapterError("adapter " + quoted(name) + ": more than " + std::to_string(kMaxViews) +
                           " different sets of result keys asked of one engine");
    std::string canonical_name(kPrefix);
    for (std::size_t k = 0; k < kResultKeyCount; ++k)
        if (keys & result_key_bit(static_cast<ResultKey>(k)))
            canonical_name += std::string(canonical_name.size() > kPrefix.size() ? "," : "") + std::string(kResultKeys[k]);
    views_.push_back(std::make_unique<CanonicalAdapter>(std::move(canonical_name), limits_, keys));
    return *views_.back();
}

const HostAdapter* Registry::host(std::string_view name) const {
    for (const auto& h : hosts_)
        if (h->name() == name) return h.get();
    return nullptr;
}

}  // namespace crmtier::adapters
