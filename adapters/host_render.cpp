#include "adapters/host_render.hpp"

#include <algorithm>

#include "adapters/evaluate.hpp"
#include "base/dates.hpp"
#include "base/json_writer.hpp"
#include "base/numbers.hpp"
#include "plugin/semantics.hpp"

namespace crmtier::adapters {

namespace json = boost::json;

FieldValue FieldsOfResult::get(ResultKey key) const {
    const Result& r = result_;
    const auto money = [](Money m) { return json::value(money_to_double(m)); };
    const auto text = [](std::string_view s) { return json::value(json::string(s.data(), s.size())); };
    switch (key) {
        case ResultKey::Id: return {text(portfolio_.view(r.account).id), {}};
        case ResultKey::Tier: return {text(std::string(1, tier_letter(r.tier))), {}};
        case ResultKey::RevenueTier: return {text(std::string(1, tier_letter(r.revenue_tier))), {}};
        case ResultKey::AnnualRevenue: return {money(r.annual), {}};
        case ResultKey::PriorRevenue: return {money(r.prior), {}};
        case ResultKey::LookalikeRevenue: return {r.lookalike ? money(*r.lookalike) : json::value(nullptr), {}};
        case ResultKey::Peers: return {json::value(static_cast<std::int64_t>(r.peers)), {}};
        case ResultKey::Potential: return {money(r.potential.value), {}};
        case ResultKey::Benchmark: return {money(r.benchmark), {}};
        case ResultKey::Temperature: return {json::value(static_cast<std::int64_t>(r.temperature)), {}};
        case ResultKey::Colour: return {text(colour_name(r.colour)), {}};
        case ResultKey::ColourHex: return {text(colour_hex(r.colour)), {}};
        case ResultKey::Escalate: return {json::value(r.escalate), {}};
        case ResultKey::NextContact: return {text(format_date(r.contact.next)), {}};
        case ResultKey::Channel: return {text(portfolio_.policy().cadence[r.tier].channel), {}};
        case ResultKey::OverdueDays: return {json::value(static_cast<std::int64_t>(r.contact.overdue_days)), {}};
        case ResultKey::Declining: return {json::value(r.decline.declining), {}};
        case ResultKey::DeclinePct: return {json::value(static_cast<std::int64_t>(r.decline.pct)), {}};
        case ResultKey::Actions:
        case ResultKey::Reasons: {
            FieldValue v;
            render_result(portfolio_, r, v.json, key == ResultKey::Actions ? ResultPart::Actions : ResultPart::Reasons);
            return v;
        }
    }
    return {};
}

namespace {

// msdyn_scoretrend: 0 Improving, 1 Steady, 2 Declining, 3 Not enough info.
json::value score_trend(const ResultFields& fields) {
    const json::value d = fields.get(ResultKey::Declining).scalar;
    if (d.is_bool() && d.get_bool()) return 2;
    const json::value r = fields.get(ResultKey::AnnualRevenue).scalar, p = fields.get(ResultKey::PriorRevenue).scalar;
    if (!is_number(r) || !is_number(p)) return 3;
    if (as_double(r) == 0 && as_double(p) == 0) return 3;
    return as_double(r) > as_double(p) ? 0 : 1;
}

// The text of a value: a structured field's JSON, a scalar's plain text.
std::string text_of(const FieldValue& v, std::size_t max_depth) {
    return v.structured() ? v.json : to_text(v.scalar, max_depth);
}

FieldValue value_of(const OutputField& f, const ResultFields& fields, std::size_t max_depth) {
    FieldValue v = f.from ? fields.get(*f.from) : FieldValue{f.constant, {}};
    if (f.map && !v.structured() && v.scalar.is_string())
        if (const json::value* m = f.map->if_contains(v.scalar.get_string())) v.scalar = *m;
    switch (f.format) {
        case Format::AsIs: break;
        case Format::JsonText:
            v = {json::string(v.structured() ? v.json : to_json(v.scalar, max_depth)), {}};
            break;
        case Format::String: v = {json::string(text_of(v, max_depth)), {}}; break;
        case Format::ScoreTrend: v = {score_trend(fields), {}}; break;
        case Format::IntIfDigits: {
            const std::string s = text_of(v, max_depth);
            if (!s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                v = {json::value(static_cast<std::int64_t>(std::stoll(s))), {}};
            else
                v = {json::string(s), {}};
            break;
        }
    }
    if (f.structured_as_text && v.structured()) v = {json::string(v.json), {}};
    if (f.stringify && (v.structured() || !v.scalar.is_string())) v = {json::string(text_of(v, max_depth)), {}};
    return v;
}

void write_members(std::string& out, const std::vector<OutputField>& members, const ResultFields& fields,
                   std::size_t max_depth) {
    out += '{';
    bool first = true;
    for (const OutputField& f : members) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, f.name);
        out += ':';
        if (f.object) {
            write_members(out, f.members, fields, max_depth);
            continue;
        }
        const FieldValue v = value_of(f, fields, max_depth);
        if (v.structured()) out += v.json;
        else write_json(out, v.scalar, max_depth);
    }
    out += '}';
}

}  // namespace

void render_host_result(const HostMapping& h, const ResultFields& fields, std::string& out) {
    write_members(out, h.output, fields, h.max_depth);
}

}  // namespace crmtier::adapters
