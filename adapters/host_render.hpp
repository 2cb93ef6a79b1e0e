// Host results: a result in a host's own field names, written once from the
// core's Result (docs/adapters.md). The mapping's output plan (mapping.hpp)
// says which fields go where, under which names and in which form.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "adapters/mapping.hpp"
#include "plugin/portfolio.hpp"
#include "plugin/render.hpp"

namespace crmtier::adapters {

// One field of a canonical result as the host renderer reads it: a JSON
// scalar, or, for "actions" and "reasons", the JSON text of the array.
struct FieldValue {
    boost::json::value scalar;
    std::string json;  // not empty: the field is this JSON text

    bool structured() const { return !json.empty(); }
};

// A canonical result's fields, one by one.
class ResultFields {
public:
    virtual FieldValue get(ResultKey key) const = 0;

protected:
    ~ResultFields() = default;
};

// The fields of a Result the core worked out: the same values the canonical
// result shows (docs/semantics.md#result), amounts as doubles; "actions" and
// "reasons" as render_result() writes them.
class FieldsOfResult final : public ResultFields {
public:
    FieldsOfResult(const Portfolio& portfolio, const Result& result) : portfolio_(portfolio), result_(result) {}
    FieldValue get(ResultKey key) const override;

private:
    const Portfolio& portfolio_;
    const Result& result_;
};

// The host result of `fields` as `h` shapes it, appended to `out`.
void render_host_result(const HostMapping& h, const ResultFields& fields, std::string& out);

}  // namespace crmtier::adapters
