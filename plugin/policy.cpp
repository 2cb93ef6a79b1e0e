#include "plugin/policy.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/numbers.hpp"
#include "base/quote.hpp"
#include "plugin/records.hpp"

namespace crmtier {

namespace json = boost::json;

std::string_view attribute_name(Attribute a) {
    switch (a) {
        case Attribute::Size: return "size";
        case Attribute::Territory: return "territory";
        case Attribute::Industry: return "industry";
    }
    return "?";
}

std::string_view benchmark_method_name(BenchmarkMethod m) {
    switch (m) {
        case BenchmarkMethod::Max: return "max";
        case BenchmarkMethod::Percentile: return "percentile";
        case BenchmarkMethod::TopNMean: return "top_n_mean";
    }
    return "?";
}

namespace {

// Walks one JSON object, handing out its keys and failing on any key that no
// one asked for, so a typo is an error that names it.
class Section {
public:
    Section(const json::value& v, std::string path) : path_(std::move(path)) {
        if (!v.is_object()) fail(path_.empty() ? "the configuration" : path_, "expected an object");
        obj_ = &v.get_object();
    }

    const json::value* take(std::string_view key) {
        taken_.emplace_back(key);
        auto it = obj_->find(key);
        return it == obj_->end() ? nullptr : &it->value();
    }

    std::string path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    double number(std::string_view key, double def, double lo, double hi) {
        const json::value* v = take(key);
        if (!v) return def;
        double d;
        if (v->is_double()) d = v->get_double();
        else if (v->is_int64()) d = static_cast<double>(v->get_int64());
        else if (v->is_uint64()) d = static_cast<double>(v->get_uint64());
        else fail(path(key), "expected a number");
        if (!std::isfinite(d) || d < lo || d > hi)
            fail(path(key), "must be between " + num(lo) + " and " + num(hi));
        return d;
    }

    std::int64_t integer(std::string_view key, std::int64_t def, std::int64_t lo, std::int64_t hi) {
        const json::value* v = take(key);
        if (!v) return def;
        return as_integer(*v, path(key), lo, hi);
    }

    std::string string(std::string_view key, std::string def) {
        const json::value* v = take(key);
        if (!v) return def;
        if (!v->is_string() || v->get_string().empty()) fail(path(key), "expected a non-empty string");
        return std::string(v->get_string());
    }

    void finish() const {
        for (const auto& kv : *obj_) {
            bool known = false;
            for (const auto& t : taken_) known = known || t == kv.key();
            if (!known) fail(path(kv.key()), "unknown key");
        }
    }

    [[noreturn]] static void fail(const std::string& where, const std::string& why) {
        throw ConfigError("config: \"" + where + "\": " + why);
    }

    static std::int64_t as_integer(const json::value& v, const std::string& where, std::int64_t lo,
                                   std::int64_t hi) {
        std::int64_t i;
        if (v.is_int64()) i = v.get_int64();
        else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(hi)) i = static_cast<std::int64_t>(v.get_uint64());
        else if (v.is_double() && std::nearbyint(v.get_double()) == v.get_double() &&
                 std::fabs(v.get_double()) < 9e15)
            i = static_cast<std::int64_t>(v.get_double());
        else if (v.is_uint64()) i = hi + (hi < INT64_MAX ? 1 : 0);
        else fail(where, "expected a whole number");
        if (i < lo || i > hi) fail(where, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return i;
    }

private:
    static std::string num(double d) { return plain_number(d); }

