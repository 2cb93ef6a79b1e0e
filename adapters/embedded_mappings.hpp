// The host mapping descriptions (adapters/mappings/*.json), embedded into the
// library at build time: adapters/CMakeLists.txt writes embedded_mappings.cpp
// into the build tree with each file as a raw string literal. The library
// never reads a mapping file at run time.
#pragma once

#include <cstddef>

namespace crmtier::adapters::detail {

struct EmbeddedMapping {
    const char* file;  // e.g. "hubspot.json"
    const char* text;  // the JSON text of the file
};

extern const EmbeddedMapping kEmbeddedMappings[];
extern const std::size_t kEmbeddedMappingCount;

}  // namespace crmtier::adapters::detail
