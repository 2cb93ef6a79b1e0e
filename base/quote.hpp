// Untrusted text quoted in a message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crmtier {

// `text` for an error message: JSON-quoted (so no NUL, newline or quote gets
// through), cut to at most `max` bytes at a character boundary ("..." marks
// the cut), and every byte that is not UTF-8 written as U+FFFD, so the
// message itself is valid UTF-8.
std::string quoted(std::string_view text, std::size_t max = 64);

}  // namespace crmtier