    std::string path_;
    const json::object* obj_ = nullptr;
    std::vector<std::string> taken_;
};

Attribute parse_attribute(const json::value& v, const std::string& where) {
    if (v.is_string()) {
        const auto s = v.get_string();
        if (s == "size") return Attribute::Size;
        if (s == "territory") return Attribute::Territory;
        if (s == "industry") return Attribute::Industry;
    }
    Section::fail(where, "expected one of \"size\", \"territory\", \"industry\"");
}

}  // namespace

Policy parse_policy(std::string_view text) {
    json::value root;
    std::string dup;
    try {
        root = parse_json(text, Limits{}.max_depth, dup);
    } catch (const Error& e) {
        throw_error(e.status(), std::string("config: ") + e.what());
    }
    if (!dup.empty())
        throw ConfigError("config: " + quoted(dup) + ": duplicate key (it appears twice)");

    Policy p;
    Section top(root, "");
    if (const json::value* v = top.take("as_of"); v && !v->is_null()) {
        if (!v->is_string()) Section::fail("as_of", "expected a date as YYYY-MM-DD");
        Day d;
        std::string why;
        if (!parse_date(std::string_view(v->get_string().data(), v->get_string().size()), d, why))
            Section::fail("as_of", why);
        p.as_of = d;
    }
    p.host = top.string("host", p.host);
    p.revenue_window_days = static_cast<int>(top.integer("revenue_window_days", p.revenue_window_days, 1, 3660));

    if (const json::value* v = top.take("benchmark")) {
        Section s(*v, "benchmark");
        const std::string method = s.string("method", "percentile");
        if (method == "max") p.benchmark_method = BenchmarkMethod::Max;
        else if (method == "percentile") p.benchmark_method = BenchmarkMethod::Percentile;
        else if (method == "top_n_mean") p.benchmark_method = BenchmarkMethod::TopNMean;
        else Section::fail("benchmark.method", "expected \"max\", \"percentile\" or \"top_n_mean\"");
        p.benchmark_percentile = s.number("percentile", p.benchmark_percentile, 1e-9, 100);
        p.benchmark_top_n = static_cast<int>(s.integer("top_n", p.benchmark_top_n, 1, 1'000'000));
        s.finish();
    }

    if (const json::value* v = top.take("tiers")) {
        Section s(*v, "tiers");
        p.tier_a = s.number("A", p.tier_a, 1e-9, 1e9);
        p.tier_b = s.number("B", p.tier_b, 1e-9, 1e9);
        s.finish();
        if (p.tier_b > p.tier_a) Section::fail("tiers.B", "must not be above tiers.A");
    }

    if (const json::value* v = top.take("lookalike")) {
        Section s(*v, "lookalike");
        if (const json::value* a = s.take("attributes")) {
            if (!a->is_array()) Section::fail("lookalike.attributes", "expected an array");
            p.profile.clear();
            std::size_t i = 0;
            for (const auto& e : a->get_array()) {
                const std::string where = "lookalike.attributes[" + std::to_string(i++) + "]";
                const Attribute attr = parse_attribute(e, where);
                for (Attribute seen : p.profile)
                    if (seen == attr) Section::fail(where, "listed twice");
                p.profile.push_back(attr);
            }
            p.profile_given = true;
        }
        if (const json::value* e = s.take("size_band_edges")) {
            if (!e->is_array() || e->get_array().empty())
                Section::fail("lookalike.size_band_edges", "expected a non-empty array of whole numbers");
            p.size_band_edges.clear();
            std::size_t i = 0;
            for (const auto& x : e->get_array()) {
                const std::string where = "lookalike.size_band_edges[" + std::to_string(i++) + "]";
                const auto edge = Section::as_integer(x, where, 1, 1'000'000'000);
                if (!p.size_band_edges.empty() && edge <= p.size_band_edges.back())
                    Section::fail(where, "edges must increase");
                p.size_band_edges.push_back(edge);
            }
        }
        p.territory_depth = static_cast<int>(s.integer("territory_depth", p.territory_depth, 1, 16));
        p.min_peers = static_cast<int>(s.integer("min_peers", p.min_peers, 1, 1'000'000));
        p.lookalike_percentile = s.number("percentile", p.lookalike_percentile, 1e-9, 100);
        s.finish();
    }

    if (const json::value* v = top.take("colours")) {
        Section s(*v, "colours");
        static const char* names[] = {"red", "orange", "yellow", "lightblue"};
        for (int i = 0; i < 4; ++i)
            p.colour_floors[i] = static_cast<int>(s.integer(names[i], p.colour_floors[i], 0, 100));
        s.finish();
        for (int i = 1; i < 4; ++i)
            if (p.colour_floors[i] > p.colour_floors[i - 1])
                Section::fail(std::string("colours.") + names[i], std::string("must not be above colours.") + names[i - 1]);
    }

    if (const json::value* v = top.take("cadence")) {
        Section s(*v, "cadence");
        static const char* tiers[] = {"A", "B", "C", "D"};
        for (int i = 0; i < 4; ++i) {
            if (const json::value* c = s.take(tiers[i])) {
                Section cs(*c, std::string("cadence.") + tiers[i]);
                p.cadence[i].days = static_cast<int>(cs.integer("days", p.cadence[i].days, 1, 3650));
                p.cadence[i].channel = cs.string("channel", p.cadence[i].channel);
                cs.finish();
            }
        }
        s.finish();
    }

    if (const json::value* v = top.take("decline")) {
        Section s(*v, "decline");
        p.decline_threshold = s.number("threshold", p.decline_threshold, 1e-9, 1);
        s.finish();
    }

    if (const json::value* v = top.take("peer_groups")) {
        Section s(*v, "peer_groups");
        p.group_min = static_cast<int>(s.integer("min_size", p.group_min, 2, 50));
        p.group_max = static_cast<int>(s.integer("max_size", p.group_max, 2, 50));
        s.finish();
        if (p.group_min > p.group_max) Section::fail("peer_groups.min_size", "must not be above peer_groups.max_size");
    }

    if (const json::value* v = top.take("limits")) {
        Section s(*v, "limits");
        auto& l = p.limits;
        l.max_record_bytes = static_cast<std::size_t>(s.integer("max_record_bytes", static_cast<std::int64_t>(l.max_record_bytes), 64, std::int64_t(1) << 30));
        l.max_depth = static_cast<std::size_t>(s.integer("max_depth", static_cast<std::int64_t>(l.max_depth), 2, 1000));
        l.max_accounts = static_cast<std::size_t>(s.integer("max_accounts", static_cast<std::int64_t>(l.max_accounts), 1, std::int64_t(1) << 31));
        l.max_revenue_records = static_cast<std::size_t>(s.integer("max_revenue_records", static_cast<std::int64_t>(l.max_revenue_records), 1, std::int64_t(1) << 33));
        l.max_id_bytes = static_cast<std::size_t>(s.integer("max_id_bytes", static_cast<std::int64_t>(l.max_id_bytes), 1, 1 << 20));
        l.max_text_bytes = static_cast<std::size_t>(s.integer("max_text_bytes", static_cast<std::int64_t>(l.max_text_bytes), 1, 1 << 20));
        s.finish();
    }

    if (const json::value* v = top.take("currency")) {
        // {"company": "EUR", "rates": {"USD": 0.92}}: docs/semantics.md#canonical-records.
        Section s(*v, "currency");
        auto& c = p.limits.currency;
        const json::value* company = s.take("company");
        const json::value* r = s.take("rates");
        s.finish();
        if (company && !company->is_null()) {  // null: none
            if (!company->is_string() || !is_currency_code(std::string_view(company->get_string())))
                Section::fail("currency.company", "expected an ISO 4217 code such as \"EUR\" (3 capital letters), or null");
            c.company = std::string(company->get_string());
        }
        if (r && r->is_object() && !r->get_object().empty() && c.company.empty())
            Section::fail("currency.company", "missing: the company currency the rates convert to, an ISO 4217 code such as \"EUR\"");
        if (r) {
            if (!r->is_object()) Section::fail("currency.rates", "expected an object: currency code -> company currency units per unit");
            for (const auto& kv : r->get_object()) {
                const std::string code(kv.key());
                const std::string where = "currency.rates." + code;
                if (!is_currency_code(code)) Section::fail(where, "expected an ISO 4217 code (3 capital letters) as the key");
                if (code == c.company) Section::fail(where, "the company currency takes no rate");
                const json::value& x = kv.value();
                const double d = x.is_double() ? x.get_double() : x.is_int64() ? static_cast<double>(x.get_int64())
                                 : x.is_uint64() ? static_cast<double>(x.get_uint64()) : -1;
                if (!std::isfinite(d) || d <= 0 || d > 1e9) Section::fail(where, "expected a number above 0 (company currency units per unit)");
                c.rates[code] = d;
            }
        }
    }

    if (const json::value* v = top.take("adapters")) {
        if (!v->is_object()) Section::fail("adapters", "expected an object");
        p.adapters = v->get_object();
    }
    top.finish();
    return p;
}

}  // namespace crmtier
