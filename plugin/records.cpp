#include "plugin/records.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include <boost/json.hpp>

#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/numbers.hpp"
#include "base/quote.hpp"

namespace crmtier {

namespace json = boost::json;

namespace {

struct Reader {
    const json::object& obj;
    const Limits& limits;
    std::string what;  // "account \"ACC-1\"", for messages

    [[noreturn]] void fail(std::string_view field, const std::string& why) const {
        throw RecordError(what + ": field \"" + std::string(field) + "\": " + why);
    }

    const json::value* get(std::string_view field) const {
        auto it = obj.find(field);
        if (it == obj.end() || it->value().is_null()) return nullptr;
        return &it->value();
    }

    // An id is text without control characters: a C host would cut it at a
    // NUL, and a log or a CSV file would break at a newline.
    std::string text(std::string_view field, bool required, std::size_t max, bool is_id = false) const {
        const json::value* v = get(field);
        if (!v) {
            if (required) fail(field, "missing");
            return {};
        }
        if (!v->is_string()) fail(field, "expected a string");
        const auto& s = v->get_string();
        if (required && s.empty()) fail(field, "must not be empty");
        if (s.size() > max) fail(field, "longer than " + std::to_string(max) + " bytes");
        if (is_id)
            for (char c : s)
                if (static_cast<unsigned char>(c) < 0x20) fail(field, "contains a control character");
        return std::string(s.data(), s.size());
    }

    std::optional<Day> date(std::string_view field, bool required) const {
        const json::value* v = get(field);
        if (!v) {
            if (required) fail(field, "missing");
            return std::nullopt;
        }
        if (!v->is_string()) fail(field, "expected a date as YYYY-MM-DD");
        Day d;
        std::string why;
        if (!parse_date(std::string_view(v->get_string().data(), v->get_string().size()), d, why))
            fail(field, why);
        return d;
    }

    void only(std::initializer_list<std::string_view> allowed) const {
        for (const auto& kv : obj) {
            bool ok = false;
            for (auto a : allowed) ok = ok || kv.key() == a;
            if (!ok) fail(kv.key(), "unknown field");
        }
    }
};

std::string describe(const json::object& obj, std::string_view type) {
    std::string what(type.empty() ? "record" : type);
    auto it = obj.find("id");
    if (it != obj.end() && it->value().is_string()) {
        auto id = it->value().get_string();
        what += ' ';
        what += quoted(std::string_view(id.data(), id.size()));
    }
    return what;
}

bool deleted_flag(const Reader& r) {
    const json::value* v = r.get("deleted");
    if (!v) return false;
    if (!v->is_bool()) r.fail("deleted", "expected true or false");
    return v->get_bool();
}


// --- The fast path -------------------------------------------------------------
// Bulk loads are millions of small, flat records in the shape adapters and
// exporters write. This scanner reads exactly that shape without building a
// JSON DOM: one flat object of known keys whose values are plain strings (no
// escapes, ASCII), plain numbers (no exponent), true, false or null. It
// accepts a record only when every rule of parse_record() passes and its
// result is certain to be the same; on anything else (an escape, a non-ASCII
// byte, a duplicate or unknown key, an invalid value, any error) it gives up
// and the record takes the full path, which makes the same decision and
// writes the same error message as before.
namespace fast {

enum Key : int { kType, kId, kDeleted, kName, kOwner, kEmployees, kTerritory, kIndustry, kLastContact,
                 kAccountId, kDate, kAmount, kProduct, kKeys };

int key_of(std::string_view k) {
    switch (k.size()) {
        case 2: return k == "id" ? kId : -1;
        case 4: return k == "type" ? kType : k == "name" ? kName : k == "date" ? kDate : -1;
        case 5: return k == "owner" ? kOwner : -1;
        case 6: return k == "amount" ? kAmount : -1;
        case 7: return k == "deleted" ? kDeleted : k == "product" ? kProduct : -1;
        case 8: return k == "industry" ? kIndustry : -1;
        case 9: return k == "employees" ? kEmployees : k == "territory" ? kTerritory : -1;
        case 10: return k == "account_id" ? kAccountId : -1;
        case 12: return k == "last_contact" ? kLastContact : -1;
        default: return -1;
    }
}

enum class Kind : std::uint8_t { Absent, Null, String, Integer, Decimal, True, False };
struct Value {
    Kind kind = Kind::Absent;
    std::string_view text;      // String: the characters; numbers: the digits
    bool negative = false;
    std::uint64_t mantissa = 0;  // the digits without the point
    int decimals = 0;            // digits after the point
};

inline bool ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Eight bytes at a time while none of them ends or spoils the string: the
// high bit of each byte of the mask is set where the byte is '"', '\\', a
// control character or not ASCII (exactly so for the lowest such byte, which
// is all that is used: a borrow only reaches bytes above it).
inline std::uint64_t string_stoppers(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | (w - ones * 0x20) | w) & high;
}

// A plain string body after the opening quote: no escape, no control
// character, ASCII only. Leaves p after the closing quote.
inline bool plain_string(const char*& p, const char* end, std::string_view& out) {
    const char* b = p;
    if constexpr (std::endian::native == std::endian::little) {
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, sizeof w);
            if (const std::uint64_t m = string_stoppers(w)) {
                p += std::countr_zero(m) / 8;  // the byte-wise loop below decides on it
                break;
            }
            p += 8;
        }
    }
    while (p < end) {
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"') {
            out = std::string_view(b, static_cast<std::size_t>(p - b));
            ++p;
            return true;
        }
        if (c == '\\' || c < 0x20 || c >= 0x80) return false;
        ++p;
    }
    return false;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)? with at most 15 significant digits.
