// Host text made safe for the page. Every text that comes from a host (names,
// owners, ids, industries, territories, labels) goes through html_escape():
// the Mustache templates call it for every {{variable}}.
#pragma once

#include <string>
#include <string_view>

namespace crmtier::report {

// `text` for HTML text and double- or single-quoted attribute values (and so
// for inline SVG, which the HTML parser reads the same way): & < > " ' become
// character references; what an HTML5 parser reports as an error becomes
// U+FFFD: bytes that are not UTF-8, control characters other than tab and
// newline (carriage return becomes a space), and noncharacters. Never put the
// result inside <script> or <style>: the page puts no host text there.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

}  // namespace crmtier::report
