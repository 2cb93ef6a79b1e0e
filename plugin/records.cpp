#include "records.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "errors.hpp"
#include "money.hpp"

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

    std::string text(std::string_view field, bool required, std::size_t max) const {
        const json::value* v = get(field);
        if (!v) {
            if (required) fail(field, "missing");
            return {};
        }
        if (!v->is_string()) fail(field, "expected a string");
        const auto& s = v->get_string();
        if (required && s.empty()) fail(field, "must not be empty");
        if (s.size() > max) fail(field, "longer than " + std::to_string(max) + " bytes");
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
        what += " \"";
        what.append(id.data(), std::min<std::size_t>(id.size(), 64));
        if (id.size() > 64) what += "...";
        what += "\"";
    }
    return what;
}

bool deleted_flag(const Reader& r) {
    const json::value* v = r.get("deleted");
    if (!v) return false;
    if (!v->is_bool()) r.fail("deleted", "expected true or false");
    return v->get_bool();
}

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
        a.id = r.text("id", true, limits.max_id_bytes);
        a.deleted = deleted_flag(r);
        if (a.deleted) {
            r.only({"type", "id", "deleted", "name", "owner", "employees", "territory", "industry", "last_contact"});
            return a;
        }
        r.only({"type", "id", "deleted", "name", "owner", "employees", "territory", "industry", "last_contact"});
        a.name = r.text("name", false, limits.max_text_bytes);
        a.owner = r.text("owner", false, limits.max_id_bytes);
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
    v.id = r.text("id", true, limits.max_id_bytes);
    v.deleted = deleted_flag(r);
    r.only({"type", "id", "deleted", "account_id", "date", "amount", "product"});
    if (v.deleted) return v;
    v.account_id = r.text("account_id", true, limits.max_id_bytes);
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
    v.amount = money_from_double(d);
    v.product = r.text("product", false, limits.max_text_bytes);
    return v;
}

Record parse_record_text(std::string_view text, const Limits& limits) {
    if (text.size() > limits.max_record_bytes)
        throw LimitError("record of " + std::to_string(text.size()) + " bytes is over the limit of " +
                         std::to_string(limits.max_record_bytes) + " (limits.max_record_bytes)");
    json::parse_options opts;
    opts.max_depth = limits.max_depth;
    boost::system::error_code ec;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, opts);
    if (ec) throw ParseError("not valid JSON: " + ec.message());
    if (!v.is_object()) throw RecordError("expected a JSON object");
    return parse_record(v.get_object(), limits);
}

const std::string& account_of(const Record& r) {
    if (const auto* a = std::get_if<AccountRecord>(&r)) return a->id;
    const auto& v = std::get<RevenueRecord>(r);
    return v.deleted ? v.id : v.account_id;  // a revenue delete names no account
}

}  // namespace crmtier
