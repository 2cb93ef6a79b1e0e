// A portfolio under test, fed canonical records as a host would send them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/dates.hpp"
#include "plugin/policy.hpp"
#include "plugin/portfolio.hpp"
#include "plugin/records.hpp"

namespace crmtier::test {

// "A" and 12 -> "A12": the id of a generated record. (Built by appending:
// GCC 12 warns, wrongly, that "A" + std::to_string(12) overlaps (-Wrestrict).)
inline std::string numbered(std::string_view prefix, std::uint64_t n) {
    std::string s(prefix);
    s += std::to_string(n);
    return s;
}

inline Day day(const char* iso) {
    Day d = 0;
    std::string why;
    if (!parse_date(iso, d, why)) throw std::runtime_error(why);
    return d;
}

// Money from whole currency units, as the tests write amounts.
inline Money money(double units) { return money_from_double(units); }

inline std::string account(const std::string& id, const std::string& extra = "") {
    return R"({"type":"account","id":")" + id + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}
// An account in the profile ("250-999", "EMEA/DE", "Manufacturing").
inline std::string manufacturer(const std::string& id, const std::string& extra = "") {
    return account(id, R"("employees":300,"territory":"EMEA/DE/Bavaria","industry":"Manufacturing")" +
                           (extra.empty() ? "" : "," + extra));
}
inline std::string invoice(const std::string& id, const std::string& acc, const std::string& date, double amount) {
    return R"({"type":"revenue","id":")" + id + R"(","account_id":")" + acc + R"(","date":")" + date +
           R"(","amount":)" + std::to_string(amount) + "}";
}

struct Book {
    Policy policy;
    std::unique_ptr<Portfolio> pf;

    explicit Book(const std::string& config = "{}", const char* as_of = "2026-11-30")
        : policy(parse_policy(config)), pf(std::make_unique<Portfolio>(policy, day(as_of))) {}

    Book& save(const std::string& json) {
        pf->save(parse_record_text(json, policy.limits));
        return *this;
    }
    Result result(const std::string& id) const {
        auto idx = pf->find(id);
        if (!idx) throw std::runtime_error("no account " + id);
        return pf->result(*idx);
    }
};

}  // namespace crmtier::test
