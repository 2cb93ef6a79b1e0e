// The JSON writer: every JSON text crmtier produces (results, reports,
// host records, messages) goes through these forms. Written by hand because
// the output is the product: fixed key order, money in exact decimal, doubles
// in their shortest round-trip form, so equal inputs give equal bytes.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "base/dates.hpp"
#include "base/numbers.hpp"

namespace crmtier {

// --- The formats, written at a pointer ----------------------------------------
// Each writes at `p`, which has room for the bound given, and returns the end
// of what it wrote: JsonWriter below and the result renderer
// (plugin/render.cpp) both write through them.

namespace json_detail {
// memcpy for the short runs a result is made of (amounts, dates, names:
// 4 to 16 bytes): two overlapping fixed-size moves instead of a call.
inline void copy_chars(char* to, const char* from, std::size_t n) {
    if (n >= 8 && n <= 16) {
        std::uint64_t head, tail;
        std::memcpy(&head, from, 8);
        std::memcpy(&tail, from + n - 8, 8);
        std::memcpy(to, &head, 8);
        std::memcpy(to + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
        std::uint32_t head, tail;
        std::memcpy(&head, from, 4);
        std::memcpy(&tail, from + n - 4, 4);
        std::memcpy(to, &head, 4);
        std::memcpy(to + n - 4, &tail, 4);
    } else if (n != 0) {
        std::memcpy(to, from, n);
    }
}
}  // namespace json_detail

// Room write_json_string() needs for `n` bytes of text: each byte may become
// a six-byte \u00XX escape; and the two quotes.
constexpr std::size_t json_string_bound(std::size_t n) { return 6 * n + 2; }

// `s` as a JSON string: quoted; '"', '\\' and the control characters escaped
// (\n \r \t by name, the others as \u00XX); every other byte as it is.
inline char* write_json_string(char* p, std::string_view s) {
    const auto plain = [](char c) { return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20; };
    *p++ = '"';
    // Most text needs no escape: the run before the first byte that does goes in at once.
    std::size_t i = 0;
    while (i < s.size() && plain(s[i])) ++i;
    json_detail::copy_chars(p, s.data(), i);
    p += i;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (plain(c)) {
            *p++ = c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                p[0] = 'u';
                p[1] = '0';
                p[2] = '0';
                p[3] = hex[(c >> 4) & 0xf];
                p[4] = hex[c & 0xf];
                p += 5;
            }
        }
    }
    *p++ = '"';
    return p;
}

// The same, appended to `out`.
inline void append_json_string(std::string& out, std::string_view s) {
    const std::size_t at = out.size();
    out.resize(at + json_string_bound(s.size()));
    out.resize(static_cast<std::size_t>(write_json_string(out.data() + at, s) - out.data()));
}

// Builds one JSON text in `out`, appending: objects and arrays in the order
// written, separators put in as needed.
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
            append_json_string(out_, k);
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
    JsonWriter& str(std::string_view s) { sep(); append_json_string(out_, s); return *this; }
    JsonWriter& boolean(bool b) { sep(); out_.append(b ? "true" : "false"); return *this; }
    JsonWriter& null() { sep(); out_.append("null"); return *this; }
    JsonWriter& integer(std::int64_t v) { return whole(v); }
    JsonWriter& uinteger(std::uint64_t v) { return whole(v); }
    JsonWriter& number(double v) {
        sep();
        char buf[kNumberChars];
        out_.append(buf, write_number(buf, v));
        return *this;
    }
    JsonWriter& money(Money m) { sep(); append_money(out_, m); return *this; }
    JsonWriter& date(Day d) {
        sep();
        char buf[12];
        buf[0] = '"';
        *write_date(buf + 1, d) = '"';
        out_.append(buf, 12);
        return *this;
    }

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

    std::string& out_;
    bool first_ = true;
};

// A parsed JSON value (a host's record, a mapping's setting, a value built
// for a host) as compact text, appended to `out`: members in their order,
// strings as write_json_string() writes them, doubles as a host reads them
// (append_decimal(): 1250.0, never 1.25E3). Nesting deeper than `max_depth`
// levels is written as null.
void write_json(std::string& out, const boost::json::value& v, std::size_t max_depth);
std::string to_json(const boost::json::value& v, std::size_t max_depth);

}  // namespace crmtier
