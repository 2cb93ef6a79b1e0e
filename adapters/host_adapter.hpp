// A host adapter: one host mapping (adapters/mappings/<host>.json) as an
// Adapter. Host records are translated into canonical ones by the mapping's
// record kinds (evaluate.hpp, csv_translate.hpp), results written in the
// host's field names by its output plan (host_render.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/mapping.hpp"
#include "base/limits.hpp"

namespace crmtier::adapters {

class HostAdapter final : public Adapter {
public:
    HostAdapter(HostMapping mapping, const Limits& limits);

    const HostMapping& mapping() const { return mapping_; }

    // One host record (the text of one save) -> zero or more canonical
    // records, appended to `out`. Throws ParseError (not JSON), LimitError,
    // RecordError (wrong shape; the message names the adapter, the record id
    // when there is one, and the field).
    void translate(std::string_view text, std::vector<Translated>& out) const;
    // Bulk input (JSON Lines, or CSV) -> canonical records with their line
    // numbers, appended to `out`. Same errors, naming the line.
    void translate_bulk(std::string_view data, std::vector<Translated>& out) const;

    void read(std::string_view text, RecordBatch& out) const override;
    // The whole input as one batch.
    std::unique_ptr<BatchSource> read_bulk(std::string_view data) const override;
    const std::vector<Attribute>* default_profile() const override { return &mapping_.default_profile; }
    void write(const Portfolio& portfolio, const Result& result, std::string& out) const override;

private:
    HostMapping mapping_;
    Limits limits_;
};

}  // namespace crmtier::adapters
