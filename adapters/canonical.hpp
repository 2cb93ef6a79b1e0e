// The canonical adapter: canonical records in (docs/semantics.md#canonical-records),
// canonical results out (docs/semantics.md#result), as the core reads and
// writes them.
#pragma once

#include "adapters/adapter.hpp"
#include "base/limits.hpp"
#include "plugin/render.hpp"

namespace crmtier::adapters {

class CanonicalAdapter final : public Adapter {
public:
    explicit CanonicalAdapter(const Limits& limits) : Adapter("canonical"), limits_(limits) {}
    // A view of the canonical adapter that writes results with only `keys`
    // (render_result_fields()): "canonical:tier,colour,next_contact".
    CanonicalAdapter(std::string name, const Limits& limits, ResultKeys keys)
        : Adapter(std::move(name)), limits_(limits), keys_(keys) {}

    // The fast path's record goes in as views of `text`, without a copy.
    void read(std::string_view text, RecordBatch& out) const override;
    // JSON Lines in batches of a few MB, each parsed as views of `data`
    // where the fast path takes a record, with the ids hashed ahead for the
    // thread that applies them.
    std::unique_ptr<BatchSource> read_bulk(std::string_view data) const override;
    const std::vector<Attribute>* default_profile() const override { return nullptr; }
    void write(const Portfolio& portfolio, const Result& result, std::string& out) const override;

    // Keys of the result it writes; every key: the whole result.
    ResultKeys keys() const { return keys_; }
    static constexpr ResultKeys kAllKeys = (ResultKeys{1} << kResultKeyCount) - 1;

private:
    Limits limits_;
    ResultKeys keys_ = kAllKeys;
};

}  // namespace crmtier::adapters
