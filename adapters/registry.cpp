// The mapping engine: one small interpreter for the host mapping descriptions
// in adapters/mappings/*.json (embedded at build time), plus the handful of
// conversions hosts need (dates and date-times, numbers written as text, Odoo
// many2one pairs, Dataverse formatted values). docs/adapters.md describes the
// mapping format; adding a host is a new mapping file and a fixture.
#include "registry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

#include "base/dates.hpp"
#include "base/errors.hpp"
#include "base/json_writer.hpp"
#include "base/lines.hpp"
#include "base/numbers.hpp"
#include "base/quote.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "csv_reader.hpp"
#include "embedded_mappings.hpp"

namespace crmtier::adapters {

namespace json = boost::json;
using namespace detail;

namespace {

// The keys of a canonical result, in order (MISSION.md).
constexpr std::string_view kResultKeys[] = {
    "id",          "tier",       "revenue_tier", "annual_revenue", "prior_revenue", "lookalike_revenue", "peers",
    "potential",   "benchmark",  "temperature",  "colour",         "colour_hex",    "escalate",          "next_contact",
    "channel",     "overdue_days", "declining",  "decline_pct",    "actions",       "reasons"};

constexpr int kMaxSpecDepth = 16;          // nesting of conditions / value specs in a mapping
constexpr const char* kFormatted = "@OData.Community.Display.V1.FormattedValue";

struct Mapping {
    std::string name;
    json::object spec;
};

const std::vector<Mapping>& mappings() {
    static const std::vector<Mapping> all = [] {
        std::vector<Mapping> v;
        for (std::size_t i = 0; i < kEmbeddedMappingCount; ++i) {
            json::value doc = json::parse(kEmbeddedMappings[i].text);
            json::object& o = doc.as_object();
            std::string name(o.at("adapter").as_string());
            v.push_back({std::move(name), std::move(o)});
        }
        std::sort(v.begin(), v.end(), [](const Mapping& a, const Mapping& b) { return a.name < b.name; });
        return v;
    }();
    return all;
}

std::string sv(json::string_view s) { return std::string(s.data(), s.size()); }

std::string kind_name(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
    }
    return "a value";
}

std::string lower_trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A scalar as plain text: strings as they are, numbers as a host reads them
// (append_decimal), true/false, "" for null; arrays and objects as compact JSON.
std::string to_text(const json::value& v, std::size_t max_depth) {
    switch (v.kind()) {
    case json::kind::null: return {};
    case json::kind::string: return std::string(v.get_string());
    default: return to_json(v, max_depth);
    }
}

bool is_number(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double as_double(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return v.get_double();
}

bool json_equal(const json::value& a, const json::value& b) {
    if (is_number(a) && is_number(b)) {
        if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
        return as_double(a) == as_double(b);
    }
    return a == b;
}

const json::value* lookup(const json::value& root, const json::value& path) {
    if (path.is_string()) {
        const json::object* o = root.if_object();
        return o ? o->if_contains(path.get_string()) : nullptr;
    }
    const json::value* cur = &root;
    for (const json::value& step : path.as_array()) {
        if (step.is_string()) {
            const json::object* o = cur->if_object();
            if (!o) return nullptr;
            cur = o->if_contains(step.get_string());
        } else {
            const json::array* a = cur->if_array();
            std::uint64_t i = step.to_number<std::uint64_t>();
            if (!a || i >= a->size()) return nullptr;
            cur = &(*a)[static_cast<std::size_t>(i)];
        }
        if (!cur) return nullptr;
    }
    return cur;
}

std::string path_name(const json::value& path) {
    if (path.is_string()) return sv(path.get_string());
    std::string out;
    for (const json::value& step : path.as_array()) {
        if (!out.empty()) out += '.';
        out += step.is_string() ? sv(step.get_string()) : std::to_string(step.to_number<std::uint64_t>());
    }
    return out;
}

// One adapter as configured for this installation.
struct Host {
    const Mapping* m = nullptr;
    std::string name;
    json::object settings;       // effective settings: mapping defaults + installation values
    json::object output_fields;  // result key -> field name (string) or null (left out)
    json::array records;         // the mapping's record kinds, with the installation's input_fields
    // csv only
    char delimiter = 0;          // 0: detect from the header
    bool decimal_comma = false;
    std::map<std::string, std::map<std::string, std::string>> columns;  // file kind -> key -> column
    std::size_t max_depth = 64;  // limits.max_depth: JSON nesting of host input

    const json::object& spec() const { return m->spec; }
};

// The record being translated, for lookups and messages.
struct Ctx {
    const Host& h;
    const json::value& rec;
    std::string label;  // e.g. salesforce Opportunity "006xx"
    const std::map<std::string, std::string>* names = nullptr;  // csv: key -> column header

    std::string field(const json::value& path) const {
        std::string n = path_name(path);
        if (names) {
            auto it = names->find(n);
            if (it != names->end()) return it->second;
        }
        return n;
    }
    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw RecordError(label + ": field \"" + field + "\": " + why);
    }
};

bool is_null_value(const Host& h, const json::value* v) {
    if (!v || v->is_null()) return true;
    if (const json::value* nv = h.spec().if_contains("null_values"))
        for (const json::value& n : nv->as_array())
            if (json_equal(*v, n)) return true;
    return false;
}

std::string spec_field_name(const Ctx& c, const json::object& spec, int depth) {
    if (depth > kMaxSpecDepth) throw std::logic_error("adapter mapping nested too deeply");
    if (const json::value* p = spec.if_contains("path")) return c.field(*p);
    if (const json::value* first = spec.if_contains("first"); first && !first->as_array().empty())
        return spec_field_name(c, first->as_array()[0].as_object(), depth + 1);  // the host's usual field
    const json::value* parts = spec.if_contains("join");
    const char* sep = " and ";
    std::string out;
    if (parts)
        for (const json::value& part : parts->as_array()) {
            if (!out.empty()) out += sep;
            out += spec_field_name(c, part.as_object(), depth + 1);
        }
    return out;
}

bool eval_cond(const Ctx& c, const json::object& cond, int depth = 0);

json::value convert(const Ctx& c, const json::value& v, std::string_view conv, const std::string& field) {
    if (conv == "string" || conv == "formatted") {
        if (v.is_string()) return v;
        if (is_number(v)) return json::string(to_text(v, c.h.max_depth));
        c.fail(field, "expected a string, found " + kind_name(v));
    }
    if (conv == "id") {
        if (v.is_string()) {
            if (v.get_string().empty()) c.fail(field, "must not be empty");
            return v;
        }
        if (v.is_int64() || v.is_uint64()) return json::string(to_text(v, c.h.max_depth));
        c.fail(field, "expected an id (a string or an integer), found " + kind_name(v));
    }
    if (conv == "integer") {
        if (v.is_int64()) return v;
        if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return json::value(static_cast<std::int64_t>(v.get_uint64()));
        if (v.is_double()) {
            if (auto w = parse_whole(to_text(v, c.h.max_depth))) return json::value(*w);
        }
        if (v.is_string()) {
            if (auto w = parse_whole(std::string_view(v.get_string().data(), v.get_string().size()))) return json::value(*w);
            c.fail(field, "expected an integer, found " + quoted(v.get_string()));
        }
        c.fail(field, "expected an integer, found " + kind_name(v));
    }
    if (conv == "number") {
        if (is_number(v)) return json::value(as_double(v));
        if (v.is_string()) {
            if (auto d = parse_decimal(std::string_view(v.get_string().data(), v.get_string().size())))
                return json::value(*d);
            c.fail(field, "expected a number, found " + quoted(v.get_string()));
        }
        c.fail(field, "expected a number, found " + kind_name(v));
    }
    if (conv == "date") {
        std::optional<Day> d;
        if (v.is_string()) {
            std::string_view s(v.get_string().data(), v.get_string().size());
            bool all_digits = s.size() >= 9 && s.size() <= 15 &&
                              std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
            d = all_digits ? day_from_epoch_ms(std::stoll(std::string(s))) : parse_date_time(s);
            if (!d) c.fail(field, "expected a date (YYYY-MM-DD or an ISO 8601 date-time), found " + quoted(s));
        } else if (v.is_int64()) {
            d = day_from_epoch_ms(v.get_int64());
            if (!d) c.fail(field, "expected a date, found a number out of range");
        } else {
            c.fail(field, "expected a date (YYYY-MM-DD or an ISO 8601 date-time), found " + kind_name(v));
        }
        return json::string(format_date(*d));
    }
    if (conv == "many2one_id" || conv == "many2one_name") {
        const json::array* a = v.if_array();
        bool id = conv == "many2one_id";
        if (id && (v.is_int64() || v.is_uint64())) return json::string(to_text(v, c.h.max_depth));
        if (a && a->size() == 2 && ((*a)[0].is_int64() || (*a)[0].is_uint64()) && (*a)[1].is_string())
            return id ? json::value(json::string(to_text((*a)[0], c.h.max_depth))) : (*a)[1];
        c.fail(field, "expected a many2one value [id, \"name\"] or false, found " + kind_name(v));
    }
    throw std::logic_error("adapter mapping: unknown conversion \"" + std::string(conv) + "\"");
}

std::optional<json::value> eval_value(const Ctx& c, const json::object& spec, int depth = 0) {
    if (depth > kMaxSpecDepth) throw std::logic_error("adapter mapping nested too deeply");
    if (const json::value* k = spec.if_contains("const")) return *k;
    if (const json::value* parts = spec.if_contains("join")) {
        std::string sep = "/";
        if (const json::value* s = spec.if_contains("separator")) sep = sv(s->as_string());
        std::string out;
        for (const json::value& part : parts->as_array()) {
            auto v = eval_value(c, part.as_object(), depth + 1);
            if (!v) break;
            std::string s = to_text(*v, c.h.max_depth);
            if (s.empty()) break;
            if (!out.empty()) out += sep;
            out += s;
        }
        if (out.empty()) return std::nullopt;
        return json::value(json::string(out));
    }
    if (const json::value* parts = spec.if_contains("first")) {
        for (const json::value& part : parts->as_array())
            if (auto v = eval_value(c, part.as_object(), depth + 1)) return v;
        return std::nullopt;
    }
    const json::value& path = spec.at("path");
    std::string_view conv = "string";
    if (const json::value* cv = spec.if_contains("convert")) conv = std::string_view(cv->as_string().data(), cv->as_string().size());
    if (conv == "formatted" && path.is_string() && c.rec.is_object()) {
        std::string key = sv(path.get_string()) + kFormatted;
        const json::value* ann = c.rec.get_object().if_contains(key);
        if (ann && ann->is_string() && !ann->get_string().empty()) return *ann;
    }
    const json::value* raw = lookup(c.rec, path);
    if (is_null_value(c.h, raw)) return std::nullopt;
    json::value v = convert(c, *raw, conv, c.field(path));
    if (const json::value* neg = spec.if_contains("negate_when"); neg && v.is_double() && eval_cond(c, neg->as_object(), depth + 1))
        v = -v.get_double();
    if (const json::value* prefix = spec.if_contains("prefix"))
        v = json::string(sv(prefix->as_string()) + sv(v.as_string()));
    return v;
}

bool eval_cond(const Ctx& c, const json::object& cond, int depth) {
    if (depth > kMaxSpecDepth) throw std::logic_error("adapter mapping nested too deeply");
    if (const json::value* all = cond.if_contains("all")) {
        for (const json::value& sub : all->as_array())
            if (!eval_cond(c, sub.as_object(), depth + 1)) return false;
        return true;
    }
    if (const json::value* any = cond.if_contains("any")) {
        for (const json::value& sub : any->as_array())
            if (eval_cond(c, sub.as_object(), depth + 1)) return true;
        return false;
    }
    if (const json::value* n = cond.if_contains("not")) return !eval_cond(c, n->as_object(), depth + 1);
    const json::value* v = lookup(c.rec, cond.at("path"));
    if (const json::value* e = cond.if_contains("exists")) return (v && !v->is_null()) == e->as_bool();
    if (!v) return false;
    if (const json::value* e = cond.if_contains("equals")) return json_equal(*v, *e);
    if (const json::value* in = cond.if_contains("in")) {
        for (const json::value& x : in->as_array())
            if (json_equal(*v, x)) return true;
        return false;
    }
    if (const json::value* s = cond.if_contains("in_setting")) {
        const json::value* list = c.h.settings.if_contains(s->as_string());
        if (list && list->is_array())
            for (const json::value& x : list->get_array())
                if (json_equal(*v, x)) return true;
        return false;
    }
    if (const json::value* s = cond.if_contains("contains")) {
        return v->is_string() &&
               std::string_view(v->get_string().data(), v->get_string().size()).find(
                   std::string_view(s->as_string().data(), s->as_string().size())) != std::string_view::npos;
    }
    if (const json::value* s = cond.if_contains("starts_with")) {
        return v->is_string() &&
               std::string_view(v->get_string().data(), v->get_string().size()).rfind(
                   std::string_view(s->as_string().data(), s->as_string().size()), 0) == 0;
    }
    if (const json::value* t = cond.if_contains("type")) {
        json::string_view want = t->as_string();
        if (want == "array") return v->is_array();
        if (want == "object") return v->is_object();
        if (want == "string") return v->is_string();
        if (want == "boolean") return v->is_bool();
        if (want == "number") return is_number(*v);
        return false;
    }
    throw std::logic_error("adapter mapping: condition without a test");
}

void check_required(const Ctx& c, const json::object& req) {
    const json::value& path = req.at("path");
    const json::value* v = lookup(c.rec, path);
    if (!v || v->is_null()) {
        if (const json::value* o = req.if_contains("optional"); o && o->as_bool()) return;
        c.fail(c.field(path), "missing");
    }
    json::string_view type = req.at("type").as_string();
    bool ok = (type == "boolean" && v->is_bool()) || (type == "string" && v->is_string()) ||
              (type == "integer" && (v->is_int64() || v->is_uint64())) || (type == "number" && is_number(*v));
    if (!ok) c.fail(c.field(path), "expected " + std::string(type == "integer" ? "an " : "a ") + sv(type) + ", found " + kind_name(*v));
}

void translate_record(const Host& h, const json::value& rec, std::size_t line, std::vector<Translated>& out,
                      const std::map<std::string, std::string>* names = nullptr) {
    if (!rec.is_object())
        throw RecordError(h.name + ": expected a JSON object (one " + h.name + " record), found " + kind_name(rec));
    const json::object& spec = h.spec();
    Ctx probe{h, rec, h.name + " record", names};
    const json::object* kind = nullptr;
    for (const json::value& r : h.records) {
        if (eval_cond(probe, r.as_object().at("match").as_object())) {
            kind = &r.as_object();
            break;
        }
    }
    if (!kind) {
        const json::object& u = spec.at("unmatched").as_object();
        probe.fail(sv(u.at("field").as_string()), sv(u.at("message").as_string()));
    }
    const std::string canonical = sv(kind->at("canonical").as_string());
    Ctx c{h, rec, h.name + " " + sv(kind->at("type").as_string()), names};

    // The id: the host's own record id, shown in messages; the canonical id may add a prefix.
    json::object idspec = kind->at("id").as_object();
    std::string prefix;
    if (const json::value* p = idspec.if_contains("prefix")) prefix = sv(p->as_string());
    idspec.erase("prefix");
    auto idv = eval_value(c, idspec);
    if (!idv) c.fail(spec_field_name(c, idspec, 0), "missing (the record id is required)");
    std::string host_id = to_text(*idv, h.max_depth);
    if (host_id.empty()) c.fail(spec_field_name(c, idspec, 0), "must not be empty");
    c.label += " " + quoted(host_id);
    const std::string id = prefix + host_id;

    auto emit_delete = [&] {
        json::object o;
        o["type"] = canonical;
        o["id"] = id;
        o["deleted"] = true;
        out.push_back({line, std::move(o)});
    };
    if (const json::value* a = kind->if_contains("always_delete"); a && a->as_bool()) return emit_delete();
    if (const json::value* d = kind->if_contains("delete_when"); d && eval_cond(c, d->as_object())) return emit_delete();
    if (const json::value* s = kind->if_contains("skip_when"); s && eval_cond(c, s->as_object())) return;
    if (const json::value* req = kind->if_contains("require"))
        for (const json::value& r : req->as_array()) check_required(c, r.as_object());
    if (const json::value* k = kind->if_contains("counts_when"); k && !eval_cond(c, k->as_object())) return emit_delete();

    json::object o;
    o["type"] = canonical;
    o["id"] = id;
    for (const auto& kv : kind->at("fields").as_object()) {
        const json::object& fspec = kv.value().as_object();
        auto v = eval_value(c, fspec);
        if (!v) {
            const json::value* req = fspec.if_contains("required");
            if (req && req->as_bool()) c.fail(spec_field_name(c, fspec, 0), "missing");
            continue;
        }
        o[kv.key()] = std::move(*v);
    }
    out.push_back({line, std::move(o)});
}

// A host value may come alone, in a JSON array, or in the vendor's list envelope.
std::vector<const json::value*> expand(const Host& h, const json::value& v) {
    std::vector<const json::value*> items;
    const json::array* arr = v.if_array();
    if (!arr) {
        if (const json::object* o = v.if_object()) {
            for (const json::value& env : h.spec().at("envelopes").as_array()) {
                const json::value* e = o->if_contains(env.as_string());
                if (e && e->is_array()) {
                    arr = &e->get_array();
                    break;
                }
            }
        }
    }
    if (!arr) {
        items.push_back(&v);
        return items;
    }
    for (const json::value& e : *arr) items.push_back(&e);
    return items;
}

json::value parse_json(const Host& h, std::string_view text, std::size_t line) {
    json::parse_options opts;
    opts.max_depth = h.max_depth;
    boost::system::error_code ec;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, opts);
    if (ec == json::error::too_deep)
        throw LimitError(h.name + ": " + (line ? "line " + std::to_string(line) + ": " : std::string()) +
                         "JSON nested deeper than " + std::to_string(opts.max_depth) + " levels");
    if (ec && invalid_utf8_at(text) != std::string_view::npos)
        throw ParseError(h.name + ": " + (line ? "line " + std::to_string(line) + ": " : std::string()) +
                         "not valid JSON: not valid UTF-8");
    if (ec)
        throw ParseError(h.name + ": " + (line ? "line " + std::to_string(line) + ": " : std::string()) +
                         "not valid JSON: " + ec.message());
    return v;
}

