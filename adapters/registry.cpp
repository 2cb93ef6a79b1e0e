// TEMPORARY STUB so the core links; the adapters work replaces this file.
#include "registry.hpp"
#include "errors.hpp"

namespace crmtier::adapters {
struct Registry::Impl {};
Registry::Registry(const boost::json::object* config) : impl_(std::make_unique<Impl>()) {
    if (config && !config->empty())
        throw ConfigError("adapters: unknown adapter \"" + std::string(config->begin()->key()) + "\"");
}
Registry::~Registry() = default;
bool Registry::has(std::string_view) const { return false; }
std::vector<std::string> Registry::default_profile(std::string_view) const { return {}; }
void Registry::translate(std::string_view a, std::string_view, std::vector<Translated>&) const {
    throw AdapterError("unknown adapter \"" + std::string(a) + "\"");
}
void Registry::translate_bulk(std::string_view a, std::string_view, std::vector<Translated>&) const {
    throw AdapterError("unknown adapter \"" + std::string(a) + "\"");
}
std::string Registry::render(std::string_view a, const boost::json::object&) const {
    throw AdapterError("unknown adapter \"" + std::string(a) + "\"");
}
}  // namespace crmtier::adapters
