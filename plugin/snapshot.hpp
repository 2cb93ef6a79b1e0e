// Snapshots: the engine's records in one versioned, checksummed file,
// replaced atomically (docs/reliability.md has the format).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/portfolio.hpp"

namespace crmtier::snapshot {

inline constexpr std::uint32_t kFormatVersion = 1;

struct Contents {
    Day as_of = 0;
    std::uint64_t seq = 0;
    std::vector<Record> records;
};

// The whole file's bytes for a portfolio.
std::string serialize(const Portfolio& portfolio);
// Checks and reads a file's bytes. Throws SnapshotError (not a snapshot,
// truncated, checksum mismatch, newer version, malformed content).
Contents deserialize(std::string_view bytes, const Limits& limits);

// Replaces `path` with `bytes`: temporary file, fsync, rename, fsync of the
// folder. Throws IoError; on failure the old file is untouched.
void write_atomically(const std::string& path, std::string_view bytes);
// Throws IoError.
std::string read_file(const std::string& path);

}  // namespace crmtier::snapshot
