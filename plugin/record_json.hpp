// A canonical record written back as the canonical JSON it stands for
// (docs/semantics.md#canonical-records): what crmtier_engine_translate()
// returns, so that records read through any adapter can be moved, split and
// loaded again through the "canonical" adapter with the same effect.
#pragma once

#include <string>

#include "plugin/records.hpp"

namespace crmtier {

// Appends `r` as one JSON object (no newline): "type", "id", then for a
// deleted record "deleted":true and nothing else, else the fields that are
// set, in the order of the Semantics' tables; the amount in money form
// (exact for every amount the fast path of the reader takes whole).
void append_record_json(std::string& out, const RecordRef& r);

}  // namespace crmtier