// ---- CSV --------------------------------------------------------------------

void translate_csv(const Host& h, std::string_view data, std::vector<Translated>& out) {
    const char delim = h.delimiter ? h.delimiter : detect_delimiter(data);
    std::vector<CsvRow> rows = read_csv(data, delim, h.name);
    auto blank = [](const CsvRow& r) {
        return std::all_of(r.fields.begin(), r.fields.end(), [](const std::string& f) { return trim_blanks(f).empty(); });
    };
    std::size_t first = 0;
    while (first < rows.size() && blank(rows[first])) ++first;
    if (first == rows.size()) throw ParseError(h.name + ": missing header row");
    const CsvRow& header = rows[first];
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < header.fields.size(); ++i) index.emplace(lower_trim(header.fields[i]), i);

    const json::object& keys = h.spec().at("settings").at("columns").at("keys").as_object();
    auto column = [&](const std::string& kind, const std::string& key) {
        auto k = h.columns.find(kind);
        if (k != h.columns.end()) {
            auto c = k->second.find(key);
            if (c != k->second.end()) return c->second;
        }
        return key;
    };
    auto find = [&](const std::string& kind, const std::string& key) -> long {
        auto it = index.find(lower_trim(column(kind, key)));
        return it == index.end() ? -1 : static_cast<long>(it->second);
    };
    const std::string kind = find("revenue", "amount") >= 0 && find("revenue", "account_id") >= 0 ? "revenue" : "accounts";
    if (find(kind, "id") < 0)
        throw RecordError(h.name + ": line " + std::to_string(header.line) + ": column \"" + column(kind, "id") +
                          "\": missing from the header row (an " + kind + " file needs an id column)");
    std::vector<std::pair<std::string, long>> used;
    std::map<std::string, std::string> names;
    for (const json::value& key : keys.at(kind).as_array()) {
        std::string k = sv(key.as_string());
        long i = find(kind, k);
        if (i >= 0) used.emplace_back(k, i);
        names[k] = column(kind, k);
    }
    for (std::size_t r = first + 1; r < rows.size(); ++r) {
        const CsvRow& row = rows[r];
        if (blank(row)) continue;
        if (row.fields.size() != header.fields.size())
            throw ParseError(h.name + ": line " + std::to_string(row.line) + ": expected " +
                             std::to_string(header.fields.size()) + " fields as in the header, found " +
                             std::to_string(row.fields.size()));
        json::object rec;
        rec["__file"] = kind;
        for (const auto& [k, i] : used) {
            std::string value(trim_blanks(row.fields[static_cast<std::size_t>(i)]));
            if ((k == "amount" || k == "employees") && h.decimal_comma) {
                std::string v;
                for (char ch : value)
                    if (ch == ',') v += '.';
                    else if (ch != '.' && ch != ' ') v += ch;
                value = v;
            }
            rec[k] = value;
        }
        try {
            translate_record(h, json::value(std::move(rec)), row.line, out, &names);
        } catch (const RecordError& e) {
            rethrow_at_line(e, row.line);
        }
    }
}

