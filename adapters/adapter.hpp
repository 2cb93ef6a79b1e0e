// An adapter: one host's record shapes and result fields. It reads what the
// host sends into canonical records for the core, and writes the core's
// results in the host's own field names:
//   host record -> adapter -> canonical record -> core -> result -> adapter -> host.
// "canonical" is an adapter like the others (canonical.hpp), as is every host
// mapping (host_adapter.hpp). The ABI resolves an adapter's name once per
// call (or once per cursor) through the Registry (registry.hpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/engine.hpp"
#include "plugin/policy.hpp"
#include "plugin/records.hpp"

namespace crmtier::adapters {

class Adapter : public ResultWriter {
public:
    virtual ~Adapter() = default;
    Adapter(const Adapter&) = delete;
    Adapter& operator=(const Adapter&) = delete;

    const std::string& name() const { return name_; }

    // The canonical records of one save (the text of one host record),
    // appended to `out`. Throws ParseError, LimitError or RecordError naming
    // the record and the field (and the adapter, for a host's).
    virtual void read(std::string_view text, RecordBatch& out) const = 0;

    // Bulk input in the adapter's bulk format (JSON Lines, or CSV), read in
    // batches as Engine::load() asks for them; `data` must outlive the
    // source. Errors name the line.
    virtual std::unique_ptr<BatchSource> read_bulk(std::string_view data) const = 0;

    // The profile attributes the host really has (odoo: territory and
    // industry), the engine's default when the configuration's "host" names
    // this adapter; null: the engine's own default.
    virtual const std::vector<Attribute>* default_profile() const = 0;

protected:
    explicit Adapter(std::string name) : name_(std::move(name)) {}

private:
    std::string name_;
};

}  // namespace crmtier::adapters
