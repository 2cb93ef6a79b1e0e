// The options object of crmtier_engine_report(): parsed like the engine's
// configuration, every key checked, errors naming the key.
#include <algorithm>

#include <boost/json.hpp>

#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/limits.hpp"
#include "base/quote.hpp"
#include "base/json_writer.hpp"
#include "plugin/records.hpp"
#include "report/report.hpp"

namespace crmtier::report {

namespace json = boost::json;

namespace {

constexpr std::string_view kWhere = "report options: ";

[[noreturn]] void fail(std::string_view key, const std::string& why) {
    throw ConfigError(std::string(kWhere) + "\"" + std::string(key) + "\": " + why);
}

std::string text(const json::value& v, std::string_view key) {
    if (!v.is_string() || v.get_string().empty()) fail(key, "expected a non-empty string");
    return std::string(v.get_string());
}

std::int64_t whole(const json::value& v, std::string_view key, std::int64_t lo, std::int64_t hi) {
    std::int64_t i;
    if (v.is_int64()) i = v.get_int64();
    else if (v.is_uint64()) i = v.get_uint64() > static_cast<std::uint64_t>(hi) ? hi + 1 : static_cast<std::int64_t>(v.get_uint64());
    else fail(key, "expected a whole number");
    if (i < lo || i > hi) fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return i;
}

}  // namespace

Options parse_options(std::string_view text_in) {
    const Limits limits;
    json::value root;
    std::string dup;
    try {
        root = parse_json(text_in, limits.max_depth, dup);
    } catch (const Error& e) {
        throw_error(e.status(), std::string(kWhere) + e.what());
    }
    if (!dup.empty())
        throw ConfigError(std::string(kWhere) + quoted(dup) + ": duplicate key (it appears twice)");
    if (!root.is_object()) throw ConfigError(std::string(kWhere) + "expected a JSON object");

    Options o;
    for (const auto& [k, v] : root.get_object()) {
        const std::string_view key(k.data(), k.size());
        if (key == "owner") {
            if (!v.is_null()) o.owner = text(v, key);
        } else if (key == "title") {
            if (!v.is_null()) o.title = text(v, key);
        } else if (key == "lang") {
            o.lang = text(v, key);
            const auto langs = languages();
            if (std::find(langs.begin(), langs.end(), o.lang) == langs.end()) {
                std::string known;
                for (const auto& l : langs) known += (known.empty() ? "\"" : ", \"") + l + "\"";
                fail(key, "no labels for " + quoted(o.lang, 32) + " (built in: " + known +
                              "; other languages: override every label with \"labels\")");
            }
        } else if (key == "labels") {
            if (!v.is_object()) fail(key, "expected an object of label: text");
            for (const auto& [lk, lv] : v.get_object()) {
                const std::string name = "labels." + std::string(lk);
                if (!is_label(lk)) fail(name, "unknown label (docs/report.md lists them)");
                if (!lv.is_string()) fail(name, "expected a string");
                o.labels.emplace_back(std::string(lk), std::string(lv.get_string()));
            }
        } else if (key == "since") {
            if (v.is_null()) continue;
            if (!v.is_string()) fail(key, "expected a date as YYYY-MM-DD");
            Day d;
            std::string why;
            if (!parse_date(std::string_view(v.get_string().data(), v.get_string().size()), d, why)) fail(key, why);
            o.since = d;
        } else if (key == "cell_limit") {
            o.cell_limit = static_cast<std::size_t>(whole(v, key, 0, 100000));
        } else if (key == "map_limit") {
            o.map_limit = static_cast<std::size_t>(whole(v, key, 0, 1000000));
        } else if (key == "list_limit") {
            o.list_limit = static_cast<std::size_t>(whole(v, key, 1, 1000000));
        } else if (key == "contact_days") {
            o.contact_days = static_cast<int>(whole(v, key, 0, 3650));
        } else if (key == "scatter_limit") {
            o.scatter_limit = static_cast<std::size_t>(whole(v, key, 0, 1000000));
        } else if (key == "script") {
            if (!v.is_bool()) fail(key, "expected true or false");
            o.script = v.get_bool();
        } else {
            fail(key, "unknown key");
        }
    }
    return o;
}

}  // namespace crmtier::report
