// Writes results as canonical JSON (docs/semantics.md#result): the one
// rendering of a result, which host adapters take the actions and reasons of.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "plugin/portfolio.hpp"

namespace crmtier {

// The keys of a canonical result, in the order render_result() writes them.
enum class ResultKey : int {
    Id, Tier, RevenueTier, AnnualRevenue, PriorRevenue, LookalikeRevenue, Peers, Potential, Benchmark,
    Temperature, Colour, ColourHex, Escalate, NextContact, Channel, OverdueDays, Declining, DeclinePct,
    Actions, Reasons
};
inline constexpr std::string_view kResultKeys[] = {
    "id",          "tier",      "revenue_tier", "annual_revenue", "prior_revenue", "lookalike_revenue", "peers",
    "potential",   "benchmark", "temperature",  "colour",         "colour_hex",    "escalate",          "next_contact",
    "channel",     "overdue_days", "declining", "decline_pct",    "actions",       "reasons"};
inline constexpr std::size_t kResultKeyCount = std::size(kResultKeys);

// The key of that name, or none.
inline std::optional<ResultKey> result_key(std::string_view name) {
    for (std::size_t i = 0; i < kResultKeyCount; ++i)
        if (kResultKeys[i] == name) return static_cast<ResultKey>(i);
    return std::nullopt;
}
inline std::string_view result_key_name(ResultKey k) { return kResultKeys[static_cast<std::size_t>(k)]; }

// What render_result() writes: the whole result object, or the JSON array of
// its "actions" or of its "reasons" alone (the very same text), or the object
// with some of its keys (render_result_fields()).
enum class ResultPart { Whole, Actions, Reasons, Fields };

// A set of result keys: bit (1 << k) for ResultKey k.
using ResultKeys = std::uint32_t;
inline constexpr ResultKeys result_key_bit(ResultKey k) { return ResultKeys{1} << static_cast<int>(k); }

// One account's canonical result (or the part asked for), appended to `out`.
void render_result(const Portfolio& portfolio, const Result& r, std::string& out,
                   ResultPart part = ResultPart::Whole);
// The canonical result object with only the keys in `keys`, in the whole
// result's order, each key and value the very text render_result() writes
// (the whole result is rendered; the rest is left out), appended to `out`.
void render_result_fields(const Portfolio& portfolio, const Result& r, ResultKeys keys, std::string& out);

// The three questions of "ask that client for feedback".
extern const char* const kFeedbackQuestions[3];

}  // namespace crmtier
