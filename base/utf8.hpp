// UTF-8: the one validation every reader of text (JSON, CSV, messages that
// quote input) uses, and the one decoder (HTML escaping, folding names).
#pragma once

#include <cstddef>
#include <string_view>

namespace crmtier {

// The length (1 to 4) of the well-formed UTF-8 sequence that starts at
// text[i] (i < text.size()), or 0 where none does: a stray continuation
// byte, an overlong form, a surrogate, a code point above U+10FFFF, a
// sequence cut short.
std::size_t utf8_sequence_at(std::string_view text, std::size_t i);

// The code point of the well-formed sequence of `len` bytes at text[i]
// (len from utf8_sequence_at(), not 0).
char32_t utf8_code_point(std::string_view text, std::size_t i, std::size_t len);

// The offset of the first byte that breaks UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view text);

// The length of the longest prefix of `text` of at most `max` bytes that
// does not end inside a UTF-8 sequence (where the text is valid UTF-8).
std::size_t utf8_cut(std::string_view text, std::size_t max);

}  // namespace crmtier
