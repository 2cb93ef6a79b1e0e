#include "base/json_guard.hpp"

#include <set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

namespace crmtier {

namespace {

namespace json = boost::json;

// Tracks the keys of every open object; stops at the first repeat.
struct KeyHandler {
    static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

    std::vector<std::set<std::string>> open;
    std::string key;
    std::string duplicate;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        open.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        open.pop_back();
        return true;
    }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(std::size_t, json::error_code&) { return true; }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        key.append(s.data(), s.size());
        if (!open.back().insert(key).second) {
            duplicate = key;
            ec = json::error::extra_data;  // any error: it stops the parse
            return false;
        }
        key.clear();
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
    bool on_double(double, json::string_view, json::error_code&) { return true; }
    bool on_bool(bool, json::error_code&) { return true; }
    bool on_null(json::error_code&) { return true; }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

std::string duplicate_key(std::string_view text, std::size_t max_depth) {
    json::parse_options opts;
    opts.max_depth = max_depth;
    json::basic_parser<KeyHandler> p(opts);
    json::error_code ec;
    p.write_some(false, text.data(), text.size(), ec);
    return p.handler().duplicate;
}

}  // namespace crmtier
