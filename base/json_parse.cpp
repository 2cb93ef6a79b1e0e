#include "base/json_parse.hpp"

#include <charconv>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "base/errors.hpp"
#include "base/utf8.hpp"

namespace crmtier {

namespace {

namespace json = boost::json;

// The keys of every open object, to find the first one named twice (in
// document order). An object's keys are compared one by one while it has
// few; past kScan keys they are also indexed, so that an object of a
// hundred thousand keys costs no more than its length.
class KeyCheck {
public:
    void begin() { open_.push_back({keys_.size(), {}}); }
    void end() {
        keys_.resize(open_.back().start);
        open_.pop_back();
    }
    void part(json::string_view s) {
        if (duplicate_.empty()) part_.append(s.data(), s.size());
    }
    void key(json::string_view s) {
        if (!duplicate_.empty()) return;  // the first is the one reported
        part_.append(s.data(), s.size());
        Open& o = open_.back();
        bool seen;
        if (!o.index.empty()) {
            seen = o.index.count(part_) > 0;
        } else {
            seen = false;
            for (std::size_t i = o.start; i < keys_.size() && !seen; ++i) seen = keys_[i] == part_;
        }
        if (seen) {
            duplicate_ = std::move(part_);
        } else {
            keys_.push_back(std::move(part_));
            if (!o.index.empty()) {
                o.index.insert(keys_.back());
            } else if (keys_.size() - o.start > kScan) {
                for (std::size_t i = o.start; i < keys_.size(); ++i) o.index.insert(keys_[i]);
            }
        }
        part_.clear();
    }
    std::string& duplicate() { return duplicate_; }

private:
    static constexpr std::size_t kScan = 16;
    struct Open {
        std::size_t start;  // its first key in keys_
        std::unordered_set<std::string_view> index;  // views of keys_ (a deque: they never move)
    };
    std::deque<std::string> keys_;
    std::vector<Open> open_;
    std::string part_;
    std::string duplicate_;
};

// Boost.JSON's own value builder (boost/json/detail/handler.hpp), but for
// the doubles: Boost 1.81 computes them with a fast method that may miss the
// nearest double by one unit in the last place (it reads 1000000000000.0001
// as exactly 10^12); here every double is read from its text by
// std::from_chars, which rounds correctly.
struct ValueHandler {
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    json::value_stack st;
    std::string number;  // the text of a number given in parts
    KeyCheck keys;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        keys.begin();
        return true;
    }
    bool on_object_end(std::size_t n, json::error_code&) {
        keys.end();
        st.push_object(n);
        return true;
    }
    bool on_array_begin(json::error_code&) { return true; }
    bool on_array_end(std::size_t n, json::error_code&) {
        st.push_array(n);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        keys.part(s);
        st.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        keys.key(s);
        st.push_key(s);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code&) {
        st.push_string(s);
        return true;
    }
    bool on_number_part(json::string_view s, json::error_code&) {
        number.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
        number.clear();
        st.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
        number.clear();
        st.push_uint64(u);
        return true;
    }
    bool on_double(double d, json::string_view s, json::error_code&) {
        number.append(s.data(), s.size());
        double exact;
        const auto r = std::from_chars(number.data(), number.data() + number.size(), exact);
        // Out of range (1e400): Boost's value (infinity, or 0 for 1e-400) stands.
        if (r.ec == std::errc() && r.ptr == number.data() + number.size()) d = exact;
        number.clear();
        st.push_double(d);
        return true;
    }
    bool on_bool(bool b, json::error_code&) {
        st.push_bool(b);
        return true;
    }
    bool on_null(json::error_code&) {
        st.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

json::value parse_json(std::string_view text, std::size_t max_depth, std::string& duplicate) {
    json::parse_options opts;
    opts.max_depth = max_depth;
    json::basic_parser<ValueHandler> p(opts);
    p.handler().st.reset();
    json::error_code ec;
    const std::size_t at = p.write_some(false, text.data(), text.size(), ec);
    if (!ec && at < text.size()) ec = json::error::extra_data;  // a second value after the first
    if (!ec) {
        duplicate = std::move(p.handler().keys.duplicate());
        return p.handler().st.release();
    }
    if (ec == json::error::too_deep)
        throw LimitError(at + 1, "JSON nested deeper than " + std::to_string(max_depth) + " levels (limits.max_depth)");
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos)
        throw ParseError(bad + 1, "not valid JSON: invalid UTF-8");
    throw ParseError(at + 1, "not valid JSON: " + ec.message());
}

void parse_json_values(std::string_view text, std::size_t max_depth,
                       const std::function<void(json::value&&, std::size_t line, const std::string& duplicate)>& on) {
    json::parse_options opts;
    opts.max_depth = max_depth;
    std::size_t pos = 0, line = 1;
    // Blanks up to the next value, counting lines.
    auto skip = [&] {
        for (; pos < text.size(); ++pos) {
            const char c = text[pos];
            if (c == '\n') ++line;
            else if (c != ' ' && c != '\t' && c != '\r') break;
        }
    };
    // Where byte `at` of `text` is, for a message.
    auto fail = [&](std::size_t at, Status status, const std::string& reason) {
        std::size_t l = 1, start = 0;
        for (std::size_t i = 0; i < at && i < text.size(); ++i)
            if (text[i] == '\n') {
                ++l;
                start = i + 1;
            }
        throw_error(status, "line " + std::to_string(l) + ", column " + std::to_string(at - start + 1) + ": " + reason);
    };
    for (skip(); pos < text.size(); skip()) {
        json::basic_parser<ValueHandler> p(opts);
        p.handler().st.reset();
        json::error_code ec;
        const std::size_t n = p.write_some(false, text.data() + pos, text.size() - pos, ec);
        if (ec == json::error::extra_data) ec = {};
        if (ec) {
            if (ec == json::error::too_deep)
                fail(pos + n, StatusLimit, "JSON nested deeper than " + std::to_string(max_depth) + " levels (limits.max_depth)");
            const std::string_view rest = text.substr(pos);
            if (const std::size_t bad = invalid_utf8_at(rest); bad != std::string_view::npos)
                fail(pos + bad, StatusParse, "not valid JSON: invalid UTF-8");
            fail(pos + n, StatusParse, "not valid JSON: " + ec.message());
        }
        const std::size_t at_line = line;
        // The lines the value spans.
        for (std::size_t i = pos; i < pos + n; ++i)
            if (text[i] == '\n') ++line;
        pos += n;
        on(p.handler().st.release(), at_line, p.handler().keys.duplicate());
    }
}

}  // namespace crmtier