// ---- configuration ------------------------------------------------------------

[[noreturn]] void config_fail(const std::string& path, const std::string& why) {
    throw ConfigError(path + ": " + why);
}

void configure_setting(Host& h, const std::string& path, const std::string& key, const json::object& decl,
                       const json::value& v) {
    json::string_view type = decl.at("type").as_string();
    if (type == "bool") {
        if (!v.is_bool()) config_fail(path, "expected true or false");
    } else if (type == "string") {
        if (!v.is_string() || v.get_string().empty()) config_fail(path, "expected a non-empty string");
    } else if (type == "strings") {
        const json::array* a = v.if_array();
        if (!a) config_fail(path, "expected an array of strings");
        for (const json::value& e : *a)
            if (!e.is_string() || e.get_string().empty()) config_fail(path, "expected an array of non-empty strings");
    } else if (type == "choice") {
        bool ok = false;
        std::string choices;
        for (const json::value& c : decl.at("choices").as_array()) {
            ok = ok || (v.is_string() && v.get_string() == c.get_string());
            if (!choices.empty()) choices += ", ";
            choices += to_json(c, h.max_depth);
        }
        if (!ok) config_fail(path, "expected one of " + choices);
    } else if (type == "columns") {
        const json::object* o = v.if_object();
        if (!o) config_fail(path, "expected an object");
        const json::object& kinds = decl.at("keys").as_object();
        for (const auto& kv : *o) {
            std::string kpath = path + "." + sv(kv.key());
            const json::value* allowed = kinds.if_contains(kv.key());
            if (!allowed) config_fail(kpath, "unknown key (expected \"accounts\" or \"revenue\")");
            const json::object* cols = kv.value().if_object();
            if (!cols) config_fail(kpath, "expected an object");
            for (const auto& col : *cols) {
                std::string cpath = kpath + "." + sv(col.key());
                bool known = false;
                for (const json::value& a : allowed->as_array()) known = known || a.get_string() == col.key();
                if (!known) config_fail(cpath, "unknown key (expected one of " + to_json(*allowed, h.max_depth) + ")");
                if (!col.value().is_string() || col.value().get_string().empty())
                    config_fail(cpath, "expected a column name (a non-empty string)");
                h.columns[sv(kv.key())][sv(col.key())] = sv(col.value().get_string());
            }
        }
    } else {
        throw std::logic_error("adapter mapping: unknown setting type");
    }
    h.settings[key] = v;
}

