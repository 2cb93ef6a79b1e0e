#include "report/escape.hpp"

#include "base/utf8.hpp"

namespace crmtier::report {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// One well-formed UTF-8 sequence starting at s[i] (invalid_utf8_at() found
// none broken): its code point and length.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    const char32_t c = b(0);
    if (c < 0x80) return len = 1, c;
    if (c < 0xE0) return len = 2, ((c & 0x1F) << 6) | (b(1) & 0x3F);
    if (c < 0xF0) return len = 3, ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    return len = 4, ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

bool noncharacter(char32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

// Escapes text known to be valid UTF-8.
void escape_valid(std::string& out, std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len;
        const char32_t c = decode(s, i, len);
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\t':
            case '\n': out += static_cast<char>(c); break;
            case '\r': out += ' '; break;
            default:
                if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || noncharacter(c)) out += kReplacement;
                else out.append(s.data() + i, len);
        }
        i += len;
    }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size());
    // Each broken byte becomes U+FFFD; the valid runs between are escaped.
    while (!text.empty()) {
        const std::size_t bad = invalid_utf8_at(text);
        if (bad == std::string_view::npos) {
            escape_valid(out, text);
            return;
        }
        escape_valid(out, text.substr(0, bad));
        out += kReplacement;
        text.remove_prefix(bad + 1);
    }
}

std::string html_escape(std::string_view text) {
    std::string out;
    append_html_escaped(out, text);
    return out;
}

}  // namespace crmtier::report
