#include "base/json_writer.hpp"

#include <boost/json/value.hpp>

namespace crmtier {

namespace {

void write_value(std::string& out, const boost::json::value& v, std::size_t depth, std::size_t max_depth) {
    namespace json = boost::json;
    if (depth > max_depth) {
        out += "null";
        return;
    }
    char buf[24];
    switch (v.kind()) {
        case json::kind::null: out += "null"; break;
        case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
        case json::kind::int64: out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_int64()).ptr); break;
        case json::kind::uint64: out.append(buf, std::to_chars(buf, buf + sizeof buf, v.get_uint64()).ptr); break;
        case json::kind::double_: append_decimal(out, v.get_double()); break;
        case json::kind::string: {
            const json::string& s = v.get_string();
            append_json_string(out, std::string_view(s.data(), s.size()));
            break;
        }
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const json::value& e : v.get_array()) {
                if (!first) out += ',';
                first = false;
                write_value(out, e, depth + 1, max_depth);
            }
            out += ']';
            break;
        }
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& kv : v.get_object()) {
                if (!first) out += ',';
                first = false;
                append_json_string(out, std::string_view(kv.key().data(), kv.key().size()));
                out += ':';
                write_value(out, kv.value(), depth + 1, max_depth);
            }
            out += '}';
            break;
        }
    }
}

}  // namespace

void write_json(std::string& out, const boost::json::value& v, std::size_t max_depth) {
    write_value(out, v, 0, max_depth);
}

std::string to_json(const boost::json::value& v, std::size_t max_depth) {
    std::string out;
    write_json(out, v, max_depth);
    return out;
}

}  // namespace crmtier