// "input_fields": {"last_contact": "x_studio_last_contact", "employees": ["properties", "headcount"]}
// reads a canonical field from another host field (e.g. a custom column) in
// every record kind that produces it.
void configure_input_fields(Host& h, const json::value& v, const std::string& path) {
    static const std::map<std::string, std::pair<std::string, std::string>> kFields = {
        // canonical field -> (record type, conversion)
        {"name", {"account", "string"}},         {"owner", {"account", "string"}},
        {"employees", {"account", "integer"}},   {"territory", {"account", "string"}},
        {"industry", {"account", "string"}},     {"last_contact", {"account", "date"}},
        {"account_id", {"revenue", "id"}},       {"date", {"revenue", "date"}},
        {"amount", {"revenue", "number"}},       {"product", {"revenue", "string"}}};
    const json::object* o = v.if_object();
    if (!o) config_fail(path, "expected an object");
    for (const auto& kv : *o) {
        std::string field = sv(kv.key());
        std::string fpath = path + "." + field;
        auto known = kFields.find(field);
        if (known == kFields.end()) config_fail(fpath, "unknown canonical field");
        const json::value& p = kv.value();
        bool ok = (p.is_string() && !p.get_string().empty()) || (p.is_array() && !p.get_array().empty());
        if (p.is_array())
            for (const json::value& step : p.get_array()) ok = ok && step.is_string() && !step.get_string().empty();
        if (!ok) config_fail(fpath, "expected a field name or a path (an array of field names)");
        for (json::value& r : h.records) {
            json::object& kind = r.as_object();
            if (kind.at("canonical").as_string() != known->second.first) continue;
            json::object spec;
            spec["path"] = p;
            spec["convert"] = known->second.second;
            json::object& fields = kind["fields"].as_object();
            if (const json::value* old = fields.if_contains(field))
                if (const json::value* req = old->as_object().if_contains("required")) spec["required"] = *req;
            fields[field] = std::move(spec);
        }
    }
}

