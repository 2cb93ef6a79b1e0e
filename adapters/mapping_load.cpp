// Loading the host mappings: the embedded mapping files parsed once, then for
// each engine the installation's settings checked and applied ("adapters" of
// the configuration, docs/adapters.md) and the output description compiled
// into the plan the renderer walks.
#include <algorithm>
#include <utility>

#include "adapters/embedded_mappings.hpp"
#include "adapters/mapping.hpp"
#include "base/errors.hpp"
#include "base/json_writer.hpp"

namespace crmtier::adapters {

namespace json = boost::json;

namespace {

struct MappingFile {
    std::string name;
    json::object spec;
};

// The mapping files as embedded at build time, sorted by adapter name.
const std::vector<MappingFile>& mapping_files() {
    static const std::vector<MappingFile> all = [] {
        std::vector<MappingFile> v;
        for (std::size_t i = 0; i < detail::kEmbeddedMappingCount; ++i) {
            json::value doc = json::parse(detail::kEmbeddedMappings[i].text);
            json::object& o = doc.as_object();
            std::string name(o.at("adapter").as_string());
            v.push_back({std::move(name), std::move(o)});
        }
        std::sort(v.begin(), v.end(), [](const MappingFile& a, const MappingFile& b) { return a.name < b.name; });
        return v;
    }();
    return all;
}

std::string sv(json::string_view s) { return std::string(s.data(), s.size()); }

// The one form of a configuration error: config: "adapters.hubspot.won_stage": unknown key
[[noreturn]] void config_fail(const std::string& path, const std::string& why) {
    throw ConfigError("config: \"" + path + "\": " + why);
}

void configure_setting(HostMapping& h, const std::string& path, const std::string& key, const json::object& decl,
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
    } else if (type == "labels") {
        // {"country_id": {"57": "Germany"}}: the label of each code a host
        // sends without one, by host field.
        const json::object* o = v.if_object();
        if (!o) config_fail(path, "expected an object: host field -> {code: label}");
        for (const auto& kv : *o) {
            const json::object* codes = kv.value().if_object();
            if (!codes) config_fail(path + "." + sv(kv.key()), "expected an object: code -> label");
            for (const auto& c : *codes)
                if (!c.value().is_string() || c.value().get_string().empty())
                    config_fail(path + "." + sv(kv.key()) + "." + sv(c.key()), "expected a label (a non-empty string)");
        }
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
void configure_input_fields(HostMapping& h, const json::value& v, const std::string& path) {
    static const std::map<std::string, std::pair<std::string, std::string>> kFields = {
        // canonical field -> (record type, conversion)
        {"name", {"account", "string"}},         {"owner", {"account", "string"}},
        {"employees", {"account", "integer"}},   {"territory", {"account", "string"}},
        {"industry", {"account", "string"}},     {"last_contact", {"account", "date"}},
        {"account_id", {"revenue", "id"}},       {"date", {"revenue", "date"}},
        {"amount", {"revenue", "number"}},       {"product", {"revenue", "string"}},
        {"currency", {"revenue", "string"}}};
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

void configure(HostMapping& h, const json::object& cfg, const std::string& where, json::object& output_fields) {
    const json::object& decls = h.spec->at("settings").as_object();
    for (const auto& kv : cfg) {
        std::string key = sv(kv.key());
        std::string path = where + "." + key;
        if (key == "output_fields") {
            const json::object* o = kv.value().if_object();
            if (!o) config_fail(path, "expected an object");
            for (const auto& f : *o) {
                std::string fpath = path + "." + sv(f.key());
                if (!result_key(std::string_view(f.key().data(), f.key().size())))
                    config_fail(fpath, "unknown result field");
                if (!(f.value().is_null() || (f.value().is_string() && !f.value().get_string().empty())))
                    config_fail(fpath, "expected a field name (a non-empty string) or null");
                if (f.key() == "id" && f.value().is_null()) config_fail(fpath, "the id field cannot be left out");
            }
            output_fields = *o;
            continue;
        }
        if (key == "input_fields" && !h.csv) {
            configure_input_fields(h, kv.value(), path);
            continue;
        }
        const json::value* decl = decls.if_contains(key);
        if (!decl) config_fail(path, "unknown key");
        configure_setting(h, path, key, decl->as_object(), kv.value());
    }
    if (h.csv) {
        std::string d = sv(h.settings.at("delimiter").as_string());
        h.delimiter = d == "auto" ? 0 : d[0];
        h.decimal_comma = h.settings.at("decimal_separator").as_string() == ",";
    }
}

// ---- the output plan ---------------------------------------------------------

// `name` with every "${setting}" replaced by the setting's value.
std::string substitute(const HostMapping& h, std::string name) {
    for (std::size_t pos; (pos = name.find("${")) != std::string::npos;) {
        std::size_t end = name.find('}', pos);
        if (end == std::string::npos) break;
        std::string key = name.substr(pos + 2, end - pos - 2);
        const json::value* v = h.settings.if_contains(key);
        name.replace(pos, end - pos + 1, v && v->is_string() ? sv(v->get_string()) : std::string());
    }
    return name;
}

// Adds `f`, or puts it in the place of the member of the same name.
void set(std::vector<OutputField>& members, OutputField f) {
    for (OutputField& m : members)
        if (m.name == f.name) {
            m = std::move(f);
            return;
        }
    members.push_back(std::move(f));
}

Format format_of(const json::object& f) {
    const json::value* fmt = f.if_contains("format");
    if (!fmt) return Format::AsIs;
    const json::string_view how = fmt->as_string();
    if (how == "json_text") return Format::JsonText;
    if (how == "string") return Format::String;
    if (how == "score_trend") return Format::ScoreTrend;
    if (how == "int_if_digits") return Format::IntIfDigits;
    throw std::logic_error("adapter mapping: unknown output format");
}

// One field of the mapping's output description ("from" or "const", "map",
// "format"), named `name`.
OutputField field_of(const json::object& f, std::string name) {
    OutputField out;
    out.name = std::move(name);
    if (const json::value* k = f.if_contains("const")) {
        out.constant = *k;
    } else {
        const json::string_view from = f.at("from").as_string();
        out.from = result_key(std::string_view(from.data(), from.size()));
        if (!out.from) throw std::logic_error("adapter mapping: unknown result field");
    }
    if (const json::value* m = f.if_contains("map")) out.map = &m->as_object();
    out.format = format_of(f);
    return out;
}

void plan_output(HostMapping& h, const json::object& output_fields) {
    const json::object& spec = h.spec->at("output").as_object();
    auto enabled = [&](const json::object& o) {
        const json::value* s = h.settings.if_contains(o.at("setting").as_string());
        return s && s->is_bool() && s->get_bool();
    };
    std::vector<OutputField>& top = h.output;
    if (const json::value* header = spec.if_contains("header"))
        for (const auto& kv : header->as_object()) {
            OutputField c;
            c.name = sv(kv.key());
            c.constant = kv.value();
            set(top, std::move(c));
        }
    const json::object& idspec = spec.at("id").as_object();
    std::string id_name = sv(idspec.at("name").as_string());
    if (const json::value* o = output_fields.if_contains("id"); o && o->is_string()) id_name = sv(o->get_string());
    OutputField id;
    id.name = std::move(id_name);
    id.from = ResultKey::Id;
    id.format = format_of(idspec);
    if (const json::value* m = idspec.if_contains("map")) id.map = &m->as_object();
    set(top, std::move(id));

    bool stringify = false;
    if (const json::value* s = spec.if_contains("stringify")) stringify = s->as_bool();
    std::vector<OutputField> fields;
    auto put = [&](OutputField f) {
        f.name = substitute(h, std::move(f.name));
        f.stringify = stringify;
        set(fields, std::move(f));
    };
    std::vector<std::string> defaults;
    for (const json::value& fv : spec.at("fields").as_array()) {
        const json::object& f = fv.as_object();
        std::string from = sv(f.at("from").as_string());
        defaults.push_back(from);
        std::string name = sv(f.at("name").as_string());
        if (const json::value* o = output_fields.if_contains(from)) {
            if (o->is_null()) continue;
            name = sv(o->get_string());
        }
        put(field_of(f, name));
    }
    for (const auto& kv : output_fields) {  // result fields the installation adds
        std::string from = sv(kv.key());
        if (from == "id" || kv.value().is_null() || std::find(defaults.begin(), defaults.end(), from) != defaults.end())
            continue;
        OutputField f;
        f.name = sv(kv.value().get_string());
        f.from = result_key(from);
        f.structured_as_text = true;
        put(std::move(f));
    }
    if (const json::value* options = spec.if_contains("options"))
        for (const json::value& ov : options->as_array()) {
            if (!enabled(ov.as_object())) continue;
            for (const json::value& fv : ov.as_object().at("fields").as_array())
                put(field_of(fv.as_object(), sv(fv.as_object().at("name").as_string())));
        }
    if (const json::value* nest = spec.if_contains("nest")) {
        OutputField n;
        n.name = sv(nest->as_string());
        n.object = true;
        n.members = std::move(fields);
        set(top, std::move(n));
    } else {
        for (OutputField& f : fields) set(top, std::move(f));
    }
    if (const json::value* objects = spec.if_contains("objects"))
        for (const json::value& ov : objects->as_array()) {
            const json::object& obj = ov.as_object();
            if (!enabled(obj)) continue;
            OutputField body;
            body.name = sv(obj.at("name").as_string());
            body.object = true;
            for (const json::value& fv : obj.at("fields").as_array())
                set(body.members, field_of(fv.as_object(), sv(fv.as_object().at("name").as_string())));
            set(top, std::move(body));
        }
}

std::vector<Attribute> profile_of(const json::array& names) {
    std::vector<Attribute> out;
    for (const json::value& a : names) {
        const json::string_view n = a.as_string();
        if (n == "size") out.push_back(Attribute::Size);
        else if (n == "territory") out.push_back(Attribute::Territory);
        else if (n == "industry") out.push_back(Attribute::Industry);
    }
    return out;
}

}  // namespace

std::vector<HostMapping> load_mappings(const json::object* config, const Limits& limits) {
    std::vector<HostMapping> hosts;
    for (const MappingFile& m : mapping_files()) {
        HostMapping h;
        h.name = m.name;
        h.spec = &m.spec;
        h.csv = m.spec.at("format").as_string() == "csv";
        h.max_depth = limits.max_depth;
        h.records = m.spec.at("records").as_array();
        h.default_profile = profile_of(m.spec.at("default_profile").as_array());
        for (const auto& kv : m.spec.at("settings").as_object())
            if (const json::value* d = kv.value().as_object().if_contains("default")) h.settings[kv.key()] = *d;
        hosts.push_back(std::move(h));
    }
    std::vector<json::object> output_fields(hosts.size());
    if (config) {
        for (const auto& kv : *config) {
            const std::string path = "adapters." + sv(kv.key());
            auto it = std::find_if(hosts.begin(), hosts.end(), [&](const HostMapping& h) { return h.name == kv.key(); });
            if (it == hosts.end()) {
                std::string known;
                for (const HostMapping& h : hosts) known += (known.empty() ? "" : ", ") + h.name;
                config_fail(path, "unknown adapter (known: " + known + ")");
            }
            const json::object* o = kv.value().if_object();
            if (!o) config_fail(path, "expected an object");
            configure(*it, *o, path, output_fields[static_cast<std::size_t>(it - hosts.begin())]);
        }
    }
    for (std::size_t i = 0; i < hosts.size(); ++i) plan_output(hosts[i], output_fields[i]);
    return hosts;
}

}  // namespace crmtier::adapters
