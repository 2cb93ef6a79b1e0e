#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "plugin/policy.hpp"

using namespace crmtier;

TEST_CASE("an empty configuration gives every default of the Semantics", "[policy]") {
    const Policy p = parse_policy("{}");
    CHECK(p.benchmark_method == BenchmarkMethod::Percentile);
    CHECK(p.benchmark_percentile == 95);
    CHECK(p.tier_a == 0.80);
    CHECK(p.tier_b == 0.45);
    CHECK(p.size_band_edges == std::vector<std::int64_t>{10, 50, 250, 1000});
    CHECK(p.territory_depth == 2);
    CHECK(p.min_peers == 3);
    CHECK(p.lookalike_percentile == 75);
    CHECK(p.cadence[TierA].days == 30);
    CHECK(p.cadence[TierA].channel == "call_or_visit");
    CHECK(p.cadence[TierB].days == 90);
    CHECK(p.cadence[TierC].days == 90);
    CHECK(p.cadence[TierD].days == 180);
    CHECK(p.cadence[TierD].channel == "email");
    CHECK(p.decline_threshold == 0.20);
    CHECK(p.revenue_window_days == 365);
    CHECK(p.group_min == 3);
    CHECK(p.group_max == 6);
}

TEST_CASE("an unknown key is an error that names it, at any depth", "[policy]") {
    CHECK_THROWS_WITH(parse_policy(R"({"benchmarks":{}})"), Catch::Contains("\"benchmarks\": unknown key"));
    CHECK_THROWS_WITH(parse_policy(R"({"benchmark":{"mehtod":"max"}})"),
                      Catch::Contains("\"benchmark.mehtod\": unknown key"));
    CHECK_THROWS_WITH(parse_policy(R"({"cadence":{"A":{"dayz":3}}})"), Catch::Contains("cadence.A.dayz"));
    CHECK_THROWS_AS(parse_policy(R"({"x":1})"), ConfigError);
}

TEST_CASE("wrong types and values out of range are refused with the key", "[policy]") {
    CHECK_THROWS_WITH(parse_policy(R"({"tiers":{"A":"high"}})"), Catch::Contains("tiers.A"));
    CHECK_THROWS_WITH(parse_policy(R"({"tiers":{"A":0.4,"B":0.5}})"), Catch::Contains("tiers.B"));
    CHECK_THROWS_WITH(parse_policy(R"({"benchmark":{"method":"median"}})"), Catch::Contains("benchmark.method"));
    CHECK_THROWS_WITH(parse_policy(R"({"lookalike":{"size_band_edges":[10,5]}})"), Catch::Contains("size_band_edges[1]"));
    CHECK_THROWS_WITH(parse_policy(R"({"lookalike":{"attributes":["size","colour"]}})"), Catch::Contains("attributes[1]"));
    CHECK_THROWS_WITH(parse_policy(R"({"as_of":"2026-02-30"})"), Catch::Contains("as_of"));
    CHECK_THROWS_WITH(parse_policy(R"({"peer_groups":{"min_size":7}})"), Catch::Contains("peer_groups.min_size"));
    CHECK_THROWS_AS(parse_policy("[1,2]"), ConfigError);
    CHECK_THROWS_AS(parse_policy("{"), ParseError);
}

TEST_CASE("configured values are taken", "[policy]") {
    const Policy p = parse_policy(R"({"as_of":"2026-01-31","benchmark":{"method":"top_n_mean","top_n":5},
        "tiers":{"A":0.9,"B":0.5},"lookalike":{"attributes":["territory","industry"],"territory_depth":1,
        "min_peers":5,"percentile":50},"colours":{"red":90,"orange":70,"yellow":50,"lightblue":10},
        "cadence":{"A":{"days":14,"channel":"visit"}},"decline":{"threshold":0.3}})");
    CHECK(p.benchmark_method == BenchmarkMethod::TopNMean);
    CHECK(p.benchmark_top_n == 5);
    CHECK(p.tier_a == 0.9);
    CHECK(p.profile == std::vector<Attribute>{Attribute::Territory, Attribute::Industry});
    CHECK(p.profile_given);
    CHECK(p.territory_depth == 1);
    CHECK(p.min_peers == 5);
    CHECK(p.colour_floors[0] == 90);
    CHECK(p.cadence[TierA].days == 14);
    CHECK(p.cadence[TierA].channel == "visit");
    CHECK(p.cadence[TierB].days == 90);
    CHECK(p.decline_threshold == 0.3);
    REQUIRE(p.as_of);
}
