// The policy: every configurable number of the Semantics, with its default.
// docs/configuration.md is the reference for the JSON keys parsed here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "base/dates.hpp"
#include "base/limits.hpp"

namespace crmtier {

enum class BenchmarkMethod { Max, Percentile, TopNMean };
enum class Attribute { Size, Territory, Industry };
enum Tier : int { TierA = 0, TierB = 1, TierC = 2, TierD = 3 };

struct Cadence {
    int days;
    std::string channel;
};

struct Policy {
    std::optional<Day> as_of;           // none: today (UTC)
    std::string host = "canonical";     // whose default profile applies
    int revenue_window_days = 365;

    BenchmarkMethod benchmark_method = BenchmarkMethod::Percentile;
    double benchmark_percentile = 95;
    int benchmark_top_n = 10;

    double tier_a = 0.80;  // p >= tier_a: A
    double tier_b = 0.45;  // p >= tier_b: B; potential > 0: C; else D

    std::vector<Attribute> profile = {Attribute::Size, Attribute::Territory, Attribute::Industry};
    bool profile_given = false;  // set explicitly, so a host's default does not apply
    std::vector<std::int64_t> size_band_edges = {10, 50, 250, 1000};
    int territory_depth = 2;
    int min_peers = 3;
    double lookalike_percentile = 75;

    // Temperature floors of red, orange, yellow, light blue; below: blue.
    std::array<int, 4> colour_floors = {80, 60, 40, 20};
    std::array<Cadence, 4> cadence = {{{30, "call_or_visit"}, {90, "call"}, {90, "call"}, {180, "email"}}};
    double decline_threshold = 0.20;

    int group_min = 3;
    int group_max = 6;

    Limits limits;
    boost::json::object adapters;  // handed to adapters::Registry as it is
};

// Parses a configuration JSON object. Throws ParseError (not JSON, not an
// object) or ConfigError (unknown key, with its full path; wrong type; value
// out of range).
Policy parse_policy(std::string_view json);

std::string_view attribute_name(Attribute a);
std::string_view benchmark_method_name(BenchmarkMethod m);

}  // namespace crmtier
