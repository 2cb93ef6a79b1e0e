#include "base/quote.hpp"

#include "base/json_writer.hpp"
#include "base/utf8.hpp"

namespace crmtier {

std::string quoted(std::string_view text, std::size_t max) {
    const std::size_t cut = utf8_cut(text, max);
    std::string clean;
    std::string_view rest = text.substr(0, cut);
    for (;;) {
        const std::size_t bad = invalid_utf8_at(rest);
        if (bad == std::string_view::npos) break;
        clean.append(rest.substr(0, bad)).append("\xEF\xBF\xBD");
        rest.remove_prefix(bad + 1);
    }
    clean.append(rest);
    std::string out;
    append_json_string(out, clean);
    if (cut < text.size()) out.insert(out.size() - 1, "...");
    return out;
}

}  // namespace crmtier
