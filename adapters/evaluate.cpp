// The evaluator of the host mappings: one small interpreter for the record
// descriptions of adapters/mappings/*.json (conditions, value specs and the
// conversions hosts need: dates and date-times, numbers written as text,
// Odoo many2one pairs, Dataverse formatted values). docs/adapters.md
// describes the mapping format.
#include "adapters/evaluate.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>

#include "base/dates.hpp"
#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/json_writer.hpp"
#include "base/numbers.hpp"
#include "base/quote.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"

namespace crmtier::adapters {

namespace json = boost::json;

namespace {

constexpr int kMaxSpecDepth = 16;  // nesting of conditions / value specs in a mapping
constexpr const char* kFormatted = "@OData.Community.Display.V1.FormattedValue";

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

// The record being translated, for lookups and messages.
struct Ctx {
    const HostMapping& h;
    const json::value& rec;
    std::string label;  // e.g. salesforce Opportunity "006xx"
    const std::map<std::string, std::string>* names = nullptr;  // csv: key -> column header
    // The record kind's "aliases": a top-level field read from another name
    // when the record lacks it (Odoo 13's "type" for "move_type").
    const json::object* aliases = nullptr;
    // In a "join": the part before this one, as read (the country, for a
    // region that follows it).
    std::string_view before = {};

