// Part of abi.dll: the incremental engine against the engine rebuilt from
// scratch. A seeded random run of saves (upserts, re-saves, credit notes,
// deletes, accounts moving between profiles, ties) must leave every result
// exactly as a fresh engine that bulk-loads the surviving records computes
// it; and after every save, each account whose result changed is in the
// change feed.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/abi/plugin_api.hpp"

using namespace abitest;

namespace {

struct World {
    std::map<std::string, std::string> accounts;  // id -> record line (present ones)
    std::map<std::string, std::string> revenues;  // id -> record line (present ones)

    std::string lines() const {
        std::string out;
        for (const auto& kv : accounts) out += kv.second + "\n";
        for (const auto& kv : revenues) out += kv.second + "\n";
        return out;
    }
};

std::map<std::string, std::string> by_id(const std::vector<std::string>& results) {
    std::map<std::string, std::string> out;
    for (const auto& r : results) out[str(obj(r), "id")] = r;
    return out;
}

// A result without its "reasons" (whose profile values the feed does not
// follow: see the [!mayfail] test below).
std::string without_reasons(const std::string& r) {
    json::object o = obj(r);
    o.erase("reasons");
    return json::serialize(o);
}

std::set<std::string> listed(const json::object& changes, const char* key) {
    std::set<std::string> out;
    for (const auto& v : changes.at(key).as_array()) out.emplace(v.as_string());
    return out;
}

}  // namespace

TEST_CASE("incremental saves end where a fresh bulk load ends; the change feed misses nobody",
          "[dll][incremental]") {
    const char* config = GENERATE(as<const char*>{}, "{}", R"({"benchmark":{"method":"max"}})",
                                  R"({"benchmark":{"method":"top_n_mean","top_n":3},"lookalike":{"min_peers":2}})");
    INFO("config " << config);
    std::mt19937 rng(20261130);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };

    const char* employees[] = {"5", "20", "100", "120", "500", nullptr};
    const char* territories[] = {"EMEA/DE/Bavaria", "EMEA/DE/Hesse", "AMER/US/Texas", nullptr};
    const char* industries[] = {"Retail", "Manufacturing", nullptr};
    const char* dates[] = {"2024-12-01", "2025-06-30", "2025-11-30", "2025-12-01", "2026-02-28",
                           "2026-07-15", "2026-11-30", "2026-12-01", "2024-11-30"};
    const char* amounts[] = {"1000", "1000", "2500", "5000", "5000", "12000", "40000", "-700", "0.5", "99999.99"};

    Engine inc(config);
    inc.as_of("2026-11-30");
    World world;
    int checked = 0;

    for (int step = 0; step < 400; ++step) {
        std::string rec;
        const int kind = pick(10);
        if (kind < 3) {  // an account, new or changed
            const std::string id = "A-" + std::to_string(pick(14));
            rec = R"({"type":"account","id":")" + id + R"(","owner":"rep-)" + std::to_string(pick(4)) + '"';
            if (const char* e = employees[pick(6)]) rec += std::string(R"(,"employees":)") + e;
            if (const char* t = territories[pick(4)]) rec += std::string(R"(,"territory":")") + t + '"';
            if (const char* i = industries[pick(3)]) rec += std::string(R"(,"industry":")") + i + '"';
            if (pick(2)) rec += R"(,"last_contact":"2026-0)" + std::to_string(1 + pick(9)) + R"(-1)" + std::to_string(pick(10)) + '"';
            rec += "}";
            world.accounts[id] = rec;
        } else if (kind < 4) {  // an account deleted (its revenue stays)
            const std::string id = "A-" + std::to_string(pick(14));
            rec = R"({"type":"account","id":")" + id + R"(","deleted":true})";
            world.accounts.erase(id);
        } else if (kind < 9) {  // an invoice, new or replaced (possibly moved to another account)
            const std::string id = "I-" + std::to_string(pick(50));
            rec = R"({"type":"revenue","id":")" + id + R"(","account_id":"A-)" + std::to_string(pick(14)) +
                  R"(","date":")" + dates[pick(9)] + R"(","amount":)" + amounts[pick(10)] +
                  R"(,"product":"P/)" + std::to_string(pick(3)) + R"("})";
            world.revenues[id] = rec;
        } else {  // an invoice deleted
            const std::string id = "I-" + std::to_string(pick(50));
            rec = R"({"type":"revenue","id":")" + id + R"(","deleted":true})";
            world.revenues.erase(id);
        }
        INFO("step " << step << ": " << rec);

        const auto before = by_id(inc.all());
        const std::uint64_t since = inc.seq();
        inc.save(rec);
        const auto after = by_id(inc.all());
        const json::object feed = obj(inc.changes(since));
        const auto changed = listed(feed, "changed");
        const auto deleted = listed(feed, "deleted");
        for (const auto& [id, r] : after) {
            auto it = before.find(id);
            if (it == before.end() || without_reasons(it->second) != without_reasons(r)) {
                INFO("result of " << id << " changed but is not in the feed: " << inc.changes(since));
                INFO("before: " << (it == before.end() ? std::string("(none)") : it->second));
                INFO("after:  " << r);
                CHECK(changed.count(id) == 1);
            }
        }
        for (const auto& kv : before)
            if (!after.count(kv.first)) {
                INFO(kv.first << " was deleted: " << inc.changes(since));
                CHECK(deleted.count(kv.first) == 1);
            }
        for (const auto& id : changed) CHECK(after.count(id) == 1);  // "accounts that exist now"

        if (step % 10 == 9 || step == 399) {
            Engine fresh(config);
            fresh.as_of("2026-11-30");
            const std::string lines = world.lines();
            if (!lines.empty()) fresh.load(lines);
            const auto want = fresh.all();
            const auto got = inc.all();
            REQUIRE(got.size() == want.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                INFO("account " << i);
                CHECK(got[i] == want[i]);
            }
            ++checked;
        }
    }
    CHECK(checked == 40);

    // A new as-of date, and back: the same as a fresh engine at each date.
    for (const char* day : {"2026-03-01", "2027-01-31", "2026-11-30"}) {
        inc.as_of(day);
        Engine fresh(config);
        fresh.as_of(day);
        fresh.load(world.lines());
        CHECK(inc.all() == fresh.all());
    }
}

TEST_CASE("the change feed lists an account whose reasons changed", "[dll]") {
    // crmtier.h, crmtier_engine_changes: "changed" lists accounts "whose
    // result differs from what it was at since". The result's reasons show
    // the account's profile values; an account with an incomplete profile
    // (no employees, no industry) that moves territory gets a different
    // result JSON, but plugin/portfolio.cpp compares Result structs (which
    // hold no profile values when the profile is incomplete) and leaves it
    // out of the feed.
    Engine e;
    e.as_of("2026-11-30");
    const std::string before = e.save(R"({"type":"account","id":"X-1","territory":"EMEA/DE/Bavaria"})");
    const std::uint64_t since = e.seq();
    const std::string after = e.save(R"({"type":"account","id":"X-1","territory":"AMER/US/Texas"})");
    REQUIRE(before != after);  // reasons[0].profile.territory: "EMEA/DE" -> "AMER/US"
    const json::object feed = obj(e.changes(since));
    INFO(e.changes(since));
    CHECK(listed(feed, "changed") == std::set<std::string>{"X-1"});
}
