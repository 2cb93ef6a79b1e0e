// The page's template, style sheet, script and label tables, embedded into
// the library at build time: report/CMakeLists.txt writes embedded_report.cpp
// into the build tree with each file as a raw string literal. The library
// reads no file at run time.
#pragma once

#include <cstddef>
#include <string_view>

namespace crmtier::report {

namespace detail {

struct EmbeddedFile {
    const char* path;  // relative to report/, e.g. "labels/en.json"
    const char* text;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;
// The SHA-256 of templates/plan.js, in hex.
extern const char kScriptSha256Hex[];

}  // namespace detail

// The text of an embedded file; throws std::logic_error when there is none
// (a build without it: a bug, reported as an internal error).
std::string_view embedded(std::string_view path);

}  // namespace crmtier::report