inline bool plain_number(const char*& p, const char* end, Value& v) {
    const char* b = p;
    if (p < end && *p == '-') {
        v.negative = true;
        ++p;
    }
    if (p >= end || *p < '0' || *p > '9') return false;
    int digits = 0;
    if (*p == '0') {
        ++p;
        if (p < end && *p >= '0' && *p <= '9') return false;
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            v.mantissa = v.mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
            ++digits;
            ++p;
        }
    }
    v.kind = Kind::Integer;
    if (p < end && *p == '.') {
        ++p;
        if (p >= end || *p < '0' || *p > '9') return false;
        while (p < end && *p >= '0' && *p <= '9') {
            v.mantissa = v.mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
            ++digits;
            ++v.decimals;
            ++p;
        }
        v.kind = Kind::Decimal;
    }
    if (p < end && (*p == 'e' || *p == 'E')) return false;
    if (digits > 15) return false;
    v.text = std::string_view(b, static_cast<std::size_t>(p - b));
    return true;
}

inline bool literal(const char*& p, const char* end, std::string_view word) {
    if (static_cast<std::size_t>(end - p) < word.size() || std::string_view(p, word.size()) != word) return false;
    p += word.size();
    return true;
}

bool scan(std::string_view text, Value (&values)[kKeys]) {
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end && ws(*p)) ++p;
    if (p >= end || *p != '{') return false;
    ++p;
    while (p < end && ws(*p)) ++p;
    if (p < end && *p == '}') return false;  // {}: the full path says what is missing
    for (;;) {
        while (p < end && ws(*p)) ++p;
        if (p >= end || *p != '"') return false;
        ++p;
        std::string_view key;
        if (!plain_string(p, end, key)) return false;
        const int k = key_of(key);
        if (k < 0 || values[k].kind != Kind::Absent) return false;  // unknown or repeated
        while (p < end && ws(*p)) ++p;
        if (p >= end || *p != ':') return false;
        ++p;
        while (p < end && ws(*p)) ++p;
        if (p >= end) return false;
        Value& v = values[k];
        switch (*p) {
            case '"':
                ++p;
                if (!plain_string(p, end, v.text)) return false;
                v.kind = Kind::String;
                break;
            case 't':
                if (!literal(p, end, "true")) return false;
                v.kind = Kind::True;
                break;
            case 'f':
                if (!literal(p, end, "false")) return false;
                v.kind = Kind::False;
                break;
            case 'n':
                if (!literal(p, end, "null")) return false;
                v.kind = Kind::Null;
                break;
            default:
                if (!plain_number(p, end, v)) return false;
        }
        while (p < end && ws(*p)) ++p;
        if (p >= end) return false;
        if (*p == ',') {
            ++p;
            continue;
        }
        if (*p != '}') return false;
        ++p;
        break;
    }
    while (p < end && ws(*p)) ++p;
    return p == end;
}

