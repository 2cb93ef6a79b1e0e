// Canonical records: what adapters produce and the engine consumes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "base/dates.hpp"
#include "plugin/policy.hpp"

namespace crmtier {

struct AccountRecord {
    std::string id;
    bool deleted = false;
    std::string name;
    std::string owner;
    std::optional<std::int64_t> employees;
    std::string territory;
    std::string industry;
    std::optional<Day> last_contact;
};

struct RevenueRecord {
    std::string id;
    bool deleted = false;
    std::string account_id;
    Day date = 0;
    std::int64_t amount = 0;  // Money units (1/10,000)
    std::string product;
};

using Record = std::variant<AccountRecord, RevenueRecord>;

// One record's fields as views, of the text a bulk load parsed them from or
// of a Record's strings: what the portfolio applies, without a copy of any
// string. Valid while what it views is.
struct RecordRef {
    bool account = false;  // an account record; else a revenue record
    bool deleted = false;
    std::string_view id;
    // Accounts.
    std::string_view name, owner, territory, industry;
    std::optional<std::int64_t> employees;
    std::optional<Day> last_contact;
    // Revenue records.
    std::string_view account_id, product;
    Day date = 0;
    std::int64_t amount = 0;
    // IdArena::hash() of id and account_id, when `hashed` (a bulk load's
    // parsing threads work them out ahead of the thread that applies).
    bool hashed = false;
    std::uint64_t id_hash = 0, account_hash = 0;
};

RecordRef ref_of(const Record& r);

// Records parsed for applying: views of the input where the fast path took a
// record, else of the Record a full parse made, kept here (in a deque, so
// that adding one never moves those already viewed).
struct RecordBatch {
    std::vector<RecordRef> refs;
    std::deque<Record> owned;

    void clear() {
        refs.clear();
        if (!owned.empty()) owned.clear();  // (clear() on an empty deque still costs)
    }
    void add(Record r) {
        owned.push_back(std::move(r));
        refs.push_back(ref_of(owned.back()));
    }
};

// The fast path of parse_record_text() alone: true, with `out` viewing
// `text`, when the text is a flat canonical record that parse_record_text()
// accepts and gives these same fields for; false (nothing said about the
// text) otherwise: then parse_record_text() decides, and says why.
bool parse_record_ref(std::string_view text, const Limits& limits, RecordRef& out);

// Validates one canonical record. Throws RecordError naming the record
// ("revenue \"INV-9\"") and the field. Unknown fields are refused too, so a
// misspelt field never passes silently.
Record parse_record(const boost::json::object& obj, const Limits& limits);

// Parses the text of one record (a JSON object). Throws ParseError, LimitError
// or RecordError.
Record parse_record_text(std::string_view text, const Limits& limits);

// The account a record belongs to.
const std::string& account_of(const Record& r);

}  // namespace crmtier
