#include "plugin/render.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "base/json_writer.hpp"

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

// The "request_feedback" action is the same in every result: written once.
std::string_view feedback_action() {
    static const std::string text = [] {
        std::string s;
        JsonWriter w(s);
        w.begin_object();
        w.key("action").str("request_feedback");
        w.key("questions").begin_array();
        for (const char* q : kFeedbackQuestions) w.str(q);
        w.end_array();
        w.end_object();
        return s;
    }();
    return text;
}

// A result is rendered into one buffer with room for its longest form (see
// kFixedRoom), so no write checks for room or appends to a std::string: the
// text between values is copied in runs whose sizes are known at compile
// time, and each value goes in place through the writers of json_writer.hpp.
class Out {
public:
    explicit Out(char* p) : p_(p) {}
    char* end() const { return p_; }

    template <std::size_t N>
    Out& text(const char (&s)[N]) {
        std::memcpy(p_, s, N - 1);
        p_ += N - 1;
        return *this;
    }
    Out& text(std::string_view s) {
        json_detail::copy_chars(p_, s.data(), s.size());
        p_ += s.size();
        return *this;
    }
    Out& letter(char c) {
        *p_++ = c;
        return *this;
    }
    // The engine's own names (colours, methods, attributes): nothing to escape.
    Out& name(std::string_view s) {
        *p_++ = '"';
        text(s);
        *p_++ = '"';
        return *this;
    }
    Out& str(std::string_view s) {
        p_ = write_json_string(p_, s);
        return *this;
    }
    Out& money(Money m) {
        p_ = write_money(p_, m);
        return *this;
    }
    Out& number(double v) {
        p_ = write_number(p_, v);
        return *this;
    }
    template <class Int>
    Out& integer(Int v) {
        p_ = std::to_chars(p_, p_ + 20, v).ptr;
        return *this;
    }
    Out& date(Day d) {
        *p_++ = '"';
        p_ = write_date(p_, d);
        *p_++ = '"';
        return *this;
    }
    Out& boolean(bool b) { return b ? text("true") : text("false"); }
    // What `write` writes, kept to be written again where the result repeats
    // it (an amount shows up to four times, the channel three).
    template <class F>
    std::string_view keep(F&& write) {
        const char* from = p_;
        write(*this);
        return {from, static_cast<std::size_t>(p_ - from)};
    }

private:
    char* p_;
};

// Room for everything of a result but its untrusted strings: its constant
// text and names take under 1.4 kB with every optional part, and its values
// under 1.1 kB at their longest (14 amounts of kMoneyChars, 6 doubles of
// kNumberChars, 11 integers of 20 characters, 4 dates of 12, 3 booleans).
constexpr std::size_t kFixedRoom = 4096;
// Room for one profile attribute besides its quoted value: a comma, the
// quoted key and a colon (13 at most), or all that and null.
constexpr std::size_t kAttributeRoom = 20;