// Reader::text's rules, for a value that passes them.
inline bool text(const Value& v, bool required, std::size_t max, std::string_view& out) {
    if (v.kind == Kind::Absent || v.kind == Kind::Null) return !required;
    if (v.kind != Kind::String) return false;
    if (required && v.text.empty()) return false;
    if (v.text.size() > max) return false;
    out = v.text;
    return true;
}

inline bool date(const Value& v, bool required, std::optional<Day>& out) {
    if (v.kind == Kind::Absent || v.kind == Kind::Null) return !required;
    if (v.kind != Kind::String) return false;
    Day d;
    std::string why;
    if (!parse_date(v.text, d, why)) return false;
    out = d;
    return true;
}

inline bool deleted(const Value& v, bool& out) {
    out = v.kind == Kind::True;
    return v.kind == Kind::Absent || v.kind == Kind::Null || v.kind == Kind::True || v.kind == Kind::False;
}

constexpr unsigned bit(int k) { return 1u << k; }
constexpr unsigned kAccountKeys = bit(kType) | bit(kId) | bit(kDeleted) | bit(kName) | bit(kOwner) |
                                  bit(kEmployees) | bit(kTerritory) | bit(kIndustry) | bit(kLastContact);
constexpr unsigned kRevenueKeys =
    bit(kType) | bit(kId) | bit(kDeleted) | bit(kAccountId) | bit(kDate) | bit(kAmount) | bit(kProduct);

bool record(std::string_view text_in, const Limits& limits, RecordRef& out) {
    Value values[kKeys];
    if (!scan(text_in, values)) return false;
    unsigned present = 0;
    for (int k = 0; k < kKeys; ++k)
        if (values[k].kind != Kind::Absent) present |= bit(k);
    const Value& type = values[kType];
    if (type.kind != Kind::String) return false;
    out = RecordRef{};
    if (type.text == "account") {
        if (present & ~kAccountKeys) return false;
        out.account = true;
        if (!text(values[kId], true, limits.max_id_bytes, out.id)) return false;
        if (!deleted(values[kDeleted], out.deleted)) return false;
        if (!out.deleted) {
            if (!text(values[kName], false, limits.max_text_bytes, out.name)) return false;
            if (!text(values[kOwner], false, limits.max_id_bytes, out.owner)) return false;
            const Value& e = values[kEmployees];
            if (e.kind == Kind::Integer && !e.negative) out.employees = static_cast<std::int64_t>(e.mantissa);
            else if (e.kind != Kind::Absent && e.kind != Kind::Null) return false;
            if (!text(values[kTerritory], false, limits.max_text_bytes, out.territory)) return false;
            if (!text(values[kIndustry], false, limits.max_text_bytes, out.industry)) return false;
            if (!date(values[kLastContact], false, out.last_contact)) return false;
        }
        return true;
    }
    if (type.text != "revenue" || (present & ~kRevenueKeys)) return false;
    if (!text(values[kId], true, limits.max_id_bytes, out.id)) return false;
    if (!deleted(values[kDeleted], out.deleted)) return false;
    if (out.deleted) {
        if (!text(values[kAccountId], false, limits.max_id_bytes, out.account_id)) return false;
    } else {
        if (!text(values[kAccountId], true, limits.max_id_bytes, out.account_id)) return false;
        std::optional<Day> d;
        if (!date(values[kDate], true, d)) return false;
        out.date = *d;
        // The amount in money units, exactly: at most 4 decimals and under
        // 1e15 units, where the full path's llround(double * 10^4) gives this
        // same integer (the double's error stays far below half a unit).
        const Value& m = values[kAmount];
        if (m.kind != Kind::Integer && m.kind != Kind::Decimal) return false;
        if (m.decimals > 4) return false;
        std::uint64_t units = m.mantissa;
        for (int i = m.decimals; i < 4; ++i) units *= 10;
        if (units >= 1000000000000000ull) return false;
        out.amount = m.negative ? -static_cast<std::int64_t>(units) : static_cast<std::int64_t>(units);
        if (!text(values[kProduct], false, limits.max_text_bytes, out.product)) return false;
    }
    return true;
}

}  // namespace fast
}  // namespace

