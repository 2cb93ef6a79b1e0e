// Helpers shared by the adapter tests.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "adapters/host_render.hpp"
#include "adapters/registry.hpp"
#include "base/json_writer.hpp"

namespace crmtier::test {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string fixture(const std::string& rel) {
    return read_file(std::string(CRMTIER_ADAPTER_FIXTURES) + "/" + rel);
}

// A canonical result given as a JSON object (values made up by a test), as
// the host renderer reads a result's fields.
class JsonFields final : public adapters::ResultFields {
public:
    explicit JsonFields(const boost::json::object& result) : result_(result) {}
    adapters::FieldValue get(ResultKey key) const override {
        const std::string_view name = result_key_name(key);
        const boost::json::value* v = result_.if_contains(boost::json::string_view(name.data(), name.size()));
        if (!v) return {};
        if (v->is_array() || v->is_object()) return {{}, to_json(*v, 64)};
        return {*v, {}};
    }

private:
    const boost::json::object& result_;
};

// The adapter layer as these tests drive it, by adapter name: a thin layer
// over adapters::Registry and its host adapters.
class Adapters {
public:
    explicit Adapters(const boost::json::object* config, const Limits& limits = {}) : registry_(config, limits) {}

    const adapters::Registry& registry() const { return registry_; }
    // Whether `name` is a host adapter ("canonical" is not one).
    bool has(std::string_view name) const { return registry_.host(name) != nullptr; }
    std::vector<std::string> default_profile(std::string_view name) const {
        std::vector<std::string> out;
        for (Attribute a : *host(name).default_profile()) out.emplace_back(attribute_name(a));
        return out;
    }
    void translate(std::string_view name, std::string_view text, std::vector<adapters::Translated>& out) const {
        host(name).translate(text, out);
    }
    void translate_bulk(std::string_view name, std::string_view data, std::vector<adapters::Translated>& out) const {
        host(name).translate_bulk(data, out);
    }
    // A canonical result (as JSON) in the host's field names.
    std::string render(std::string_view name, const boost::json::object& result) const {
        std::string out;
        adapters::render_host_result(host(name).mapping(), JsonFields(result), out);
        return out;
    }
    // The host adapter of that name; AdapterError for an unknown name.
    const adapters::HostAdapter& host(std::string_view name) const {
        if (const adapters::HostAdapter* h = registry_.host(name)) return *h;
        registry_.get(name);  // throws AdapterError, naming the known adapters
        throw std::logic_error(std::string(name) + " is not a host adapter");
    }

private:
    adapters::Registry registry_;
};

inline boost::json::array records(const std::vector<adapters::Translated>& ts) {
    boost::json::array a;
    for (const auto& t : ts) a.push_back(t.record);
    return a;
}

inline boost::json::array translate(const Adapters& r, const std::string& adapter, const std::string& text) {
    std::vector<adapters::Translated> out;
    r.translate(adapter, text, out);
    return records(out);
}

}  // namespace crmtier::test