void configure(Host& h, const json::object& cfg, const std::string& where) {
    const json::object& decls = h.spec().at("settings").as_object();
    for (const auto& kv : cfg) {
        std::string key = sv(kv.key());
        std::string path = where + "." + key;
        if (key == "output_fields") {
            const json::object* o = kv.value().if_object();
            if (!o) config_fail(path, "expected an object");
            for (const auto& f : *o) {
                std::string fpath = path + "." + sv(f.key());
                bool known = std::find(std::begin(kResultKeys), std::end(kResultKeys),
                                       std::string_view(f.key().data(), f.key().size())) != std::end(kResultKeys);
                if (!known) config_fail(fpath, "unknown result field");
                if (!(f.value().is_null() || (f.value().is_string() && !f.value().get_string().empty())))
                    config_fail(fpath, "expected a field name (a non-empty string) or null");
                if (f.key() == "id" && f.value().is_null()) config_fail(fpath, "the id field cannot be left out");
            }
            h.output_fields = *o;
            continue;
        }
        if (key == "input_fields" && h.spec().at("format").as_string() == "json") {
            configure_input_fields(h, kv.value(), path);
            continue;
        }
        const json::value* decl = decls.if_contains(key);
        if (!decl) config_fail(path, "unknown key");
        configure_setting(h, path, key, decl->as_object(), kv.value());
    }
    if (h.spec().at("format").as_string() == "csv") {
        std::string d = sv(h.settings.at("delimiter").as_string());
        h.delimiter = d == "auto" ? 0 : d[0];
        h.decimal_comma = h.settings.at("decimal_separator").as_string() == ",";
    }
}

