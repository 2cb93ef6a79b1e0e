// The exceptions the core throws. Each carries the C status it becomes at the
// ABI boundary (abi.cpp translates; nothing else catches them).
#pragma once

#include <stdexcept>
#include <string>

#include "crmtier.h"

namespace crmtier {

class Error : public std::runtime_error {
public:
    Error(int status, const std::string& message)
        : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// Not well-formed JSON / JSON Lines / CSV.
struct ParseError : Error {
    explicit ParseError(const std::string& m) : Error(CRMTIER_E_PARSE, m) {}
};
// Well-formed, but breaks the record contract. Name the record and the field.
struct RecordError : Error {
    explicit RecordError(const std::string& m) : Error(CRMTIER_E_RECORD, m) {}
};
struct ConfigError : Error {
    explicit ConfigError(const std::string& m) : Error(CRMTIER_E_CONFIG, m) {}
};
struct ArgumentError : Error {
    explicit ArgumentError(const std::string& m) : Error(CRMTIER_E_ARGUMENT, m) {}
};
struct NotFoundError : Error {
    explicit NotFoundError(const std::string& m) : Error(CRMTIER_E_NOT_FOUND, m) {}
};
struct AdapterError : Error {
    explicit AdapterError(const std::string& m) : Error(CRMTIER_E_ADAPTER, m) {}
};
struct LimitError : Error {
    explicit LimitError(const std::string& m) : Error(CRMTIER_E_LIMIT, m) {}
};

struct IoError : Error {
    explicit IoError(const std::string& m) : Error(CRMTIER_E_IO, m) {}
};
struct SnapshotError : Error {
    explicit SnapshotError(const std::string& m) : Error(CRMTIER_E_SNAPSHOT, m) {}
};

}  // namespace crmtier
