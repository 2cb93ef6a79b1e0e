#include "report/escape.hpp"

#include "base/utf8.hpp"

namespace crmtier::report {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool noncharacter(char32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

}  // namespace

// Each byte that breaks UTF-8 becomes U+FFFD; the characters between are
// escaped.
void append_html_escaped(std::string& out, std::string_view s) {
    out.reserve(out.size() + s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t len = utf8_sequence_at(s, i);
        if (len == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        const char32_t c = utf8_code_point(s, i, len);
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

std::string html_escape(std::string_view text) {
    std::string out;
    append_html_escaped(out, text);
    return out;
}

}  // namespace crmtier::report
