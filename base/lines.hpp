// Bulk text, line by line: the one walk over lines and byte-order marks that
// JSON Lines, CSV and every bulk path use.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace crmtier {

// A UTF-8 byte-order mark: what some exporters (Excel, PowerShell) put first.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// `text` without a leading byte-order mark.
inline std::string_view strip_bom(std::string_view text) {
    if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
    return text;
}

// Calls f(line, number) for each line of `text`: the bytes before each "\n"
// (or "\r\n"), and after the last one when text follows it; `before` is the
// number of lines that came before `text`, so numbers go on from it. Returns
// the number of the last line. (A text that ends with "\n" has no empty line
// after it.)
template <class F>
std::size_t for_each_line(std::string_view text, std::size_t before, F&& f) {
    std::size_t line = before;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view one = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        if (!one.empty() && one.back() == '\r') one.remove_suffix(1);
        f(one, line);
    }
    return line;
}

// A line with nothing but spaces and tabs: bulk input skips it.
inline bool blank_line(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

// The 1-based line of the byte at `offset` of `text`.
inline std::size_t line_of(std::string_view text, std::size_t offset) {
    const std::size_t end = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

// The first position at or after `at` that starts a line (or the end).
inline std::size_t line_start(std::string_view text, std::size_t at) {
    if (at >= text.size()) return text.size();
    if (at == 0) return 0;
    const std::size_t nl = text.find('\n', at - 1);
    return nl == std::string_view::npos ? text.size() : nl + 1;
}

// About how many lines `text` has, from the line lengths of 16 samples of 64
// KB spread over it (exactly, when it is small): what a bulk load makes room
// for. Too few only costs an index a rehash; too many, memory.
inline std::size_t estimated_lines(std::string_view text) {
    constexpr std::size_t kSamples = 16, kSample = 64u << 10;
    if (text.size() <= kSamples * kSample) return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::size_t newlines = 0;
    for (std::size_t i = 0; i < kSamples; ++i) {
        const std::size_t at = (text.size() - kSample) / (kSamples - 1) * i;
        newlines += static_cast<std::size_t>(std::count(text.begin() + at, text.begin() + at + kSample, '\n'));
    }
    return text.size() / (kSamples * kSample) * (newlines + 1) * 11 / 10;
}

}  // namespace crmtier