// ---- rendering ----------------------------------------------------------------

std::string substitute(const Host& h, std::string name) {
    for (std::size_t pos; (pos = name.find("${")) != std::string::npos;) {
        std::size_t end = name.find('}', pos);
        if (end == std::string::npos) break;
        std::string key = name.substr(pos + 2, end - pos - 2);
        const json::value* v = h.settings.if_contains(key);
        name.replace(pos, end - pos + 1, v && v->is_string() ? sv(v->get_string()) : std::string());
    }
    return name;
}

json::value result_value(const json::object& result, std::string_view key) {
    const json::value* v = result.if_contains(json::string_view(key.data(), key.size()));
    return v ? *v : json::value(nullptr);
}

json::value score_trend(const json::object& result) {
    // msdyn_scoretrend: 0 Improving, 1 Steady, 2 Declining, 3 Not enough info.
    const json::value* d = result.if_contains("declining");
    if (d && d->is_bool() && d->get_bool()) return 2;
    json::value r = result_value(result, "annual_revenue"), p = result_value(result, "prior_revenue");
    if (!is_number(r) || !is_number(p)) return 3;
    if (as_double(r) == 0 && as_double(p) == 0) return 3;
    return as_double(r) > as_double(p) ? 0 : 1;
}

json::value format_value(json::value v, const json::object& f, const json::object& result, std::size_t max_depth) {
    if (const json::value* map = f.if_contains("map"); map && v.is_string())
        if (const json::value* m = map->as_object().if_contains(v.get_string())) v = *m;
    if (const json::value* fmt = f.if_contains("format")) {
        json::string_view how = fmt->as_string();
        if (how == "json_text") return json::string(to_json(v, max_depth));
        if (how == "string") return json::string(to_text(v, max_depth));
        if (how == "score_trend") return score_trend(result);
        if (how == "int_if_digits") {
            std::string s = to_text(v, max_depth);
            if (!s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return json::value(static_cast<std::int64_t>(std::stoll(s)));
            return json::string(s);
        }
    }
    return v;
}

}  // namespace

