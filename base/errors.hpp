// The exceptions of crmtier. Each carries the status it becomes at the ABI
// boundary (abi/abi.cpp translates; nothing else catches them to report).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace crmtier {

// The outcome of an operation, as the C interface reports it. The values are
// those of the CRMTIER_E_* codes of abi/crmtier.h (abi/abi.cpp checks that
// at compile time): base knows nothing of the header.
enum Status : int {
    StatusOk = 0,
    StatusArgument = 1,
    StatusParse = 2,
    StatusRecord = 3,
    StatusConfig = 4,
    StatusNotFound = 5,
    StatusAdapter = 6,
    StatusLimit = 7,
    StatusNoMemory = 8,
    StatusInternal = 9,
    StatusIo = 10,
    StatusSnapshot = 11,
};

class Error : public std::runtime_error {
public:
    Error(Status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    Status status() const noexcept { return status_; }

private:
    Status status_;
};

// Not well-formed JSON / JSON Lines / CSV.
struct ParseError : Error {
    explicit ParseError(const std::string& m) : Error(StatusParse, m) {}
};
// Well-formed, but breaks the record contract. Name the record and the field.
struct RecordError : Error {
    explicit RecordError(const std::string& m) : Error(StatusRecord, m) {}
};
struct ConfigError : Error {
    explicit ConfigError(const std::string& m) : Error(StatusConfig, m) {}
};
struct ArgumentError : Error {
    explicit ArgumentError(const std::string& m) : Error(StatusArgument, m) {}
};
struct NotFoundError : Error {
    explicit NotFoundError(const std::string& m) : Error(StatusNotFound, m) {}
};
struct AdapterError : Error {
    explicit AdapterError(const std::string& m) : Error(StatusAdapter, m) {}
};
struct LimitError : Error {
    explicit LimitError(const std::string& m) : Error(StatusLimit, m) {}
};
struct IoError : Error {
    explicit IoError(const std::string& m) : Error(StatusIo, m) {}
};
struct SnapshotError : Error {
    explicit SnapshotError(const std::string& m) : Error(StatusSnapshot, m) {}
};

// `e` again, its message prefixed with where it stood in bulk input
// ("line 12: ...").
[[noreturn]] inline void rethrow_at_line(const Error& e, std::size_t line) {
    throw Error(e.status(), "line " + std::to_string(line) + ": " + e.what());
}

}  // namespace crmtier