Record parse_record(const json::object& obj, const Limits& limits) {
    std::string type;
    if (auto it = obj.find("type"); it == obj.end()) {
        throw RecordError(describe(obj, "") + ": field \"type\": missing (expected \"account\" or \"revenue\")");
    } else if (!it->value().is_string() ||
               (it->value().get_string() != "account" && it->value().get_string() != "revenue")) {
        throw RecordError(describe(obj, "") + ": field \"type\": expected \"account\" or \"revenue\"");
    } else {
        type = std::string(it->value().get_string());
    }
    Reader r{obj, limits, describe(obj, type)};
    if (type == "account") {
        AccountRecord a;
        a.id = r.text("id", true, limits.max_id_bytes, true);
        a.deleted = deleted_flag(r);
        r.only({"type", "id", "deleted", "name", "owner", "employees", "territory", "industry", "last_contact"});
        if (a.deleted) return a;
        a.name = r.text("name", false, limits.max_text_bytes);
        a.owner = r.text("owner", false, limits.max_id_bytes, true);
        if (const json::value* v = r.get("employees")) {
            std::int64_t e;
            if (v->is_int64()) e = v->get_int64();
            else if (v->is_uint64()) r.fail("employees", "too large");
            else if (v->is_double() && std::isfinite(v->get_double()) &&
                     std::nearbyint(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 1e15)
                e = static_cast<std::int64_t>(v->get_double());
            else r.fail("employees", "expected a whole number");
            if (e < 0) r.fail("employees", "must not be negative");
            a.employees = e;
        }
        a.territory = r.text("territory", false, limits.max_text_bytes);
        a.industry = r.text("industry", false, limits.max_text_bytes);
        a.last_contact = r.date("last_contact", false);
        return a;
    }
    RevenueRecord v;
    v.id = r.text("id", true, limits.max_id_bytes, true);
    v.deleted = deleted_flag(r);
    r.only({"type", "id", "deleted", "account_id", "date", "amount", "product", "currency"});
    if (v.deleted) {
        // A delete may name the account the record belongs to (a host's deal
        // that does not count): its save answers with that account's result.
        v.account_id = r.text("account_id", false, limits.max_id_bytes, true);
        return v;
    }
    v.account_id = r.text("account_id", true, limits.max_id_bytes, true);
    v.date = *r.date("date", true);
    const json::value* amount = r.get("amount");
    if (!amount) r.fail("amount", "missing");
    double d;
    if (amount->is_double()) d = amount->get_double();
    else if (amount->is_int64()) d = static_cast<double>(amount->get_int64());
    else if (amount->is_uint64()) d = static_cast<double>(amount->get_uint64());
    else r.fail("amount", "expected a number");
    if (!std::isfinite(d) || std::fabs(d) > kMaxAmount)
        r.fail("amount", "must be a finite number of at most 1e12 in absolute value");
    // "currency": the amount's; converted to the company currency by the
    // configured rate, refused when there is none
    // (docs/semantics.md#canonical-records).
    if (const std::string cur = r.text("currency", false, limits.max_text_bytes); !cur.empty()) {
        const Currencies& c = limits.currency;
        if (!is_currency_code(cur)) r.fail("currency", "expected an ISO 4217 code such as \"EUR\" (3 capital letters)");
        if (c.company.empty())
            r.fail("currency", quoted(cur) + ": no company currency configured: set currency.company (and currency.rates "
                               "for the others), or send amounts in one currency without \"currency\"");
        if (cur != c.company) {
            const auto rate = c.rates.find(cur);
            if (rate == c.rates.end())
                r.fail("currency", quoted(cur) + " is not the company currency (" + quoted(c.company) +
                                   ") and has no rate: add currency.rates." + cur + " to the configuration, or send the amount in " +
                                   c.company);
            d *= rate->second;
            if (!std::isfinite(d) || std::fabs(d) > kMaxAmount)
                r.fail("amount", "in " + c.company + ", must be a finite number of at most 1e12 in absolute value");
        }
    }
    v.amount = money_from_double(d);
    v.product = r.text("product", false, limits.max_text_bytes);
    return v;
}

Record parse_record_text(std::string_view text, const Limits& limits) {
    if (text.size() > limits.max_record_bytes)
        throw LimitError("record of " + std::to_string(text.size()) + " bytes is over the limit of " +
                         std::to_string(limits.max_record_bytes) + " (limits.max_record_bytes)");
    if (RecordRef ref; fast::record(text, limits, ref)) {
        if (ref.account) {
            AccountRecord a{std::string(ref.id), ref.deleted, std::string(ref.name), std::string(ref.owner),
                            ref.employees, std::string(ref.territory), std::string(ref.industry), ref.last_contact};
            return a;
        }
        return RevenueRecord{std::string(ref.id), ref.deleted, std::string(ref.account_id), ref.date, ref.amount,
                             std::string(ref.product)};
    }
    std::string dup;
    const json::value v = parse_json(text, limits.max_depth, dup);
    if (!v.is_object()) throw RecordError("expected a JSON object");
    if (!dup.empty())
    {
        const auto& o = v.get_object();
        auto t = o.find("type");
        const bool known = t != o.end() && t->value().is_string() &&
                           (t->value().get_string() == "account" || t->value().get_string() == "revenue");
        throw RecordError(describe(o, known ? std::string_view(t->value().get_string()) : "record") + ": field " +
                          quoted(dup) + ": duplicate key (it appears twice)");
    }
    return parse_record(v.get_object(), limits);
}

bool parse_record_ref(std::string_view text, const Limits& limits, RecordRef& out) {
    return text.size() <= limits.max_record_bytes && fast::record(text, limits, out);
}

RecordRef ref_of(const Record& r) {
    RecordRef ref;
    if (const auto* a = std::get_if<AccountRecord>(&r)) {
        ref.account = true;
        ref.deleted = a->deleted;
        ref.id = a->id;
        ref.name = a->name;
        ref.owner = a->owner;
        ref.territory = a->territory;
        ref.industry = a->industry;
        ref.employees = a->employees;
        ref.last_contact = a->last_contact;
        return ref;
    }
    const auto& v = std::get<RevenueRecord>(r);
    ref.deleted = v.deleted;
    ref.id = v.id;
    ref.account_id = v.account_id;
    ref.product = v.product;
    ref.date = v.date;
    ref.amount = v.amount;
    return ref;
}

const std::string& account_of(const Record& r) {
    if (const auto* a = std::get_if<AccountRecord>(&r)) return a->id;
    const auto& v = std::get<RevenueRecord>(r);
    return v.deleted ? v.id : v.account_id;  // a revenue delete answers for no account here
}

}  // namespace crmtier