    const json::value* get(const json::value& path) const {
        const json::value* v = lookup(rec, path);
        if (v || !aliases) return v;
        json::string_view head;
        if (path.is_string()) head = path.get_string();
        else if (!path.as_array().empty() && path.as_array()[0].is_string()) head = path.as_array()[0].get_string();
        const json::value* alt = head.empty() ? nullptr : aliases->if_contains(head);
        if (!alt) return nullptr;
        if (path.is_string()) return lookup(rec, *alt);
        json::array p = path.as_array();
        p[0] = *alt;
        return lookup(rec, p);
    }

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

bool is_null_value(const HostMapping& h, const json::value* v) {
    if (!v || v->is_null()) return true;
    if (const json::value* nv = h.spec_object().if_contains("null_values"))
        for (const json::value& n : nv->as_array())
            if (json_equal(*v, n)) return true;
    return false;
}

std::string spec_field_name(const Ctx& c, const json::object& spec, int depth) {
    if (depth > kMaxSpecDepth) throw std::logic_error("adapter mapping nested too deeply");
    if (const json::value* in = spec.if_contains("in")) return c.field(*in);
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

// Case and accent folding, code point by code point (tools/gen_countries.py
// writes the table with Python's unicodedata): the keys of the territory
// tables below are folded the same way.
struct FoldedCodePoint {
    char32_t cp;
    char folded[8];  // NUL-padded; no pointers, so the table needs no relocations
};
constexpr FoldedCodePoint kFold[] = {
#include "adapters/fold.inc"
};

// `s` folded ("Thüringen", "THÜRINGEN" and a decomposed "Thu\u0308ringen"
// are all "thuringen"), without the blanks around it. The text is valid
// UTF-8 (every reader checks it); a byte that does not start a sequence is
// kept as it is.
std::string fold_text(std::string_view s) {
    s = trim_blanks(s);
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {  // ASCII: the table folds only A-Z
            out += static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
            ++i;
            continue;
        }
        const std::size_t n = utf8_sequence_at(s, i);
        if (n == 0) {  // a byte that breaks UTF-8: as it is
            out += s[i++];
            continue;
        }
        const char32_t cp = utf8_code_point(s, i, n);
        const auto* end = std::end(kFold);
        const auto* it = std::lower_bound(std::begin(kFold), end, cp,
                                          [](const FoldedCodePoint& f, char32_t c) { return f.cp < c; });
        if (it != end && it->cp == cp) out += std::string_view(it->folded);
        else out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

// The index of `key` among `count` sorted names kept one after another in
// `text`, name i from at[i] to at[i + 1] (the generated tables below).
std::optional<std::size_t> find_name(const char* text, const std::uint32_t* at, std::size_t count, std::string_view key) {
    auto name = [&](std::size_t i) { return std::string_view(text + at[i], at[i + 1] - at[i]); };
    std::size_t lo = 0, hi = count;  // the first name >= key
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (name(mid) < key) lo = mid + 1;
        else hi = mid;
    }
    if (lo < count && name(lo) == key) return lo;
    return std::nullopt;
}

// ISO 3166-1: a country's names and codes, folded, sorted by bytes
// (kCountryText, from kCountryNameAt) -> alpha-2 (kCountryCode).
#include "adapters/countries.inc"
static_assert(std::size(kCountryNameAt) == std::size(kCountryCode) + 1, "one start per name, and the end");

// A country as the host writes it ("Germany", "germany", "DEU", "de",
// "Côte d'Ivoire" or "Cote d'Ivoire") as its ISO 3166-1 alpha-2 code; a
// name the table does not know, as written.
std::string country_code(std::string_view s) {
    if (auto i = find_name(kCountryText, kCountryNameAt, std::size(kCountryCode), fold_text(s))) return kCountryCode[*i];
    return std::string(trim_blanks(s));
}

// ISO 3166-2: every subdivision code, sorted (kRegionCodes); a region's
// names in its country ("DE/bayern", "DE/bavaria": the country's alpha-2
// code, "/", the folded name; sorted by bytes), one after another in
// kRegionText, each starting at kRegionNameAt, with the index of its code
// in kRegionNameCode.
#include "adapters/regions.inc"
static_assert(std::size(kRegionCodes) <= 0x10000, "region code indexes are 16 bits");
static_assert(std::size(kRegionNameAt) == std::size(kRegionNameCode) + 1, "one start per name, and the end");

// The code `code` (upper case) when ISO 3166-2 has it.
std::optional<std::string_view> known_region_code(const std::string& code) {
    const auto* end = std::end(kRegionCodes);
    const auto* it = std::lower_bound(std::begin(kRegionCodes), end, code,
                                      [](const char* c, const std::string& k) { return std::string_view(c) < k; });
    if (it != end && std::string_view(*it) == code) return std::string_view(*it);
    return std::nullopt;
}

// A region of the country `country` (an alpha-2 code, else no match) as its
// ISO 3166-2 code: the code itself ("DE-BY", "de-by"), a name the table
// knows in English or the country's languages ("Bavaria", "Bayern",
// "bayern"), the code without its country ("BY"); else as written. Odoo
// displays a state as "Bavaria (DE)": the " (DE)" is not part of it.
std::string region_code(std::string_view country, std::string_view s) {
    s = trim_blanks(s);
    if (s.size() > 5 && s[s.size() - 1] == ')' && s[s.size() - 4] == '(' && s[s.size() - 5] == ' ' &&
        s[s.size() - 3] >= 'A' && s[s.size() - 3] <= 'Z' && s[s.size() - 2] >= 'A' && s[s.size() - 2] <= 'Z')
        s = trim_blanks(s.substr(0, s.size() - 5));
    if (country.size() != 2 || s.empty()) return std::string(s);
    std::string upper(s);
    for (char& ch : upper)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    const std::string prefix = std::string(country) + '-';
    if (upper.size() <= 7 && upper.rfind(prefix, 0) == 0)
        if (auto code = known_region_code(upper)) return std::string(*code);
    const std::string key = std::string(country) + '/' + fold_text(s);
    if (auto i = find_name(kRegionText, kRegionNameAt, std::size(kRegionNameCode), key)) return kRegionCodes[kRegionNameCode[*i]];
    if (upper.size() <= 3)
        if (auto code = known_region_code(prefix + upper)) return std::string(*code);
    return std::string(s);
}

// The 3 characters that make a 15-character Salesforce Id the 18-character
// one of the same record: for each 5-character chunk, the bits of its upper
// case letters index "A".."Z","0".."5".
std::string salesforce_id_suffix(std::string_view id15) {
    static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    std::string out;
    for (std::size_t chunk = 0; chunk < 3; ++chunk) {
        unsigned bits = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            const char ch = id15[chunk * 5 + i];
            if (ch >= 'A' && ch <= 'Z') bits |= 1u << i;
        }
        out += kChars[bits];
    }
    return out;
}

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
    if (conv == "salesforce_id") {
        if (!v.is_string() || v.get_string().empty()) c.fail(field, "expected a Salesforce Id (a string), found " + kind_name(v));
        std::string id(v.get_string());
        if (id.size() == 15) id += salesforce_id_suffix(id);
        return json::string(id);
    }
    if (conv == "many2one_id" || conv == "many2one_name") {
        const json::array* a = v.if_array();
        bool id = conv == "many2one_id";
        if (id && (v.is_int64() || v.is_uint64())) return json::string(to_text(v, c.h.max_depth));
        if (!id && (v.is_int64() || v.is_uint64())) {
            // A bare id (read with load=None): its label from the installation's table.
            const std::string key = to_text(v, c.h.max_depth);
            const json::value* labels = c.h.settings.if_contains("labels");
            const json::value* table = labels && labels->is_object() ? labels->get_object().if_contains(field) : nullptr;
            const json::value* label = table && table->is_object() ? table->get_object().if_contains(key) : nullptr;
            if (label && label->is_string()) return *label;
            c.fail(field, "a bare id (" + key + ") without its name: read many2one fields as [id, \"name\"] "
                          "(not with load=None), or give its name in adapters." + c.h.name + ".labels." + field);
        }
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
        std::string previous;
        for (const json::value& part : parts->as_array()) {
            Ctx pc = c;
            pc.before = previous;
            auto v = eval_value(pc, part.as_object(), depth + 1);
            if (!v) break;
            std::string s = to_text(*v, c.h.max_depth);
            if (s.empty()) break;
            if (!out.empty()) out += sep;
            out += s;
            previous = std::move(s);
        }
        if (out.empty()) return std::nullopt;
        return json::value(json::string(out));
    }
    if (const json::value* parts = spec.if_contains("first")) {
        for (const json::value& part : parts->as_array())
            if (auto v = eval_value(c, part.as_object(), depth + 1)) return v;
        return std::nullopt;
    }
    // "when": the value is read only when the record meets the condition.
    if (const json::value* when = spec.if_contains("when"); when && !eval_cond(c, when->as_object(), depth + 1))
        return std::nullopt;
    // "in": the one member of an array (of those meeting "where", when
    // given) that is read at "path"; none or several: not set.
    if (const json::value* in = spec.if_contains("in")) {
        const json::value* arr = c.get(*in);
        if (!arr || !arr->is_array()) return std::nullopt;
        const json::value* one = nullptr;
        const json::value* where = spec.if_contains("where");
        for (const json::value& item : arr->get_array()) {
            if (where) {
                const Ctx ic{c.h, item, c.label, c.names, nullptr};
                if (!eval_cond(ic, where->as_object(), depth + 1)) continue;
            }
            if (one) return std::nullopt;
            one = &item;
        }
        if (!one) return std::nullopt;
        json::object sub = spec;
        sub.erase("in");
        sub.erase("where");
        const Ctx ic{c.h, *one, c.label, c.names, nullptr};
        return eval_value(ic, sub, depth + 1);
    }
    const json::value& path = spec.at("path");
    std::string_view conv = "string";
    if (const json::value* cv = spec.if_contains("convert")) conv = std::string_view(cv->as_string().data(), cv->as_string().size());
    if (conv == "formatted" && path.is_string() && c.rec.is_object()) {
        std::string key = sv(path.get_string()) + kFormatted;
        const json::value* ann = c.rec.get_object().if_contains(key);
        if (ann && ann->is_string() && !ann->get_string().empty()) return *ann;
    }
    const json::value* raw = c.get(path);
    if (is_null_value(c.h, raw)) return std::nullopt;
    if (conv == "formatted" && path.is_string() && is_number(*raw)) {
        // A code without its label (no annotations): the installation's table, else refused.
        const std::string code = to_text(*raw, c.h.max_depth);
        const json::value* labels = c.h.settings.if_contains("labels");
        const json::value* table = labels && labels->is_object() ? labels->get_object().if_contains(path.get_string()) : nullptr;
        const json::value* label = table && table->is_object() ? table->get_object().if_contains(code) : nullptr;
        if (label && label->is_string()) return *label;
        c.fail(c.field(path), "the code " + code + " without its label: read with the header Prefer: "
                              "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\", or give its label in "
                              "adapters." + c.h.name + ".labels." + c.field(path));
    }
    json::value v = convert(c, *raw, conv, c.field(path));
    if (const json::value* neg = spec.if_contains("negate_when"); neg && v.is_double() && eval_cond(c, neg->as_object(), depth + 1))
        v = -v.get_double();
    if (const json::value* prefix = spec.if_contains("prefix"))
        v = json::string(sv(prefix->as_string()) + sv(v.as_string()));
    // "normalise": one form across hosts (docs/adapters.md, "Territory and industry").
    if (const json::value* how = spec.if_contains("normalise"); how && v.is_string()) {
        const std::string_view text(v.get_string().data(), v.get_string().size());
        const json::string_view kind = how->as_string();
        if (kind == "country") {
            v = json::string(country_code(text));
        } else if (kind == "region") {
            v = json::string(region_code(c.before, text));
        } else if (kind == "label") {  // a code the installation's labels table names
            const json::value* labels = c.h.settings.if_contains("labels");
            const json::value* table = labels && labels->is_object() ? labels->get_object().if_contains(c.field(path)) : nullptr;
            const json::value* label = table && table->is_object() ? table->get_object().if_contains(v.get_string()) : nullptr;
            if (label && label->is_string()) v = *label;
        } else {
            throw std::logic_error("adapter mapping: unknown normalisation");
        }
    }
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
    // "setting": a bool setting of the installation is true.
    if (const json::value* name = cond.if_contains("setting")) {
        const json::value* v = c.h.settings.if_contains(name->as_string());
        return v && v->is_bool() && v->get_bool();
    }
    const json::value* v = c.get(cond.at("path"));
    // "some": an array with a member that meets the condition.
    if (const json::value* some = cond.if_contains("some")) {
        if (!v || !v->is_array()) return false;
        for (const json::value& item : v->get_array()) {
            const Ctx ic{c.h, item, c.label, c.names, nullptr};
            if (eval_cond(ic, some->as_object(), depth + 1)) return true;
        }
        return false;
    }
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
    if (const json::value* unless = req.if_contains("unless"); unless && eval_cond(c, unless->as_object())) return;
    const json::value& path = req.at("path");
    const json::value* v = c.get(path);
    if (!v || v->is_null()) {
        if (const json::value* o = req.if_contains("optional"); o && o->as_bool()) return;
        c.fail(c.field(path), "missing");
    }
    json::string_view type = req.at("type").as_string();
    bool ok = (type == "boolean" && v->is_bool()) || (type == "string" && v->is_string()) ||
              (type == "integer" && (v->is_int64() || v->is_uint64())) || (type == "number" && is_number(*v));
    if (!ok) c.fail(c.field(path), "expected " + std::string(type == "integer" ? "an " : "a ") + sv(type) + ", found " + kind_name(*v));
}

}  // namespace

bool is_number(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double as_double(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return v.get_double();
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

void translate_record(const HostMapping& h, const json::value& rec, std::size_t line, std::vector<Translated>& out,
                      const std::map<std::string, std::string>* names) {
    if (!rec.is_object())
        throw RecordError(h.name + ": expected a JSON object (one " + h.name + " record), found " + kind_name(rec));
    const json::object& spec = h.spec_object();
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
    const json::value* aliases = kind->if_contains("aliases");
    Ctx c{h, rec, h.name + " " + sv(kind->at("type").as_string()), names, aliases ? &aliases->as_object() : nullptr};

    // The id: the host's own record id, shown in messages; the canonical id may add a prefix.
    json::object idspec = kind->at("id").as_object();
    std::string prefix;
    if (const json::value* p = idspec.if_contains("prefix")) prefix = sv(p->as_string());
    idspec.erase("prefix");
    auto idv = eval_value(c, idspec);
    if (!idv) c.fail(spec_field_name(c, idspec, 0), "missing (the record id is required)");
    std::string host_id = to_text(*idv, h.max_depth);
    if (host_id.empty()) c.fail(spec_field_name(c, idspec, 0), "must not be empty");
    c.label += ' ';
    c.label += quoted(host_id);
    std::string id = prefix;  // appended: GCC 12 warns, wrongly, of prefix + host_id (-Wrestrict)
    id += host_id;

    // `account`: for a revenue record that does not count, the account it
    // names (when it names one), so that its save answers with that
    // account's result, unchanged.
    auto emit_delete = [&](bool account) {
        json::object o;
        o["type"] = canonical;
        o["id"] = id;
        o["deleted"] = true;
        if (account && canonical == "revenue") {
            if (const json::value* f = kind->at("fields").as_object().if_contains("account_id")) {
                try {
                    if (auto a = eval_value(c, f->as_object()); a && a->is_string() && !a->get_string().empty())
                        o["account_id"] = *a;
                } catch (const RecordError&) {
                    // Not read: the save answers as for a delete.
                }
            }
        }
        out.push_back({line, std::move(o)});
    };
    if (const json::value* a = kind->if_contains("always_delete"); a && a->as_bool()) return emit_delete(false);
    if (const json::value* d = kind->if_contains("delete_when"); d && eval_cond(c, d->as_object())) return emit_delete(false);
    if (const json::value* s = kind->if_contains("skip_when"); s && eval_cond(c, s->as_object())) return;
    if (const json::value* req = kind->if_contains("require"))
        for (const json::value& r : req->as_array()) check_required(c, r.as_object());
    if (const json::value* k = kind->if_contains("counts_when"); k && !eval_cond(c, k->as_object())) return emit_delete(true);

    json::object o;
    o["type"] = canonical;
    o["id"] = id;
    for (const auto& kv : kind->at("fields").as_object()) {
        const json::object& fspec = kv.value().as_object();
        auto v = eval_value(c, fspec);
        if (!v) {
            const json::value* req = fspec.if_contains("required");
            if (req && req->as_bool()) {
                const json::value* why = fspec.if_contains("missing");
                c.fail(spec_field_name(c, fspec, 0), why ? "missing: " + sv(why->as_string()) : std::string("missing"));
            }
            continue;
        }
        o[kv.key()] = std::move(*v);
    }
    out.push_back({line, std::move(o)});

    // "children": records nested in this one (Salesforce: the Opportunities
    // of a SOQL sub-query in an Account row), each translated as a record of
    // its own, given the parent's fields it lacks ("inherit": child field ->
    // parent field).
    if (const json::value* children = kind->if_contains("children"))
        for (const json::value& cv : children->as_array()) {
            const json::object& child = cv.as_object();
            const json::value* got = lookup(rec, child.at("path"));
            if (!got || got->is_null()) continue;
            const json::value* list = got;
            if (const json::value* env = child.if_contains("envelope"); env && got->is_object())
                list = got->get_object().if_contains(env->as_string());
            if (!list || !list->is_array())
                c.fail(c.field(child.at("path")), "expected the records of a sub-query, found " + kind_name(*got));
            for (const json::value& item : list->get_array()) {
                if (!item.is_object()) c.fail(c.field(child.at("path")), "expected records (JSON objects), found " + kind_name(item));
                json::object copy = item.get_object();
                if (const json::value* inherit = child.if_contains("inherit"))
                    for (const auto& kv : inherit->as_object()) {
                        const json::value* mine = copy.if_contains(kv.key());
                        const json::value* theirs = rec.get_object().if_contains(kv.value().as_string());
                        if ((!mine || mine->is_null()) && theirs) copy[kv.key()] = *theirs;
                    }
                translate_record(h, json::value(std::move(copy)), line, out, names);
            }
        }
}

// A host value may come alone, in a JSON array, or in the vendor's list envelope.
std::vector<const json::value*> expand(const HostMapping& h, const json::value& v) {
    std::vector<const json::value*> items;
    const json::array* arr = v.if_array();
    if (!arr) {
        if (const json::object* o = v.if_object()) {
            for (const json::value& env : h.spec_object().at("envelopes").as_array()) {
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

json::value parse_host_json(const HostMapping& h, std::string_view text, std::size_t line) {
    json::value v;
    std::string dup;
    try {
        v = parse_json(text, h.max_depth, dup);
    } catch (const Error& e) {
        throw_error(e.status(), h.name + ": " + (line ? e.at_line(line).what() : e.what()));
    }
    if (!dup.empty()) refuse_duplicate(h.name, dup, line);
    return v;
}

[[noreturn]] void refuse_duplicate(const std::string& host, const std::string& key, std::size_t line) {
    const RecordError e(host + ": field " + quoted(key) + ": duplicate key (it appears twice)");
    if (line) rethrow_at_line(e, line);
    throw e;
}

}  // namespace crmtier::adapters
