#include "render.hpp"

#include <cmath>

#include "json_writer.hpp"

namespace crmtier {

const char* const kFeedbackQuestions[3] = {
    "What could we as a vendor do better?",
    "What new tasks and needs do you have?",
    "How could we be useful to you?",
};

namespace {

std::string_view source_name(Source s) {
    switch (s) {
        case Source::Own: return "own";
        case Source::Prior: return "prior_year";
        case Source::Lookalike: return "lookalikes";
    }
    return "?";
}

// Ratios are shown to 4 decimals: enough to see which side of a floor an
// account is on, and stable to print.
double shown_ratio(double r) { return std::round(r * 10000.0) / 10000.0; }

void optional_money(JsonWriter& w, const std::optional<Money>& m) {
    if (m) w.money(*m);
    else w.null();
}

}  // namespace

void render_result(const Portfolio& portfolio, const Result& r, std::string& out) {
    const Policy& p = portfolio.policy();
    const auto acc = portfolio.view(r.account);
    const std::string tier(1, tier_letter(r.tier));
    const std::string revenue_tier(1, tier_letter(r.revenue_tier));
    const Cadence& cadence = p.cadence[r.tier];

    out.reserve(out.size() + 1536);  // a result is about 1.2 kB
    JsonWriter w(out);
    w.begin_object();
    w.key("id").str(acc.id);
    w.key("tier").str(tier);
    w.key("revenue_tier").str(revenue_tier);
    w.key("annual_revenue").money(r.annual);
    w.key("prior_revenue").money(r.prior);
    w.key("lookalike_revenue");
    optional_money(w, r.lookalike);
    w.key("peers").uinteger(r.peers);
    w.key("potential").money(r.potential.value);
    w.key("benchmark").money(r.benchmark);
    w.key("temperature").integer(r.temperature);
    w.key("colour").str(colour_name(r.colour));
    w.key("colour_hex").str(colour_hex(r.colour));
    w.key("escalate").boolean(r.escalate);
    w.key("next_contact").date(r.contact.next);
    w.key("channel").str(cadence.channel);
    w.key("overdue_days").integer(r.contact.overdue_days);
    w.key("declining").boolean(r.decline.declining);
    w.key("decline_pct").integer(r.decline.pct);

    w.key("actions").begin_array();
    w.begin_object();
    w.key("action").str("contact");
    w.key("date").date(r.contact.next);
    w.key("channel").str(cadence.channel);
    w.end_object();
    if (r.escalate) {
        w.begin_object();
        w.key("action").str("rethink_approach");
        w.key("who").begin_array().str("rep").str("manager").end_array();
        w.key("why").str("category A client running blue: close to freezing");
        w.end_object();
    }
    if (r.decline.declining) {
        w.begin_object();
        w.key("action").str("request_feedback");
        w.key("questions").begin_array();
        for (const char* q : kFeedbackQuestions) w.str(q);
        w.end_array();
        w.end_object();
    }
    w.end_array();

    w.key("reasons").begin_array();
    // Potential: the number and where it came from.
    w.begin_object();
    w.key("code").str("potential");
    w.key("value").money(r.potential.value);
    w.key("source").str(source_name(r.potential.source));
    w.key("annual_revenue").money(r.annual);
    w.key("prior_revenue").money(r.prior);
    w.key("lookalike_revenue");
    optional_money(w, r.lookalike);
    w.key("profile");
    {
        const auto parts = portfolio.profile_parts(r.account);
        bool complete = !parts.empty();
        for (const auto& [attr, value] : parts) complete = complete && !value.empty();
        w.begin_object();
        for (const auto& [attr, value] : parts) {
            w.key(attribute_name(attr));
            if (value.empty()) w.null();
            else w.str(value);
        }
        w.end_object();
        w.key("profile_complete").boolean(complete);
    }
    w.key("peers").uinteger(r.peers);
    w.key("min_peers").integer(p.min_peers);
    w.end_object();
    // Benchmark and ratio: the tier.
    w.begin_object();
    w.key("code").str("tier");
    w.key("tier").str(tier);
    w.key("ratio").number(shown_ratio(ratio_of(r.potential.value, r.benchmark)));
    w.key("benchmark").money(r.benchmark);
    w.key("benchmark_method").str(benchmark_method_name(p.benchmark_method));
    if (p.benchmark_method == BenchmarkMethod::Percentile) w.key("benchmark_percentile").number(p.benchmark_percentile);
    if (p.benchmark_method == BenchmarkMethod::TopNMean) w.key("benchmark_top_n").integer(p.benchmark_top_n);
    w.key("floors").begin_object().key("A").number(p.tier_a).key("B").number(p.tier_b).end_object();
    w.end_object();
    // The same rule on R alone.
    w.begin_object();
    w.key("code").str("revenue_tier");
    w.key("tier").str(revenue_tier);
    w.key("ratio").number(shown_ratio(ratio_of(r.annual, r.benchmark)));
    w.end_object();
    // Temperature and colour.
    w.begin_object();
    w.key("code").str("temperature");
    w.key("value").integer(r.temperature);
    w.key("colour").str(colour_name(r.colour));
    w.end_object();
    if (r.escalate) {
        w.begin_object();
        w.key("code").str("escalate");
        w.key("tier").str(tier);
        w.key("colour").str(colour_name(r.colour));
        w.end_object();
    }
    if (r.decline.declining) {
        w.begin_object();
        w.key("code").str("decline");
        w.key("prior_revenue").money(r.prior);
        w.key("annual_revenue").money(r.annual);
        w.key("decline_pct").integer(r.decline.pct);
        w.key("threshold").number(p.decline_threshold);
        w.end_object();
    }
    // The cadence rule applied.
    w.begin_object();
    w.key("code").str("cadence");
    w.key("tier").str(tier);
    w.key("interval_days").integer(cadence.days);
    w.key("channel").str(cadence.channel);
    w.key("last_contact");
    if (acc.last_contact) w.date(*acc.last_contact);
    else w.null();
    w.key("next_contact").date(r.contact.next);
    w.key("overdue_days").integer(r.contact.overdue_days);
    w.end_object();
    w.end_array();
    w.end_object();
}

}  // namespace crmtier