// The result of `r`, or the part asked for, appended to `out`. A template,
// so that writing a whole result (every save, every cursor step) carries
// nothing of the parts.
template <ResultPart Part>
void render(const Portfolio& portfolio, const Result& r, std::string& out, ResultKeys keys = 0) {
    const Policy& p = portfolio.policy();
    const auto acc = portfolio.view(r.account);
    const std::string_view id = acc.id;
    const Cadence& cadence = p.cadence[r.tier];
    const char tier = tier_letter(r.tier);
    const char revenue_tier = tier_letter(r.revenue_tier);
    const std::string_view colour = colour_name(r.colour);

    // The profile's values in policy order, "" where missing (the policy
    // lists each of the three attributes at most once).
    const std::size_t attributes = std::min<std::size_t>(p.profile.size(), 3);
    std::string scratch[3];
    std::string_view values[3];
    for (std::size_t i = 0; i < attributes; ++i) values[i] = portfolio.attribute_value(r.account, p.profile[i], scratch[i]);

    std::size_t room = kFixedRoom + json_string_bound(id.size()) + 3 * json_string_bound(cadence.channel.size());
    for (std::size_t i = 0; i < attributes; ++i) room += kAttributeRoom + json_string_bound(values[i].size());
    char stack[8192];  // room for every result with short ids, channels and profile values
    std::unique_ptr<char[]> heap;
    char* const buf = room <= sizeof stack ? stack : (heap = std::make_unique_for_overwrite<char[]>(room)).get();

    Out o(buf);
    // Where each key starts (at the "," or "{" before it): the spans
    // ResultPart::Fields copies.
    const char* at[kResultKeyCount + 1];
    const auto mark = [&](ResultKey k) { at[static_cast<std::size_t>(k)] = o.end(); };
    mark(ResultKey::Id);
    o.text(R"({"id":)").str(id);
    mark(ResultKey::Tier);
    o.text(R"(,"tier":")").letter(tier).letter('"');
    mark(ResultKey::RevenueTier);
    o.text(R"(,"revenue_tier":")").letter(revenue_tier).letter('"');
    mark(ResultKey::AnnualRevenue);
    o.text(R"(,"annual_revenue":)");
    const auto annual = o.keep([&](Out& x) { x.money(r.annual); });
    mark(ResultKey::PriorRevenue);
    o.text(R"(,"prior_revenue":)");
    const auto prior = o.keep([&](Out& x) { x.money(r.prior); });
    mark(ResultKey::LookalikeRevenue);
    o.text(R"(,"lookalike_revenue":)");
    const auto lookalike = o.keep([&](Out& x) { r.lookalike ? x.money(*r.lookalike) : x.text("null"); });
    mark(ResultKey::Peers);
    o.text(R"(,"peers":)");
    const auto peers = o.keep([&](Out& x) { x.integer(r.peers); });
    mark(ResultKey::Potential);
    o.text(R"(,"potential":)");
    const auto potential = o.keep([&](Out& x) { x.money(r.potential.value); });
    mark(ResultKey::Benchmark);
    o.text(R"(,"benchmark":)");
    const auto benchmark = o.keep([&](Out& x) { x.money(r.benchmark); });
    mark(ResultKey::Temperature);
    o.text(R"(,"temperature":)");
    const auto temperature = o.keep([&](Out& x) { x.integer(r.temperature); });
    mark(ResultKey::Colour);
    o.text(R"(,"colour":)").name(colour);
    mark(ResultKey::ColourHex);
    o.text(R"(,"colour_hex":)").name(colour_hex(r.colour));
    mark(ResultKey::Escalate);
    o.text(R"(,"escalate":)").boolean(r.escalate);
    mark(ResultKey::NextContact);
    o.text(R"(,"next_contact":)");
    const auto next_contact = o.keep([&](Out& x) { x.date(r.contact.next); });
    mark(ResultKey::Channel);
    o.text(R"(,"channel":)");
    const auto channel = o.keep([&](Out& x) { x.str(cadence.channel); });
    mark(ResultKey::OverdueDays);
    o.text(R"(,"overdue_days":)");
    const auto overdue_days = o.keep([&](Out& x) { x.integer(r.contact.overdue_days); });
    mark(ResultKey::Declining);
    o.text(R"(,"declining":)").boolean(r.decline.declining);
    mark(ResultKey::DeclinePct);
    o.text(R"(,"decline_pct":)");
    const auto decline_pct = o.keep([&](Out& x) { x.integer(r.decline.pct); });

    mark(ResultKey::Actions);
    o.text(R"(,"actions":)");
    const char* const actions = o.end();
    o.text(R"([{"action":"contact","date":)").text(next_contact);
    o.text(R"(,"channel":)").text(channel).text("}");
    if (r.escalate)
        o.text(R"(,{"action":"rethink_approach","who":["rep","manager"],)"
               R"("why":"category A client running blue: close to freezing"})");
    if (r.decline.declining) o.text(",").text(feedback_action());
    o.text("]");
    const char* const actions_end = o.end();

    mark(ResultKey::Reasons);
    o.text(R"(,"reasons":)");
    const char* const reasons = o.end();
    o.text("[");
    // Potential: the number and where it came from.
    o.text(R"({"code":"potential","value":)").text(potential);
    o.text(R"(,"source":)").name(source_name(r.potential.source));
    o.text(R"(,"annual_revenue":)").text(annual);
    o.text(R"(,"prior_revenue":)").text(prior);
    o.text(R"(,"lookalike_revenue":)").text(lookalike);
    o.text(R"(,"profile":{)");
    bool complete = attributes > 0;
    for (std::size_t i = 0; i < attributes; ++i) {
        const std::string_view value = values[i];
        if (i) o.text(",");
        o.name(attribute_name(p.profile[i])).text(":");
        if (value.empty()) o.text("null");
        else o.str(value);
        complete = complete && !value.empty();
    }
    o.text(R"(},"profile_complete":)").boolean(complete);
    o.text(R"(,"peers":)").text(peers);
    o.text(R"(,"min_peers":)").integer(p.min_peers).text("}");
    // Benchmark and ratio: the tier.
    o.text(R"(,{"code":"tier","tier":")").letter(tier);
    o.text(R"(","ratio":)").number(shown_ratio(ratio_of(r.potential.value, r.benchmark)));
    o.text(R"(,"benchmark":)").text(benchmark);
    o.text(R"(,"benchmark_method":)").name(benchmark_method_name(p.benchmark_method));
    if (p.benchmark_method == BenchmarkMethod::Percentile)
        o.text(R"(,"benchmark_percentile":)").number(p.benchmark_percentile);
    if (p.benchmark_method == BenchmarkMethod::TopNMean) o.text(R"(,"benchmark_top_n":)").integer(p.benchmark_top_n);
    o.text(R"(,"floors":{"A":)").number(p.tier_a).text(R"(,"B":)").number(p.tier_b).text("}}");
    // The same rule on R alone.
    o.text(R"(,{"code":"revenue_tier","tier":")").letter(revenue_tier);
    o.text(R"(","ratio":)").number(shown_ratio(ratio_of(r.annual, r.benchmark))).text("}");
    // Temperature and colour.
    o.text(R"(,{"code":"temperature","value":)").text(temperature);
    o.text(R"(,"colour":)").name(colour).text("}");
    if (r.escalate) {
        o.text(R"(,{"code":"escalate","tier":")").letter(tier);
        o.text(R"(","colour":)").name(colour).text("}");
    }
    if (r.decline.declining) {
        o.text(R"(,{"code":"decline","prior_revenue":)").text(prior);
        o.text(R"(,"annual_revenue":)").text(annual);
        o.text(R"(,"decline_pct":)").text(decline_pct);
        o.text(R"(,"threshold":)").number(p.decline_threshold).text("}");
    }
    // The cadence rule applied.
    o.text(R"(,{"code":"cadence","tier":")").letter(tier);
    o.text(R"(","interval_days":)").integer(cadence.days);
    o.text(R"(,"channel":)").text(channel);
    o.text(R"(,"last_contact":)");
    if (acc.last_contact) o.date(*acc.last_contact);
    else o.text("null");
    o.text(R"(,"next_contact":)").text(next_contact);
    o.text(R"(,"overdue_days":)").text(overdue_days);
    o.text("}]");
    const char* const reasons_end = o.end();
    at[kResultKeyCount] = o.end();
    o.text("}");

    assert(static_cast<std::size_t>(o.end() - buf) <= room);
    if constexpr (Part == ResultPart::Whole) out.append(buf, o.end());
    if constexpr (Part == ResultPart::Actions) out.append(actions, actions_end);
    if constexpr (Part == ResultPart::Reasons) out.append(reasons, reasons_end);
    if constexpr (Part != ResultPart::Fields) (void)keys;
    if constexpr (Part == ResultPart::Fields) {
        out.push_back('{');
        bool first = true;
        for (std::size_t k = 0; k < kResultKeyCount; ++k) {
            if (!(keys & result_key_bit(static_cast<ResultKey>(k)))) continue;
            if (!first) out.push_back(',');
            out.append(at[k] + 1, at[k + 1]);  // past its "," or "{"
            first = false;
        }
        out.push_back('}');
    }
}

}  // namespace

void render_result(const Portfolio& portfolio, const Result& r, std::string& out, ResultPart part) {
    switch (part) {
        case ResultPart::Whole: return render<ResultPart::Whole>(portfolio, r, out);
        case ResultPart::Actions: return render<ResultPart::Actions>(portfolio, r, out);
        case ResultPart::Reasons: return render<ResultPart::Reasons>(portfolio, r, out);
        case ResultPart::Fields: return render<ResultPart::Fields>(portfolio, r, out, ~ResultKeys{0});
    }
}

void render_result_fields(const Portfolio& portfolio, const Result& r, ResultKeys keys, std::string& out) {
    render<ResultPart::Fields>(portfolio, r, out, keys);
}

}  // namespace crmtier