// ---- Registry -------------------------------------------------------------------

struct Registry::Impl {
    std::vector<Host> hosts;

    const Host* find(std::string_view name) const {
        for (const Host& h : hosts)
            if (h.name == name) return &h;
        return nullptr;
    }
    const Host& get(std::string_view name) const {
        if (const Host* h = find(name)) return *h;
        std::string known;
        for (const Host& h : hosts) known += (known.empty() ? "" : ", ") + h.name;
        throw AdapterError("unknown adapter " + quoted(name) + " (known: canonical, " + known + ")");
    }
};

Registry::Registry(const json::object* config, const Limits& limits) : impl_(std::make_unique<Impl>()) {
    for (const Mapping& m : mappings()) {
        Host h;
        h.m = &m;
        h.name = m.name;
        h.max_depth = limits.max_depth;
        h.records = m.spec.at("records").as_array();
        for (const auto& kv : m.spec.at("settings").as_object())
            if (const json::value* d = kv.value().as_object().if_contains("default")) h.settings[kv.key()] = *d;
        impl_->hosts.push_back(std::move(h));
    }
    if (!config) return;
    for (const auto& kv : *config) {
        std::string path = "adapters." + sv(kv.key());
        Host* h = nullptr;
        for (Host& x : impl_->hosts)
            if (x.name == kv.key()) h = &x;
        if (!h) config_fail(path, "unknown adapter");
        const json::object* o = kv.value().if_object();
        if (!o) config_fail(path, "expected an object");
        configure(*h, *o, path);
    }
}

Registry::~Registry() = default;

bool Registry::has(std::string_view name) const { return impl_->find(name) != nullptr; }

std::vector<std::string> Registry::default_profile(std::string_view name) const {
    std::vector<std::string> out;
    for (const json::value& a : impl_->get(name).spec().at("default_profile").as_array()) out.push_back(sv(a.as_string()));
    return out;
}

