// A record whose object names one field twice is ambiguous ("amount": 10,
// "amount": 1000): Boost.JSON would silently keep the last. This pass over
// the text refuses it before the record is parsed into a value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crmtier {

// Empty when `text` names no key twice in any object; otherwise the
// duplicated key. (Malformed JSON is left to the real parse to report.)
std::string duplicate_key(std::string_view text, std::size_t max_depth);

}  // namespace crmtier
