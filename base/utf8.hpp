// UTF-8 validation: the one check every reader of text (JSON, CSV, messages
// that quote input) uses.
#pragma once

#include <cstddef>
#include <string_view>

namespace crmtier {

// The offset of the first byte that breaks UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view text);

// The length of the longest prefix of `text` of at most `max` bytes that
// does not end inside a UTF-8 sequence (where the text is valid UTF-8).
std::size_t utf8_cut(std::string_view text, std::size_t max);

}  // namespace crmtier
