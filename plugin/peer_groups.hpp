// Point 4 of the method: small groups of reps who sell similar products and
// serve similar clients, meeting only to share best practice.
#pragma once

#include <string>

#include "portfolio.hpp"

namespace crmtier {

// The peer-groups report as JSON (shape in docs/peer-groups.md).
std::string peer_groups_json(const Portfolio& portfolio);

}  // namespace crmtier
