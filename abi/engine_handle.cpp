#include "abi/engine_handle.hpp"

#include <chrono>
#include <utility>

#include "base/errors.hpp"
#include "base/quote.hpp"
#include "plugin/record_json.hpp"

namespace crmtier {

namespace {

// The policy with the host's defaults: the configuration's "host" names an
// adapter whose default profile applies unless "lookalike.attributes" is
// given.
Policy with_host(Policy p, const adapters::Registry& adapters) {
    const adapters::Adapter* host = adapters.find(p.host);
    if (!host) throw ConfigError("config: \"host\": unknown adapter " + quoted(p.host) + " (known: " + adapters.known() + ")");
    if (const std::vector<Attribute>* profile = host->default_profile(); profile && !p.profile_given)
        p.profile = *profile;
    return p;
}

}  // namespace

EngineHandle::EngineHandle(std::string_view config) : EngineHandle(parse_policy(config)) {}

EngineHandle::EngineHandle(Policy policy)
    : adapters_(&policy.adapters, policy.limits), core_(with_host(std::move(policy), adapters_)) {}

std::size_t EngineHandle::save(const adapters::Adapter& adapter, std::string_view text, RecordBatch& batch,
                               std::string* result) {
    // Read before the core's lock is taken.
    batch.clear();
    adapter.read(text, batch);
    const std::size_t n = batch.refs.size();
    core_.save(batch.refs, adapter, result);
    return n;
}

std::size_t EngineHandle::load(const adapters::Adapter& adapter, std::string_view data) {
    const auto start = std::chrono::steady_clock::now();
    const auto source = adapter.read_bulk(data);
    const std::size_t n = core_.load(*source);
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    core_.log().info("loaded {} records through adapter {} in {:.1f} ms", n, adapter.name(), ms);
    return n;
}

std::string EngineHandle::translate(const adapters::Adapter& adapter, std::string_view data) const {
    const auto source = adapter.read_bulk(data);
    std::string out;
    out.reserve(data.size() + data.size() / 4);
    RecordBatch batch;
    while (source->next(batch))
        for (const RecordRef& r : batch.refs) {
            append_record_json(out, r);
            out.push_back('\n');
        }
    return out;
}

}  // namespace crmtier
