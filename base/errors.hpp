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
    // An error at byte `column` (counted from 1) of one record's text: the
    // message reads "column 34: <reason>"; in bulk input, at_line() makes it
    // "line 12, column 34: <reason>".
    Error(Status status, std::size_t column, const std::string& reason)
        : std::runtime_error("column " + std::to_string(column) + ": " + reason),
          status_(status),
          column_(column),
          reason_(reason) {}
    Status status() const noexcept { return status_; }
    // Where in the record's text, or 0 when the error is not at a place.
    std::size_t column() const noexcept { return column_; }

    // The same error where it stood in bulk input: "line 12: <message>", or
    // "line 12, column 34: <reason>".
    Error at_line(std::size_t line) const {
        const std::string where = "line " + std::to_string(line);
        if (column_) return Error(status_, where + ", column " + std::to_string(column_) + ": " + reason_);
        return Error(status_, where + ": " + what());
    }

private:
    Status status_;
    std::size_t column_ = 0;
    std::string reason_;
};

// Not well-formed JSON / JSON Lines / CSV.
struct ParseError : Error {
    explicit ParseError(const std::string& m) : Error(StatusParse, m) {}
    ParseError(std::size_t column, const std::string& reason) : Error(StatusParse, column, reason) {}
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
    LimitError(std::size_t column, const std::string& reason) : Error(StatusLimit, column, reason) {}
};
struct IoError : Error {
    explicit IoError(const std::string& m) : Error(StatusIo, m) {}
};
struct SnapshotError : Error {
    explicit SnapshotError(const std::string& m) : Error(StatusSnapshot, m) {}
};

// An error of the type its status names (ParseError for StatusParse, ...),
// with `message`: for an error passed on with more said about where it was.
[[noreturn]] inline void throw_error(Status status, const std::string& message) {
    switch (status) {
        case StatusParse: throw ParseError(message);
        case StatusRecord: throw RecordError(message);
        case StatusConfig: throw ConfigError(message);
        case StatusArgument: throw ArgumentError(message);
        case StatusNotFound: throw NotFoundError(message);
        case StatusAdapter: throw AdapterError(message);
        case StatusLimit: throw LimitError(message);
        case StatusIo: throw IoError(message);
        case StatusSnapshot: throw SnapshotError(message);
        default: throw Error(status, message);
    }
}

// `e` again, where it stood in bulk input (Error::at_line()).
[[noreturn]] inline void rethrow_at_line(const Error& e, std::size_t line) {
    throw_error(e.status(), e.at_line(line).what());
}

}  // namespace crmtier
