// Point 4 of the method (docs/semantics.md#peer-groups): small groups of
// reps who sell similar products and serve similar clients, meeting only to
// share best practice. Grouping gives a value; rendering writes it as JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/dates.hpp"
#include "plugin/portfolio.hpp"

namespace crmtier {

struct PeerGroup {
    std::vector<std::string> members;  // rep names, sorted
    double similarity = 0;             // mean over the members' pairs, to 4 decimals
    bool below_min_size = false;
    // What every member has: at most three, largest total first.
    std::vector<std::string> product_categories, industries, tiers;
    struct Presenter {
        std::string rep;
        int a_accounts = 0;
        double a_mean_temperature = 0;  // to 1 decimal
    };
    std::optional<Presenter> presenter;  // none when no member has an A account
};

struct PeerGroups {
    Day as_of = 0;
    std::size_t reps = 0;
    int min_size = 0, max_size = 0;
    std::vector<PeerGroup> groups;
};

// The proposed groups of the portfolio's reps (account owners). `results`:
// every account's result, indexed by account slot (every_result() in
// plugin/engine.hpp), worked out once by the caller, who may use them for
// more (the report does). Takes a pass over the annual window's revenue
// records of its own.
PeerGroups group_reps(const Portfolio& portfolio, std::span<const Result> results);

// The report as JSON (shape in docs/peer-groups.md).
std::string peer_groups_json(const PeerGroups& groups);

}  // namespace crmtier
