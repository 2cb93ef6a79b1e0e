// A small append-only JSON writer for the engine's outputs. Written by hand
// because the output is the product: fixed key order, money in exact decimal,
// doubles in their shortest round-trip form, so equal inputs give equal bytes.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstring>
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

    // Keys are the engine's own names: nothing in them needs escaping.
    JsonWriter& key(std::string_view k) {
        char buf[64];
        std::size_t n = 0;
        if (!first_) buf[n++] = ',';
        if (k.size() + 4 > sizeof buf) {
            out_.append(buf, n);
            quote(k);
            out_.push_back(':');
        } else {
            buf[n++] = '"';
            std::memcpy(buf + n, k.data(), k.size());
            n += k.size();
            buf[n++] = '"';
            buf[n++] = ':';
            out_.append(buf, n);
        }
        first_ = true;  // the value that follows takes no comma
        return *this;
    }
    JsonWriter& str(std::string_view s) { sep(); quote(s); return *this; }
    JsonWriter& boolean(bool b) { sep(); out_.append(b ? "true" : "false"); return *this; }
    JsonWriter& null() { sep(); out_.append("null"); return *this; }
    JsonWriter& integer(std::int64_t v) { return whole(v); }
    JsonWriter& uinteger(std::uint64_t v) { return whole(v); }
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


private:
    template <class T>
    JsonWriter& whole(T v) {
        sep();
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    void sep() {
        if (!first_) out_.push_back(',');
        first_ = false;
    }
    void quote(std::string_view s) {
        out_.push_back('"');
        // Runs of characters that need no escape go in with one append.
        std::size_t run = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
            out_.append(s.data() + run, i - run);
            run = i + 1;
            switch (c) {
                case '"': out_.append("\\\""); break;
                case '\\': out_.append("\\\\"); break;
                case '\n': out_.append("\\n"); break;
                case '\r': out_.append("\\r"); break;
                case '\t': out_.append("\\t"); break;
                default: {
                    static const char hex[] = "0123456789abcdef";
                    const char esc[6] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
                    out_.append(esc, 6);
                }
            }
        }
        out_.append(s.data() + run, s.size() - run);
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