void Registry::translate(std::string_view adapter, std::string_view text, std::vector<Translated>& out) const {
    const Host& h = impl_->get(adapter);
    if (h.spec().at("format").as_string() == "csv") return translate_csv(h, text, out);
    json::value v = parse_json(h, strip_bom(text), 0);
    std::vector<Translated> got;
    for (const json::value* item : expand(h, v)) translate_record(h, *item, 0, got);
    for (auto& t : got) out.push_back(std::move(t));
}

void Registry::translate_bulk(std::string_view adapter, std::string_view data, std::vector<Translated>& out) const {
    const Host& h = impl_->get(adapter);
    if (h.spec().at("format").as_string() == "csv") return translate_csv(h, data, out);
    std::vector<Translated> got;
    for_each_line(strip_bom(data), 0, [&](std::string_view text, std::size_t line) {
        if (blank_line(text)) return;
        json::value v = parse_json(h, text, line);
        for (const json::value* item : expand(h, v)) {
            try {
                translate_record(h, *item, line, got);
            } catch (const RecordError& e) {
                rethrow_at_line(e, line);
            }
        }
    });
    for (auto& t : got) out.push_back(std::move(t));
}

std::string Registry::render(std::string_view adapter, const json::object& result) const {
    const Host& h = impl_->get(adapter);
    const json::object& spec = h.spec().at("output").as_object();
    json::object top;
    if (const json::value* header = spec.if_contains("header"))
        for (const auto& kv : header->as_object()) top[kv.key()] = kv.value();

    const json::object& idspec = spec.at("id").as_object();
    std::string id_name = sv(idspec.at("name").as_string());
    if (const json::value* o = h.output_fields.if_contains("id"); o && o->is_string()) id_name = sv(o->get_string());
    top[id_name] = format_value(result_value(result, "id"), idspec, result, h.max_depth);

    bool stringify = false;
    if (const json::value* s = spec.if_contains("stringify")) stringify = s->as_bool();
    json::object fields;
    auto put = [&](const std::string& name, json::value v) {
        if (stringify && !v.is_string()) v = json::string(to_text(v, h.max_depth));
        fields[substitute(h, name)] = std::move(v);
    };
    std::vector<std::string> defaults;
    for (const json::value& fv : spec.at("fields").as_array()) {
        const json::object& f = fv.as_object();
        std::string from = sv(f.at("from").as_string());
        defaults.push_back(from);
        std::string name = sv(f.at("name").as_string());
        if (const json::value* o = h.output_fields.if_contains(from)) {
            if (o->is_null()) continue;
            name = sv(o->get_string());
        }
        put(name, format_value(result_value(result, from), f, result, h.max_depth));
    }
    for (const auto& kv : h.output_fields) {  // result fields the installation adds
        std::string from = sv(kv.key());
        if (from == "id" || kv.value().is_null() || std::find(defaults.begin(), defaults.end(), from) != defaults.end())
            continue;
        json::value v = result_value(result, from);
        if (v.is_array() || v.is_object()) v = json::string(to_json(v, h.max_depth));
        put(sv(kv.value().get_string()), std::move(v));
    }
    auto enabled = [&](const json::object& o) {
        const json::value* s = h.settings.if_contains(o.at("setting").as_string());
        return s && s->is_bool() && s->get_bool();
    };
    if (const json::value* options = spec.if_contains("options"))
        for (const json::value& ov : options->as_array()) {
            if (!enabled(ov.as_object())) continue;
            for (const json::value& fv : ov.as_object().at("fields").as_array()) {
                const json::object& f = fv.as_object();
                put(sv(f.at("name").as_string()), format_value(result_value(result, f.at("from").as_string()), f, result, h.max_depth));
            }
        }
    if (const json::value* nest = spec.if_contains("nest")) {
        top[nest->as_string()] = std::move(fields);
    } else {
        for (auto& kv : fields) top[kv.key()] = std::move(kv.value());
    }
    if (const json::value* objects = spec.if_contains("objects"))
        for (const json::value& ov : objects->as_array()) {
            const json::object& obj = ov.as_object();
            if (!enabled(obj)) continue;
            json::object body;
            for (const json::value& fv : obj.at("fields").as_array()) {
                const json::object& f = fv.as_object();
                json::value v = f.if_contains("const") ? f.at("const") : result_value(result, f.at("from").as_string());
                body[f.at("name").as_string()] = format_value(std::move(v), f, result, h.max_depth);
            }
            top[obj.at("name").as_string()] = std::move(body);
        }
    return to_json(top, h.max_depth);
}

}  // namespace crmtier::adapters
