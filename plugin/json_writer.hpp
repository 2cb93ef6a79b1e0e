// A small append-only JSON writer for the engine's outputs. Written by hand
// because the output is the product: fixed key order, money in exact decimal,
// doubles in their shortest round-trip form, so equal inputs give equal bytes.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "dates.hpp"
#include "json_guard.hpp"
#include "money.hpp"

namespace crmtier {

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object() { sep(); out_.push_back('{'); first_ = true; return *this; }
    JsonWriter& end_object() { out_.push_back('}'); first_ = false; return *this; }
    JsonWriter& begin_array() { sep(); out_.push_back('['); first_ = true; return *this; }
    JsonWriter& end_array() { out_.push_back(']'); first_ = false; return *this; }

    JsonWriter& key(std::string_view k) {
        sep();
        quote(k);
        out_.push_back(':');
        first_ = true;  // the value that follows takes no comma
        return *this;
    }
    JsonWriter& str(std::string_view s) { sep(); quote(s); return *this; }
    JsonWriter& boolean(bool b) { sep(); out_.append(b ? "true" : "false"); return *this; }
    JsonWriter& null() { sep(); out_.append("null"); return *this; }
    JsonWriter& integer(std::int64_t v) {
        sep();
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    JsonWriter& uinteger(std::uint64_t v) {
        sep();
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    JsonWriter& number(double v) {
        sep();
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
        out_.append(s);
        if (s.find_first_of(".eE") == std::string_view::npos) out_.append(".0");
        return *this;
    }
    JsonWriter& money(Money m) { sep(); append_money(out_, m); return *this; }
    JsonWriter& date(Day d) { sep(); out_.push_back('"'); append_date(out_, d); out_.push_back('"'); return *this; }

    // Shorthands for "key": value.
    template <class F>
    JsonWriter& field(std::string_view k, F&& write_value) { key(k); write_value(*this); return *this; }

private:
    void sep() {
        if (!first_) out_.push_back(',');
        first_ = false;
    }
    void quote(std::string_view s) {
        out_.push_back('"');
        for (char c : s) {
            switch (c) {
                case '"': out_.append("\\\""); break;
                case '\\': out_.append("\\\\"); break;
                case '\n': out_.append("\\n"); break;
                case '\r': out_.append("\\r"); break;
                case '\t': out_.append("\\t"); break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        static const char hex[] = "0123456789abcdef";
                        out_.append("\\u00");
                        out_.push_back(hex[(c >> 4) & 0xf]);
                        out_.push_back(hex[c & 0xf]);
                    } else {
                        out_.push_back(c);
                    }
            }
        }
        out_.push_back('"');
    }

    std::string& out_;
    bool first_ = true;
};

// Untrusted text for an error message: JSON-quoted (so no NUL or newline gets
// through) and cut to `max` bytes.
// Bytes that are not UTF-8 become U+FFFD, so the message itself is UTF-8.
inline std::string quoted(std::string_view text, std::size_t max = 64) {
    std::string clean;
    std::string_view rest = text.substr(0, std::min(text.size(), max));
    for (;;) {
        const std::size_t bad = invalid_utf8_at(rest);
        if (bad == std::string_view::npos) break;
        clean.append(rest.substr(0, bad)).append("\xEF\xBF\xBD");
        rest.remove_prefix(bad + 1);
    }
    clean.append(rest);
    std::string out;
    JsonWriter(out).str(clean);
    if (text.size() > max) out.insert(out.size() - 1, "...");
    return out;
}

}  // namespace crmtier
