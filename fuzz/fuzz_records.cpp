// The canonical record scanner (plugin/records.cpp's fast path, which bulk
// loads and saves take) against the full path built on Boost.JSON: whenever
// the scanner accepts a text, the full path must accept it too and give the
// same record, field by field (money to the unit). The scanner may give up
// on texts the full path accepts (then the full path decides); it must
// never accept what the full path refuses, nor read a field differently.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json.hpp>

#include "base/json_parse.hpp"
#include "base/limits.hpp"
#include "plugin/records.hpp"

namespace {

[[noreturn]] void fail(const std::string& why, std::string_view text) {
    std::fprintf(stderr, "crmtier fuzz oracle: records: %s\n%.*s\n", why.c_str(), static_cast<int>(text.size()),
                 text.data());
    std::abort();
}

std::string money_text(std::int64_t v) { return std::to_string(v); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const crmtier::Limits limits;
    crmtier::RecordRef fast;
    if (!crmtier::parse_record_ref(text, limits, fast)) return 0;
    // The full path alone, as parse_record_text() takes it when the scanner
    // gives up.
    crmtier::Record full;
    try {
        std::string dup;
        const boost::json::value v = crmtier::parse_json(text, limits.max_depth, dup);
        if (!v.is_object()) fail("the scanner accepted a text that is not a JSON object", text);
        if (!dup.empty())
            fail("the scanner accepted a duplicate key", text);
        full = crmtier::parse_record(v.get_object(), limits);
    } catch (const std::exception& e) {
        fail(std::string("the scanner accepted what the full path refuses: ") + e.what(), text);
    }
    const crmtier::RecordRef slow = crmtier::ref_of(full);
    auto same = [&](const char* field, bool equal) {
        if (!equal) fail(std::string("field ") + field + " differs between the scanner and the full path", text);
    };
    same("type", fast.account == slow.account);
    same("id", fast.id == slow.id);
    same("deleted", fast.deleted == slow.deleted);
    if (fast.deleted) return 0;  // a delete's other fields are not read
    if (fast.account) {
        same("name", fast.name == slow.name);
        same("owner", fast.owner == slow.owner);
        same("employees", fast.employees == slow.employees);
        same("territory", fast.territory == slow.territory);
        same("industry", fast.industry == slow.industry);
        same("last_contact", fast.last_contact == slow.last_contact);
    } else {
        same("account_id", fast.account_id == slow.account_id);
        same("date", fast.date == slow.date);
        if (fast.amount != slow.amount)
            fail("amount: scanner " + money_text(fast.amount) + ", full path " + money_text(slow.amount), text);
        same("product", fast.product == slow.product);
    }
    return 0;
}
