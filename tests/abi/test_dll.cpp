// abi.dll: libcrmtier.so loaded with Boost.DLL, used through the C functions
// of crmtier.h only, on a portfolio scored by hand (portfolio.hpp).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/abi/plugin_api.hpp"
#include "tests/abi/portfolio.hpp"

using namespace abitest;

namespace {

// A loaded engine with the hand-scored portfolio, as of 2026-11-30.
struct Loaded : Engine {
    Loaded() {
        as_of(kAsOf);
        REQUIRE(load(kPortfolio) == kPortfolioRecords);
    }
};

// Calls `call`, expects `status`, and returns crmtier_last_error().
std::string fails_with(int status, const std::function<int()>& call) {
    const int got = call();
    // Copied at once, before anything else allocates (see the test of
    // last_error's lifetime below).
    const char* raw = api().last_error();
    REQUIRE(raw != nullptr);
    const std::string msg = raw;
    INFO("last_error: " << msg);
    CHECK(got == status);
    return msg;
}

std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& x : v.as_array()) out.emplace_back(x.as_string());
    return out;
}

double num(const json::object& o, const char* key) { return o.at(key).to_number<double>(); }

}  // namespace

TEST_CASE("versions: ABI 1.1, product 0.1.0", "[dll]") {
    const std::uint32_t v = api().abi_version();
    CHECK((v >> 16) == 1);
    CHECK((v & 0xffff) == 1);
    CHECK(v == CRMTIER_ABI_VERSION);
    REQUIRE(api().version() != nullptr);
    CHECK(std::string(api().version()) == "0.1.0");
    CHECK(std::string(api().version()) == CRMTIER_VERSION_STRING);
    CHECK(std::string(api().status_string(CRMTIER_OK)) == "ok");
    for (int s = 0; s <= CRMTIER_E_SNAPSHOT; ++s) {
        REQUIRE(api().status_string(s) != nullptr);
        CHECK(std::strlen(api().status_string(s)) > 0);
    }
    CHECK(std::string(api().status_string(999)) == "unknown status");
    CHECK(std::string(api().status_string(-1)) == "unknown status");
}

TEST_CASE("the hand-scored portfolio", "[dll]") {
    Loaded e;
    struct Expected {
        const char* id;
        const char* tier;
        const char* revenue_tier;
        double annual, prior, potential;
        int temperature;
        const char* colour;
        const char* hex;
        bool escalate;
        const char* next;
        const char* channel;
        int overdue;
        bool declining;
        int decline_pct;
    };
    // See portfolio.hpp for the arithmetic.
    const Expected expected[] = {
        {"ACC-1", "A", "A", 100000, 0, 100000, 100, "red", "#d7191c", false, "2026-10-31", "call_or_visit", 30, false, 0},
        {"ACC-2", "B", "B", 50000, 0, 50000, 100, "red", "#d7191c", false, "2026-11-30", "call", 0, false, 0},
        {"ACC-3", "C", "C", 10000, 40000, 40000, 25, "lightblue", "#abd9e9", false, "2027-02-18", "call", 0, true, 75},
        {"ACC-4", "A", "A", 80000, 0, 80000, 100, "red", "#d7191c", false, "2026-11-30", "call_or_visit", 0, false, 0},
        {"ACC-5", "B", "B", 45000, 0, 45000, 100, "red", "#d7191c", false, "2026-11-13", "call", 17, false, 0},
        {"ACC-6", "D", "D", 0, 0, 0, 0, "grey", "#bdbdbd", false, "2026-07-09", "email", 144, false, 0},
        {"ACC-7", "A", "C", 5000, 90000, 90000, 6, "blue", "#2c7bb6", true, "2026-12-01", "call_or_visit", 0, true, 94},
    };
    for (const auto& x : expected) {
        const std::string text = e.result(x.id);
        INFO(text);
        const json::object r = obj(text);
        CHECK(str(r, "id") == x.id);
        CHECK(str(r, "tier") == x.tier);
        CHECK(str(r, "revenue_tier") == x.revenue_tier);
        CHECK(num(r, "annual_revenue") == x.annual);
        CHECK(num(r, "prior_revenue") == x.prior);
        CHECK(r.at("lookalike_revenue").is_null());
        CHECK(num(r, "potential") == x.potential);
        CHECK(num(r, "benchmark") == 100000.0);
        CHECK(r.at("temperature").to_number<int>() == x.temperature);
        CHECK(str(r, "colour") == x.colour);
        CHECK(str(r, "colour_hex") == x.hex);
        CHECK(r.at("escalate").as_bool() == x.escalate);
        CHECK(str(r, "next_contact") == x.next);
        CHECK(str(r, "channel") == x.channel);
        CHECK(r.at("overdue_days").to_number<int>() == x.overdue);
        CHECK(r.at("declining").as_bool() == x.declining);
        CHECK(r.at("decline_pct").to_number<int>() == x.decline_pct);
        CHECK(r.at("actions").is_array());
        CHECK(r.at("reasons").is_array());
    }
    // The blue A account is escalated and asked for feedback.
    const json::object acc7 = obj(e.result("ACC-7"));
    std::set<std::string> actions;
    for (const auto& a : acc7.at("actions").as_array()) actions.insert(std::string(a.as_object().at("action").as_string()));
    CHECK(actions.count("contact") == 1);
    CHECK(actions.count("rethink_approach") == 1);
    CHECK(actions.count("request_feedback") == 1);
}

TEST_CASE("save one record: the on-save call returns the account's result", "[dll]") {
    Loaded e;
    // A first invoice for the D account ACC-6: R = 30000, p = 0.30 -> C,
    // temperature 100 -> red; payers n = 7, k = ceil(6.65) = 7: benchmark
    // still 100000. Next contact 2026-01-10 + 90 = 2026-04-10, 234 days ago.
    const std::string text = e.save(
        R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000,"product":"Lighting/Lamps"})");
    INFO(text);
    const json::object r = obj(text);
    CHECK(str(r, "id") == "ACC-6");
    CHECK(str(r, "tier") == "C");
    CHECK(str(r, "colour") == "red");
    CHECK(str(r, "next_contact") == "2026-04-10");
    CHECK(str(r, "channel") == "call");
    CHECK(r.at("overdue_days").to_number<int>() == 234);
    CHECK(num(r, "benchmark") == 100000.0);
    // The same JSON as a later query.
    CHECK(e.result("ACC-6") == text);

    SECTION("saving the same invoice again never counts it twice") {
        CHECK(e.save(R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000,"product":"Lighting/Lamps"})") == text);
        CHECK(num(obj(e.result("ACC-6")), "annual_revenue") == 30000.0);
    }
    SECTION("an account save answers with that account") {
        // ACC-2 contacted on 2026-11-15: B, next 2026-11-15 + 90 = 2027-02-13.
        const json::object a = obj(e.save(
            R"({"type":"account","id":"ACC-2","name":"Beta SA","owner":"rep-1","territory":"EMEA/FR/Occitanie","industry":"Retail","last_contact":"2026-11-15"})"));
        CHECK(str(a, "id") == "ACC-2");
        CHECK(str(a, "tier") == "B");
        CHECK(str(a, "colour") == "red");
        CHECK(str(a, "next_contact") == "2027-02-13");
        CHECK(a.at("overdue_days").to_number<int>() == 0);
    }
    SECTION("revenue for an account not saved yet answers null") {
        CHECK(e.save(R"({"type":"revenue","id":"INV-9","account_id":"ACC-9","date":"2026-10-01","amount":1000})") == "null");
        // Then the account arrives and finds its revenue: 1000 / 100000 -> C.
        const json::object a = obj(e.save(R"({"type":"account","id":"ACC-9","name":"Theta"})"));
        CHECK(str(a, "tier") == "C");
        CHECK(num(a, "annual_revenue") == 1000.0);
        CHECK(str(a, "next_contact") == kAsOf);  // no contact yet: as of today
    }
    SECTION("deleting an account answers null") {
        CHECK(e.save(R"({"type":"account","id":"ACC-6","deleted":true})") == "null");
        CHECK(api().engine_result(e, "canonical", "ACC-6", 5, nullptr, nullptr) == CRMTIER_E_ARGUMENT);
        char* out = nullptr;
        std::size_t len = 0;
        CHECK(api().engine_result(e, "canonical", "ACC-6", 5, &out, &len) == CRMTIER_E_NOT_FOUND);
        CHECK(out == nullptr);
    }
    SECTION("the result buffer is optional") {
        CHECK(api().engine_save(e, "canonical", R"({"type":"account","id":"ACC-10"})",
                                std::strlen(R"({"type":"account","id":"ACC-10"})"), nullptr, nullptr) == CRMTIER_OK);
        CHECK(str(obj(e.result("ACC-10")), "tier") == "D");
    }
}

TEST_CASE("deleting an invoice answers with the account it belonged to", "[dll]") {
    // crmtier.h, crmtier_engine_save: "Receives the result of the account the
    // record belongs to ... "null" when that account has no account record
    // yet, or was just deleted." INV-2 belongs to ACC-2, which still exists:
    // R drops to 0, P = 0 -> D, grey.
    Loaded e;
    const std::string text = e.save(R"({"type":"revenue","id":"INV-2","deleted":true})");
    INFO(text);
    REQUIRE(text != "null");
    const json::object r = obj(text);
    CHECK(str(r, "id") == "ACC-2");
    CHECK(str(r, "tier") == "D");
}

TEST_CASE("result of one account; unknown account is NOT_FOUND", "[dll]") {
    Loaded e;
    CHECK(str(obj(e.result("ACC-4")), "tier") == "A");
    // The id is (pointer, length): it need not be NUL-terminated.
    const char buf[] = "ACC-4XXXX";
    char* out = nullptr;
    std::size_t len = 0;
    REQUIRE(api().engine_result(e, "canonical", buf, 5, &out, &len) == CRMTIER_OK);
    CHECK(take(out, len) == e.result("ACC-4"));

    out = reinterpret_cast<char*>(1);
    len = 7;
    const std::string msg = fails_with(CRMTIER_E_NOT_FOUND, [&] {
        return api().engine_result(e, "canonical", "ACC-404", 7, &out, &len);
    });
    CHECK(out == nullptr);
    CHECK(len == 0);
    CHECK(msg.find("ACC-404") != std::string::npos);
}

TEST_CASE("the cursor walks every result in id order", "[dll]") {
    Loaded e;
    const std::vector<std::string> all = e.all();
    REQUIRE(all.size() == 7);
    std::vector<std::string> ids;
    for (const auto& r : all) ids.push_back(str(obj(r), "id"));
    CHECK(ids == std::vector<std::string>{"ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-6", "ACC-7"});
    for (const auto& r : all) CHECK(r == e.result(str(obj(r), "id")));

    SECTION("an empty engine gives an empty walk") {
        Engine empty;
        CHECK(empty.all().empty());
    }
    SECTION("the cursor ends, and stays ended") {
        crmtier_cursor* c = nullptr;
        REQUIRE(api().cursor_open(e, "canonical", &c) == CRMTIER_OK);
        const char* r = nullptr;
        std::size_t len = 0;
        for (int i = 0; i < 7; ++i) REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
        CHECK(r != nullptr);
        for (int i = 0; i < 3; ++i) {
            REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
            CHECK(r == nullptr);
            CHECK(len == 0);
        }
        api().cursor_destroy(c);
    }
    SECTION("accounts deleted ahead of the cursor are not returned") {
        crmtier_cursor* c = nullptr;
        REQUIRE(api().cursor_open(e, "canonical", &c) == CRMTIER_OK);
        const char* r = nullptr;
        std::size_t len = 0;
        REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
        CHECK(str(obj(std::string(r, len)), "id") == "ACC-1");
        e.save(R"({"type":"account","id":"ACC-2","deleted":true})");
        REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
        CHECK(str(obj(std::string(r, len)), "id") == "ACC-3");
        api().cursor_destroy(c);
    }
}

TEST_CASE("a cursor outlives its engine and then ends", "[dll]") {
    crmtier_engine* raw = nullptr;
    REQUIRE(api().engine_create("{}", 2, &raw) == CRMTIER_OK);
    REQUIRE(api().engine_set_as_of(raw, kAsOf) == CRMTIER_OK);
    REQUIRE(api().engine_load(raw, "canonical", kPortfolio, std::strlen(kPortfolio), nullptr) == CRMTIER_OK);
    crmtier_cursor* c = nullptr;
    REQUIRE(api().cursor_open(raw, "canonical", &c) == CRMTIER_OK);
    const char* r = nullptr;
    std::size_t len = 0;
    REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
    CHECK(r != nullptr);
    api().engine_destroy(raw);
    REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
    CHECK(r == nullptr);
    CHECK(len == 0);
    api().cursor_destroy(c);
}

TEST_CASE("sequence and change feed", "[dll]") {
    Engine e;
    CHECK(e.seq() == 0);
    const json::object empty = obj(e.changes(0));
    CHECK(empty.at("since").to_number<int>() == 0);
    CHECK(strings(empty.at("changed")).empty());
    CHECK(strings(empty.at("deleted")).empty());

    e.as_of(kAsOf);
    CHECK(e.seq() == 1);
    e.load(kPortfolio);
    const std::uint64_t s0 = e.seq();
    CHECK(s0 == 2);
    const std::vector<std::string> everyone{"ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-6", "ACC-7"};
    CHECK(strings(obj(e.changes(0)).at("changed")) == everyone);
    // Nothing happened since the current sequence.
    const json::object none = obj(e.changes(s0));
    CHECK(none.at("since").to_number<std::uint64_t>() == s0);
    CHECK(none.at("seq").to_number<std::uint64_t>() == s0);
    CHECK(strings(none.at("changed")).empty());

    // One account's invoice, no benchmark move (payers n = 7, rank 7 is still
    // 100000): only ACC-6 changed.
    e.save(R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000})");
    CHECK(e.seq() == s0 + 1);
    const json::object one = obj(e.changes(s0));
    CHECK(one.at("since").to_number<std::uint64_t>() == s0);
    CHECK(one.at("seq").to_number<std::uint64_t>() == s0 + 1);
    CHECK(strings(one.at("changed")) == std::vector<std::string>{"ACC-6"});
    CHECK(strings(one.at("deleted")).empty());

    // A raise of ACC-1 (INV-1 replaced: 120000) moves the benchmark to
    // 120000: every account's result changes.
    const std::uint64_t s1 = e.seq();
    e.save(R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-06-01","amount":120000})");
    CHECK(strings(obj(e.changes(s1)).at("changed")) == everyone);
    CHECK(num(obj(e.result("ACC-2")), "benchmark") == 120000.0);
    // ACC-4: 80000 / 120000 = 0.667 -> B now.
    CHECK(str(obj(e.result("ACC-4")), "tier") == "B");

    // Deleting ACC-6 (payer 30000; n = 6, rank 6 = 120000, no move).
    const std::uint64_t s2 = e.seq();
    e.save(R"({"type":"account","id":"ACC-6","deleted":true})");
    const json::object del = obj(e.changes(s2));
    CHECK(strings(del.at("changed")).empty());
    CHECK(strings(del.at("deleted")) == std::vector<std::string>{"ACC-6"});
    // Since creation: everyone left, and the deleted one.
    const json::object since0 = obj(e.changes(0));
    CHECK(strings(since0.at("changed")) ==
          std::vector<std::string>{"ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-7"});
    CHECK(strings(since0.at("deleted")) == std::vector<std::string>{"ACC-6"});

    // A new as-of date changes everyone.
    const std::uint64_t s3 = e.seq();
    e.as_of("2026-12-31");
    CHECK(e.seq() == s3 + 1);
    CHECK(strings(obj(e.changes(s3)).at("changed")) ==
          std::vector<std::string>{"ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-7"});

    // A sequence from the future is an argument error.
    char* out = reinterpret_cast<char*>(1);
    std::size_t len = 3;
    fails_with(CRMTIER_E_ARGUMENT, [&] { return api().engine_changes(e, e.seq() + 1, &out, &len); });
    CHECK(out == nullptr);
}

TEST_CASE("peer groups JSON", "[dll]") {
    Loaded e;
    const std::string text = e.peer_groups();
    INFO(text);
    const json::object g = obj(text);
    CHECK(str(g, "as_of") == kAsOf);
    CHECK(g.at("reps").to_number<int>() == 3);
    const int min_size = g.at("min_size").to_number<int>();
    const int max_size = g.at("max_size").to_number<int>();
    CHECK(min_size == 3);
    CHECK(max_size == 6);
    const json::array& groups = g.at("groups").as_array();
    REQUIRE(groups.size() == 1);  // three reps: one group of three
    std::multiset<std::string> members;
    for (const auto& gv : groups) {
        const json::object& grp = gv.as_object();
        CHECK(grp.at("group").to_number<int>() >= 1);
        const auto m = strings(grp.at("members"));
        members.insert(m.begin(), m.end());
        CHECK(grp.at("shared").is_object());
        CHECK(grp.at("shared").as_object().at("product_categories").is_array());
        CHECK(grp.at("shared").as_object().at("industries").is_array());
        CHECK(grp.at("shared").as_object().at("tiers").is_array());
        // rep-1 (ACC-1: 100) and rep-2 (ACC-4: 100) tie on their A
        // accounts' mean temperature and count; the name decides: rep-1.
        REQUIRE(grp.at("presenter").is_object());
        CHECK(str(grp.at("presenter").as_object(), "rep") == "rep-1");
        CHECK(grp.at("presenter").as_object().at("a_accounts").to_number<int>() == 1);
    }
    CHECK(members == std::multiset<std::string>{"rep-1", "rep-2", "rep-3"});
}

TEST_CASE("stats", "[dll]") {
    Loaded e;
    const std::string text = e.stats();
    INFO(text);
    const json::object s = obj(text);
    CHECK(str(s, "as_of") == kAsOf);
    CHECK(s.at("seq").to_number<std::uint64_t>() == e.seq());
    CHECK(s.at("accounts").to_number<int>() == 7);
    CHECK(s.at("revenue_records").to_number<int>() == 11);
    CHECK(num(s, "benchmark") == 100000.0);
}

TEST_CASE("errors name the problem", "[dll]") {
    SECTION("malformed JSON is a parse error") {
        crmtier_engine* out = reinterpret_cast<crmtier_engine*>(1);
        std::string msg = fails_with(CRMTIER_E_PARSE, [&] { return api().engine_create("{\"as_of\":", 9, &out); });
        CHECK(out == nullptr);
        CHECK_FALSE(msg.empty());

        Loaded e;
        const std::string bad = R"({"type":"account","id":"ACC-1",)";
        msg = fails_with(CRMTIER_E_PARSE, [&] {
            return api().engine_save(e, "canonical", bad.data(), bad.size(), nullptr, nullptr);
        });
        CHECK_FALSE(msg.empty());
    }
    SECTION("an unknown configuration key is named") {
        crmtier_engine* out = reinterpret_cast<crmtier_engine*>(1);
        const std::string config = R"({"benchmark":{"mehtod":"max"}})";
        std::string msg = fails_with(CRMTIER_E_CONFIG, [&] {
            return api().engine_create(config.data(), config.size(), &out);
        });
        CHECK(out == nullptr);
        CHECK(msg.find("benchmark.mehtod") != std::string::npos);

        const std::string top = R"({"tierz":{"A":0.8}})";
        msg = fails_with(CRMTIER_E_CONFIG, [&] { return api().engine_create(top.data(), top.size(), &out); });
        CHECK(msg.find("tierz") != std::string::npos);

        // A wrong type and a value out of range name the key too.
        const std::string typed = R"({"tiers":{"A":"high"}})";
        msg = fails_with(CRMTIER_E_CONFIG, [&] { return api().engine_create(typed.data(), typed.size(), &out); });
        CHECK(msg.find("tiers.A") != std::string::npos);
        const std::string range = R"({"benchmark":{"percentile":101}})";
        msg = fails_with(CRMTIER_E_CONFIG, [&] { return api().engine_create(range.data(), range.size(), &out); });
        CHECK(msg.find("benchmark.percentile") != std::string::npos);
        const std::string day = R"({"as_of":"2026-02-30"})";
        msg = fails_with(CRMTIER_E_CONFIG, [&] { return api().engine_create(day.data(), day.size(), &out); });
        CHECK(msg.find("as_of") != std::string::npos);
        CHECK(out == nullptr);
    }
    SECTION("a revenue record with a non-numeric amount names the field") {
        Loaded e;
        const std::string rec =
            R"({"type":"revenue","id":"INV-X","account_id":"ACC-1","date":"2026-01-01","amount":"12,50"})";
        char* out = reinterpret_cast<char*>(1);
        std::size_t len = 9;
        const std::string msg = fails_with(CRMTIER_E_RECORD, [&] {
            return api().engine_save(e, "canonical", rec.data(), rec.size(), &out, &len);
        });
        CHECK(out == nullptr);
        CHECK(len == 0);
        CHECK(msg.find("amount") != std::string::npos);
        CHECK(msg.find("INV-X") != std::string::npos);
    }
    SECTION("an unknown adapter") {
        Loaded e;
        const std::string rec = R"({"type":"account","id":"ACC-1"})";
        std::string msg = fails_with(CRMTIER_E_ADAPTER, [&] {
            return api().engine_save(e, "no-such-crm", rec.data(), rec.size(), nullptr, nullptr);
        });
        CHECK(msg.find("no-such-crm") != std::string::npos);
        fails_with(CRMTIER_E_ADAPTER, [&] {
            return api().engine_load(e, "no-such-crm", rec.data(), rec.size(), nullptr);
        });
        char* out = nullptr;
        std::size_t len = 0;
        fails_with(CRMTIER_E_ADAPTER, [&] { return api().engine_result(e, "no-such-crm", "ACC-1", 5, &out, &len); });
        crmtier_cursor* c = reinterpret_cast<crmtier_cursor*>(1);
        fails_with(CRMTIER_E_ADAPTER, [&] { return api().cursor_open(e, "no-such-crm", &c); });
        CHECK(c == nullptr);
    }
    SECTION("an impossible as-of date is an argument error") {
        Loaded e;
        for (const char* bad : {"2026-02-30", "2026-13-01", "2025-02-29", "30.11.2026", "", "2026-11-30x"}) {
            INFO(bad);
            const std::string msg = fails_with(CRMTIER_E_ARGUMENT, [&] { return api().engine_set_as_of(e, bad); });
            CHECK_FALSE(msg.empty());
        }
        // Still as of 2026-11-30.
        CHECK(str(obj(e.stats()), "as_of") == kAsOf);
        CHECK(api().engine_set_as_of(e, "2024-02-29") == CRMTIER_OK);  // a leap day is a date
    }
}

TEST_CASE("NULL pointers and zero lengths are argument errors at every entry point", "[dll]") {
    Loaded e;
    const Api& a = api();
    const char* rec = R"({"type":"account","id":"ACC-1"})";
    const std::size_t rec_len = std::strlen(rec);
    crmtier_engine* eng = reinterpret_cast<crmtier_engine*>(1);
    char* out = nullptr;
    std::size_t len = 0;
    std::size_t n = 0;
    std::uint64_t seq = 0;
    const int A = CRMTIER_E_ARGUMENT;

    // engine_create
    CHECK(a.engine_create(nullptr, 2, &eng) == A);
    CHECK(eng == nullptr);
    CHECK(a.engine_create("{}", 0, &eng) == A);
    CHECK(a.engine_create("{}", 2, nullptr) == A);
    // engine_set_as_of
    CHECK(a.engine_set_as_of(nullptr, kAsOf) == A);
    CHECK(a.engine_set_as_of(e, nullptr) == A);
    // engine_load
    CHECK(a.engine_load(nullptr, "canonical", rec, rec_len, &n) == A);
    CHECK(a.engine_load(e, nullptr, rec, rec_len, &n) == A);
    CHECK(a.engine_load(e, "canonical", nullptr, rec_len, &n) == A);
    CHECK(a.engine_load(e, "canonical", rec, 0, &n) == A);
    // engine_save
    CHECK(a.engine_save(nullptr, "canonical", rec, rec_len, &out, &len) == A);
    CHECK(a.engine_save(e, nullptr, rec, rec_len, &out, &len) == A);
    CHECK(a.engine_save(e, "canonical", nullptr, rec_len, &out, &len) == A);
    CHECK(a.engine_save(e, "canonical", rec, 0, &out, &len) == A);
    CHECK(out == nullptr);
    // engine_result
    CHECK(a.engine_result(nullptr, "canonical", "ACC-1", 5, &out, &len) == A);
    CHECK(a.engine_result(e, nullptr, "ACC-1", 5, &out, &len) == A);
    CHECK(a.engine_result(e, "canonical", nullptr, 5, &out, &len) == A);
    CHECK(a.engine_result(e, "canonical", "ACC-1", 0, &out, &len) == A);
    CHECK(a.engine_result(e, "canonical", "ACC-1", 5, nullptr, &len) == A);
    CHECK(a.engine_result(e, "canonical", "ACC-1", 5, &out, nullptr) == A);
    CHECK(out == nullptr);
    // engine_sequence
    CHECK(a.engine_sequence(nullptr, &seq) == A);
    CHECK(a.engine_sequence(e, nullptr) == A);
    // engine_changes
    CHECK(a.engine_changes(nullptr, 0, &out, &len) == A);
    CHECK(a.engine_changes(e, 0, nullptr, &len) == A);
    CHECK(a.engine_changes(e, 0, &out, nullptr) == A);
    // engine_peer_groups
    CHECK(a.engine_peer_groups(nullptr, &out, &len) == A);
    CHECK(a.engine_peer_groups(e, nullptr, &len) == A);
    CHECK(a.engine_peer_groups(e, &out, nullptr) == A);
    // engine_stats
    CHECK(a.engine_stats(nullptr, &out, &len) == A);
    CHECK(a.engine_stats(e, nullptr, &len) == A);
    CHECK(a.engine_stats(e, &out, nullptr) == A);
    CHECK(out == nullptr);
    // cursor_open / cursor_next
    crmtier_cursor* c = nullptr;
    CHECK(a.cursor_open(nullptr, "canonical", &c) == A);
    CHECK(a.cursor_open(e, nullptr, &c) == A);
    CHECK(a.cursor_open(e, "canonical", nullptr) == A);
    const char* r = nullptr;
    CHECK(a.cursor_next(nullptr, &r, &len) == A);
    REQUIRE(a.cursor_open(e, "canonical", &c) == CRMTIER_OK);
    CHECK(a.cursor_next(c, nullptr, &len) == A);
    CHECK(a.cursor_next(c, &r, nullptr) == A);
    a.cursor_destroy(c);
    // engine_set_log
    CHECK(a.engine_set_log(nullptr, nullptr, nullptr, CRMTIER_LOG_INFO) == A);
    CHECK(a.engine_set_log(e, nullptr, nullptr, -1) == A);
    CHECK(a.engine_set_log(e, nullptr, nullptr, CRMTIER_LOG_OFF + 1) == A);
    // engine_snapshot_save / engine_snapshot_load
    const std::string snap = std::string(CRMTIER_TEST_TMPDIR) + "/null-args.snapshot";
    CHECK(a.engine_snapshot_save(nullptr, snap.c_str()) == A);
    CHECK(a.engine_snapshot_save(e, nullptr) == A);
    CHECK(a.engine_snapshot_load(nullptr, snap.c_str()) == A);
    CHECK(a.engine_snapshot_load(e, nullptr) == A);
    // engine_report (options may be NULL: every default)
    CHECK(a.engine_report(nullptr, "{}", 2, &out, &len) == A);
    CHECK(a.engine_report(e, "{}", 0, &out, &len) == A);
    CHECK(a.engine_report(e, "{}", 2, nullptr, &len) == A);
    CHECK(a.engine_report(e, "{}", 2, &out, nullptr) == A);
    CHECK(out == nullptr);
    // Every failure above left a message.
    CHECK(std::strlen(a.last_error()) > 0);

    // The no-ops.
    a.engine_destroy(nullptr);
    a.cursor_destroy(nullptr);
    a.free(nullptr);

    // And the engine is still fine.
    CHECK(e.all().size() == 7);
}

TEST_CASE("last_error is never NULL and belongs to the calling thread", "[dll]") {
    std::string fresh = "unset";
    std::thread([&] {
        const char* m = api().last_error();
        fresh = m ? m : "NULL";
    }).join();
    CHECK(fresh.empty());  // "" before any failed call on that thread

    REQUIRE(api().engine_set_as_of(nullptr, kAsOf) == CRMTIER_E_ARGUMENT);
    const std::string mine = api().last_error();
    CHECK_FALSE(mine.empty());
    std::string other = "unset";
    std::thread([&] {
        crmtier_engine* eng = nullptr;
        api().engine_create("{\"nope\":1}", 10, &eng);
        other = api().last_error();
    }).join();
    CHECK(other.find("nope") != std::string::npos);
    CHECK(std::string(api().last_error()) == mine);  // untouched by the other thread
}

TEST_CASE("last_error stays valid until the thread's next call", "[dll]") {
    // crmtier.h: the message "stays valid until the calling thread's next
    // call into crmtier". plugin/abi.cpp's guard() does set_error(e.what())
    // for crmtier::Error, which picks the set_error(const char*) overload and
    // keeps a pointer into the exception, freed when the catch block ends:
    // the host reads freed memory. Allocations made by the host after the
    // failed call (no call into crmtier) overwrite the message.
    Loaded e;
    const std::string rec =
        R"({"type":"revenue","id":"INV-X","account_id":"ACC-1","date":"2026-01-01","amount":"12,50"})";
    REQUIRE(api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr) == CRMTIER_E_RECORD);
    const char* msg = api().last_error();
    const std::string copy = msg;  // read at once: still intact in practice
    REQUIRE(copy.find("amount") != std::string::npos);
    // The host allocates (blocks of about the message's size) and writes.
    std::vector<void*> blocks;
    for (std::size_t size = 8; size < 4 * copy.size() + 64; size += 8)
        for (int i = 0; i < 8; ++i) {
            void* p = std::malloc(size);
            std::memset(p, 'X', size);
            blocks.push_back(p);
        }
    const std::string later = msg;
    for (void* p : blocks) std::free(p);
    CHECK(later == copy);
}

TEST_CASE("a failed save or load leaves the engine exactly as it was", "[dll]") {
    Loaded e;
    const std::vector<std::string> before = e.all();
    const std::string stats_before = e.stats();
    const std::uint64_t seq = e.seq();
    auto unchanged = [&] {
        CHECK(e.seq() == seq);
        CHECK(e.all() == before);
        CHECK(e.stats() == stats_before);
        CHECK(strings(obj(e.changes(seq)).at("changed")).empty());
    };

    SECTION("a bulk load with one bad line loads nothing and names the line") {
        // Line 1 would add an account, line 2 would move the benchmark; line 3
        // has a non-numeric amount.
        const std::string lines =
            R"({"type":"account","id":"ACC-NEW","name":"New"})" "\n"
            R"({"type":"revenue","id":"INV-BIG","account_id":"ACC-1","date":"2026-06-01","amount":900000})" "\n"
            R"({"type":"revenue","id":"INV-BAD","account_id":"ACC-2","date":"2026-06-01","amount":"lots"})" "\n";
        std::size_t loaded = 99;
        const std::string msg = fails_with(CRMTIER_E_RECORD, [&] {
            return api().engine_load(e, "canonical", lines.data(), lines.size(), &loaded);
        });
        CHECK(loaded == 0);
        CHECK(msg.find("line 3") != std::string::npos);
        CHECK(msg.find("amount") != std::string::npos);
        CHECK(msg.find("INV-BAD") != std::string::npos);
        unchanged();
    }
    SECTION("a bulk load with malformed JSON on line 2") {
        const std::string lines =
            R"({"type":"account","id":"ACC-NEW","name":"New"})" "\n"
            R"({"type":"account","id":"ACC-NEW2",)" "\n";
        const std::string msg = fails_with(CRMTIER_E_PARSE, [&] {
            return api().engine_load(e, "canonical", lines.data(), lines.size(), nullptr);
        });
        CHECK(msg.find("line 2") != std::string::npos);
        unchanged();
    }
    SECTION("a save with a bad record") {
        const std::string rec = R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-02-30","amount":1})";
        const std::string msg = fails_with(CRMTIER_E_RECORD, [&] {
            return api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr);
        });
        CHECK(msg.find("date") != std::string::npos);
        unchanged();
    }
    SECTION("a save of an unknown type") {
        const std::string rec = R"({"type":"invoice","id":"INV-1"})";
        fails_with(CRMTIER_E_RECORD, [&] {
            return api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr);
        });
        unchanged();
    }
}

TEST_CASE("a save over a limit leaves the engine as it was", "[dll]") {
    Engine e(R"({"as_of":"2026-11-30","limits":{"max_accounts":7}})");
    e.load(kPortfolio);
    const std::vector<std::string> before = e.all();
    const std::uint64_t seq = e.seq();
    const std::string rec = R"({"type":"account","id":"ACC-8"})";
    fails_with(CRMTIER_E_LIMIT, [&] { return api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr); });
    CHECK(e.seq() == seq);
    CHECK(e.all() == before);
}

namespace {

struct LogSink {
    std::mutex m;
    std::vector<std::pair<int, std::string>> messages;
};

extern "C" void collect(int level, const char* message, void* user) {
    auto* sink = static_cast<LogSink*>(user);
    std::lock_guard<std::mutex> lock(sink->m);
    sink->messages.emplace_back(level, message ? message : "(NULL)");
}

// Runs `body` with file descriptors 1 and 2 sent to a temporary file, and
// returns whatever was written to them.
std::string captured_output(const std::function<void()>& body) {
    std::fflush(stdout);
    std::fflush(stderr);
    std::cout.flush();
    std::cerr.flush();
    FILE* tmp = std::tmpfile();
    REQUIRE(tmp != nullptr);
    const int saved_out = dup(1), saved_err = dup(2);
    dup2(fileno(tmp), 1);
    dup2(fileno(tmp), 2);
    body();
    std::fflush(stdout);
    std::fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    std::string text;
    std::rewind(tmp);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, tmp)) > 0) text.append(buf, n);
    std::fclose(tmp);
    return text;
}

}  // namespace

TEST_CASE("logging: silent without a callback, delivered with one", "[dll]") {
    int statuses[6] = {};
    const std::string printed = captured_output([&] {
        crmtier_engine* raw = nullptr;
        statuses[0] = api().engine_create("{}", 2, &raw);
        statuses[1] = api().engine_set_as_of(raw, kAsOf);
        statuses[2] = api().engine_load(raw, "canonical", kPortfolio, std::strlen(kPortfolio), nullptr);
        const char* rec = R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000})";
        statuses[3] = api().engine_save(raw, "canonical", rec, std::strlen(rec), nullptr, nullptr);
        statuses[4] = api().engine_save(raw, "canonical", "{oops", 5, nullptr, nullptr);  // a failure
        // A callback installed above the most severe level, then removed.
        statuses[5] = api().engine_set_log(raw, nullptr, nullptr, CRMTIER_LOG_TRACE);
        api().engine_destroy(raw);
    });
    CHECK(statuses[0] == CRMTIER_OK);
    CHECK(statuses[1] == CRMTIER_OK);
    CHECK(statuses[2] == CRMTIER_OK);
    CHECK(statuses[3] == CRMTIER_OK);
    CHECK(statuses[4] == CRMTIER_E_PARSE);
    CHECK(statuses[5] == CRMTIER_OK);
    CHECK(printed.empty());

    LogSink sink;
    Engine e;
    REQUIRE(api().engine_set_log(e, collect, &sink, CRMTIER_LOG_TRACE) == CRMTIER_OK);
    const std::string printed2 = captured_output([&] {
        e.as_of(kAsOf);
        e.load(kPortfolio);
        e.save(R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000})");
    });
    CHECK(printed2.empty());  // to the callback, not to the terminal
    {
        std::lock_guard<std::mutex> lock(sink.m);
        REQUIRE_FALSE(sink.messages.empty());
        bool load_logged = false;
        for (const auto& [level, text] : sink.messages) {
            CHECK(level >= CRMTIER_LOG_TRACE);
            CHECK(level <= CRMTIER_LOG_ERROR);
            CHECK_FALSE(text.empty());
            CHECK(text.back() != '\n');
            load_logged = load_logged || text.find("18") != std::string::npos;  // 18 records loaded
        }
        CHECK(load_logged);
    }

    // Above the level of every message: nothing arrives.
    const std::size_t count = sink.messages.size();
    REQUIRE(api().engine_set_log(e, collect, &sink, CRMTIER_LOG_ERROR) == CRMTIER_OK);
    e.load(kPortfolio);
    CHECK(sink.messages.size() == count);
    // Removed: nothing arrives.
    REQUIRE(api().engine_set_log(e, nullptr, nullptr, CRMTIER_LOG_TRACE) == CRMTIER_OK);
    e.load(kPortfolio);
    e.as_of("2026-12-01");
    CHECK(sink.messages.size() == count);
}

namespace {

// Writer t's records: its own account W-t, then invoices for it, some saved
// twice (upserts) and one deleted. Amounts grow with t so that the benchmark
// moves while the readers read.
std::vector<std::string> writer_records(int t) {
    std::vector<std::string> out;
    const std::string acc = "W-" + std::to_string(t);
    out.push_back(R"({"type":"account","id":")" + acc + R"(","name":"Writer )" + std::to_string(t) +
                  R"(","owner":"rep-w","last_contact":"2026-10-0)" + std::to_string(t + 1) + R"("})");
    for (int i = 0; i < 60; ++i) {
        const std::string inv = acc + "-INV-" + std::to_string(i % 45);  // 15 re-saves
        const int amount = 500 * (t + 1) * (i + 1);
        const std::string date = "2026-0" + std::to_string(1 + i % 9) + "-15";
        out.push_back(R"({"type":"revenue","id":")" + inv + R"(","account_id":")" + acc + R"(","date":")" + date +
                      R"(","amount":)" + std::to_string(amount) + "}");
    }
    out.push_back(R"({"type":"revenue","id":")" + acc + R"(-INV-3","deleted":true})");
    return out;
}

}  // namespace

TEST_CASE("4 writers and 2 readers at once end where the same saves end in sequence", "[dll][threads]") {
    Loaded e;
    std::atomic<bool> done{false};
    std::atomic<int> errors{0}, reads{0}, readers_started{0};
    std::mutex error_m;
    std::string first_error;
    auto note = [&](const std::string& what) {
        ++errors;
        std::lock_guard<std::mutex> lock(error_m);
        if (first_error.empty()) first_error = what;
    };

    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            while (readers_started.load() < 2) std::this_thread::yield();  // really at once
            for (const auto& rec : writer_records(t)) {
                char* out = nullptr;
                std::size_t len = 0;
                const int st = api().engine_save(e, "canonical", rec.data(), rec.size(), &out, &len);
                if (st != CRMTIER_OK) note(std::string("save: ") + api().last_error());
                else if (!out || len == 0) note("save: no result");
                api().free(out);
            }
        });
    }
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            std::uint64_t since = 0;
            ++readers_started;
            do {
                char* out = nullptr;
                std::size_t len = 0;
                if (api().engine_result(e, "canonical", "ACC-1", 5, &out, &len) != CRMTIER_OK)
                    note(std::string("result: ") + api().last_error());
                api().free(out);
                out = nullptr;
                if (api().engine_changes(e, since, &out, &len) != CRMTIER_OK) {
                    note(std::string("changes: ") + api().last_error());
                } else {
                    try {
                        since = json::parse(std::string(out, len)).as_object().at("seq").to_number<std::uint64_t>();
                    } catch (const std::exception& x) {
                        note(std::string("changes JSON: ") + x.what());
                    }
                }
                api().free(out);
                if (t == 1) {
                    crmtier_cursor* c = nullptr;
                    if (api().cursor_open(e, "canonical", &c) != CRMTIER_OK) {
                        note("cursor_open");
                    } else {
                        const char* r = nullptr;
                        do {
                            if (api().cursor_next(c, &r, &len) != CRMTIER_OK) {
                                note("cursor_next");
                                break;
                            }
                        } while (r);
                        api().cursor_destroy(c);
                    }
                } else {
                    out = nullptr;
                    if (api().engine_stats(e, &out, &len) != CRMTIER_OK) note("stats");
                    api().free(out);
                    out = nullptr;
                    if (api().engine_report(e, nullptr, 0, &out, &len) != CRMTIER_OK)
                        note(std::string("report: ") + api().last_error());
                    api().free(out);
                }
                ++reads;
            } while (!done.load());
        });
    }
    for (int t = 0; t < 4; ++t) threads[static_cast<std::size_t>(t)].join();
    done = true;
    for (std::size_t t = 4; t < threads.size(); ++t) threads[t].join();
    INFO(first_error);
    CHECK(errors.load() == 0);
    CHECK(reads.load() >= 2);

    Loaded sequential;
    for (int t = 0; t < 4; ++t)
        for (const auto& rec : writer_records(t)) sequential.save(rec);
    CHECK(e.seq() == sequential.seq());
    const std::vector<std::string> got = e.all(), want = sequential.all();
    REQUIRE(got.size() == want.size());
    REQUIRE(got.size() == 11);
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == want[i]);
    CHECK(e.stats() == sequential.stats());
}

TEST_CASE("snapshots: saved, loaded into a fresh engine, refused when damaged", "[dll]") {
    Loaded e;
    e.save(R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000})");
    const std::string path = std::string(CRMTIER_TEST_TMPDIR) + "/abi-dll.snapshot";
    std::remove(path.c_str());
    REQUIRE(api().engine_snapshot_save(e, path.c_str()) == CRMTIER_OK);

    Engine fresh;
    fresh.save(R"({"type":"account","id":"ZZ-GONE"})");
    const std::uint64_t before = fresh.seq();
    REQUIRE(api().engine_snapshot_load(fresh, path.c_str()) == CRMTIER_OK);
    CHECK(fresh.all() == e.all());
    CHECK(str(obj(fresh.stats()), "as_of") == kAsOf);
    CHECK(fresh.seq() > before);
    CHECK(fresh.seq() > e.seq());
    const json::object feed = obj(fresh.changes(before));
    CHECK(strings(feed.at("changed")) ==
          std::vector<std::string>{"ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-6", "ACC-7"});
    CHECK(strings(feed.at("deleted")) == std::vector<std::string>{"ZZ-GONE"});

    SECTION("a missing file is an I/O error naming the path") {
        const std::vector<std::string> all = e.all();
        const std::string missing = std::string(CRMTIER_TEST_TMPDIR) + "/no-such.snapshot";
        const std::string msg = fails_with(CRMTIER_E_IO, [&] { return api().engine_snapshot_load(e, missing.c_str()); });
        CHECK(msg.find("no-such.snapshot") != std::string::npos);
        CHECK(e.all() == all);
    }
    SECTION("a truncated snapshot is refused and the engine is unchanged") {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        REQUIRE(f);
        std::string bytes;
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
        std::fclose(f);
        REQUIRE(bytes.size() > 16);
        const std::string cut = std::string(CRMTIER_TEST_TMPDIR) + "/abi-dll-cut.snapshot";
        f = std::fopen(cut.c_str(), "wb");
        std::fwrite(bytes.data(), 1, bytes.size() / 2, f);
        std::fclose(f);
        Engine other;
        other.save(R"({"type":"account","id":"KEEP"})");
        const std::vector<std::string> all = other.all();
        const std::uint64_t seq = other.seq();
        fails_with(CRMTIER_E_SNAPSHOT, [&] { return api().engine_snapshot_load(other, cut.c_str()); });
        CHECK(other.all() == all);
        CHECK(other.seq() == seq);
    }
}

TEST_CASE("a record over the size limit is CRMTIER_E_LIMIT", "[dll]") {
    Engine e(R"({"as_of":"2026-11-30","limits":{"max_record_bytes":200}})");
    const std::string rec = R"({"type":"account","id":"ACC-1","name":")" + std::string(300, 'x') + R"("})";
    const std::string msg = fails_with(CRMTIER_E_LIMIT, [&] {
        return api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr);
    });
    CHECK(msg.find("max_record_bytes") != std::string::npos);
    fails_with(CRMTIER_E_LIMIT, [&] { return api().engine_load(e, "canonical", rec.data(), rec.size(), nullptr); });
    CHECK(e.all().empty());
}

TEST_CASE("a record nested deeper than the limit is CRMTIER_E_LIMIT", "[dll]") {
    // crmtier.h: CRMTIER_E_LIMIT is "a configured limit (record size, nesting
    // depth, portfolio size) would be exceeded"; CRMTIER_E_PARSE is "input
    // that is not well-formed JSON". A record nested 100 deep (the default
    // limits.max_depth is 64) is well-formed JSON over the nesting limit, but
    // plugin/records.cpp turns Boost.JSON's too_deep error into a ParseError:
    // the call returns CRMTIER_E_PARSE ("not valid JSON: too deep").
    Engine e;
    const std::string rec =
        R"({"type":"account","id":"ACC-1","name":)" + std::string(100, '[') + std::string(100, ']') + "}";
    const std::string msg = fails_with(CRMTIER_E_LIMIT, [&] {
        return api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr);
    });
    CHECK(msg.find("depth") != std::string::npos);
    CHECK(e.all().empty());
}

TEST_CASE("configuration through the C API changes the numbers as documented", "[dll]") {
    SECTION("benchmark: mean of the top 2") {
        // Top two annual revenues: ACC-1 100000 and ACC-4 80000 -> 90000.
        // ACC-4 80000/90000 = 0.889 A; ACC-2 0.556 B; ACC-5 0.5 B;
        // ACC-3 40000/90000 = 0.444 C (just under B); ACC-7 90000/90000 A.
        Engine e(R"({"as_of":"2026-11-30","benchmark":{"method":"top_n_mean","top_n":2}})");
        e.load(kPortfolio);
        const std::pair<const char*, const char*> tiers[] = {{"ACC-1", "A"}, {"ACC-2", "B"}, {"ACC-3", "C"},
                                                             {"ACC-4", "A"}, {"ACC-5", "B"}, {"ACC-6", "D"},
                                                             {"ACC-7", "A"}};
        for (const auto& [id, tier] : tiers) {
            INFO(id);
            const json::object r = obj(e.result(id));
            CHECK(str(r, "tier") == tier);
            CHECK(num(r, "benchmark") == 90000.0);
        }
        CHECK(str(obj(e.stats()), "benchmark_method") == "top_n_mean");
    }
    SECTION("cadence: A every 14 days, by visit") {
        // ACC-1: 2026-10-01 + 14 = 2026-10-15, 46 days before 2026-11-30.
        Engine e(R"({"as_of":"2026-11-30","cadence":{"A":{"days":14,"channel":"visit"}}})");
        e.load(kPortfolio);
        const json::object r = obj(e.result("ACC-1"));
        CHECK(str(r, "next_contact") == "2026-10-15");
        CHECK(str(r, "channel") == "visit");
        CHECK(r.at("overdue_days").to_number<int>() == 46);
        // B keeps its default.
        CHECK(str(obj(e.result("ACC-2")), "channel") == "call");
    }
    SECTION("\"today\" is today in UTC") {
        Engine e;
        REQUIRE(api().engine_set_as_of(e, "today") == CRMTIER_OK);
        char today[16];
        const std::time_t now = std::time(nullptr);
        std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
        CHECK(str(obj(e.stats()), "as_of") == today);
    }
}

TEST_CASE("peer groups of the sample's 20 reps", "[dll]") {
    std::FILE* f = std::fopen(CRMTIER_TEST_SAMPLE, "rb");
    REQUIRE(f);
    std::string data;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
    std::fclose(f);
    Engine e;
    e.as_of("2026-11-30");
    e.load(data);
    const std::string text = e.peer_groups();
    INFO(text);
    const json::object g = obj(text);
    CHECK(g.at("reps").to_number<int>() == 20);
    std::multiset<std::string> everyone;
    for (const auto& gv : g.at("groups").as_array()) {
        const json::object& grp = gv.as_object();
        const auto members = strings(grp.at("members"));
        everyone.insert(members.begin(), members.end());
        CHECK(members.size() <= 6);
        if (!grp.at("below_min_size").as_bool()) CHECK(members.size() >= 3);
        if (grp.at("presenter").is_object()) {
            const std::string presenter = str(grp.at("presenter").as_object(), "rep");
            CHECK(std::find(members.begin(), members.end(), presenter) != members.end());
            CHECK(grp.at("presenter").as_object().at("a_accounts").to_number<int>() > 0);
        }
    }
    CHECK(everyone.size() == 20);
    CHECK(std::set<std::string>(everyone.begin(), everyone.end()).size() == 20);  // each rep once
}

TEST_CASE("text is (pointer, length): no NUL needed, CRLF lines read like LF", "[dll]") {
    Loaded want;
    SECTION("records followed by bytes past their length") {
        Engine e;
        e.as_of(kAsOf);
        const std::string portfolio = kPortfolio;
        const std::string padded = portfolio + "{\"type\":\"account\",\"id\":\"NOT-ME\"}\nGARBAGE";
        std::size_t loaded = 0;
        REQUIRE(api().engine_load(e, "canonical", padded.data(), portfolio.size(), &loaded) == CRMTIER_OK);
        CHECK(loaded == kPortfolioRecords);
        const std::string rec = R"({"type":"revenue","id":"INV-8","account_id":"ACC-6","date":"2026-10-01","amount":30000})";
        const std::string tail = rec + "garbage that is not JSON";
        REQUIRE(api().engine_save(e, "canonical", tail.data(), rec.size(), nullptr, nullptr) == CRMTIER_OK);
        want.save(rec);
        CHECK(e.all() == want.all());
    }
    SECTION("CRLF line ends") {
        std::string crlf;
        for (const char* p = kPortfolio; *p; ++p) {
            if (*p == '\n') crlf += '\r';
            crlf += *p;
        }
        Engine e;
        e.as_of(kAsOf);
        CHECK(e.load(crlf) == kPortfolioRecords);
        CHECK(e.all() == want.all());
    }
}

TEST_CASE("a cursor walks the accounts that existed when it was opened", "[dll]") {
    // crmtier.h, cursors: "It walks the accounts that existed when it was
    // opened, and renders each one's result as it is when the cursor reaches
    // it: accounts deleted meanwhile are skipped, accounts created after it
    // was opened are not returned."
    Loaded e;
    crmtier_cursor* c = nullptr;
    REQUIRE(api().cursor_open(e, "canonical", &c) == CRMTIER_OK);
    const char* r = nullptr;
    std::size_t len = 0;
    REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
    REQUIRE(r != nullptr);
    CHECK(str(obj(std::string(r, len)), "id") == "ACC-1");
    e.save(R"({"type":"account","id":"ACC-0","name":"created after: not returned"})");
    e.save(R"({"type":"account","id":"ACC-9","name":"created after: not returned"})");
    e.save(R"({"type":"account","id":"ACC-3","deleted":true})");
    std::vector<std::string> ids;
    for (;;) {
        REQUIRE(api().cursor_next(c, &r, &len) == CRMTIER_OK);
        if (!r) break;
        ids.push_back(str(obj(std::string(r, len)), "id"));
    }
    api().cursor_destroy(c);
    CHECK(ids == std::vector<std::string>{"ACC-2", "ACC-4", "ACC-5", "ACC-6", "ACC-7"});
}

namespace {

thread_local bool t_in_call = false;  // this thread is inside an engine call
std::atomic<int> g_in_callback{0}, g_overlaps{0}, g_foreign{0}, g_messages{0};

extern "C" void watch(int, const char*, void*) {
    if (g_in_callback.fetch_add(1) != 0) ++g_overlaps;  // two threads at once
    if (!t_in_call) ++g_foreign;                         // not the calling thread
    ++g_messages;
    std::this_thread::yield();
    --g_in_callback;
}

}  // namespace

TEST_CASE("the log callback runs on the calling thread, one thread at a time", "[dll][threads]") {
    Loaded e;
    REQUIRE(api().engine_set_log(e, watch, nullptr, CRMTIER_LOG_TRACE) == CRMTIER_OK);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (const auto& rec : writer_records(t)) {
                t_in_call = true;
                const int st = api().engine_save(e, "canonical", rec.data(), rec.size(), nullptr, nullptr);
                t_in_call = false;
                if (st != CRMTIER_OK) ++g_foreign;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(g_messages.load() > 0);
    CHECK(g_overlaps.load() == 0);
    CHECK(g_foreign.load() == 0);
    REQUIRE(api().engine_set_log(e, nullptr, nullptr, CRMTIER_LOG_OFF) == CRMTIER_OK);
}

TEST_CASE("every host adapter renders every result through the C API", "[dll]") {
    Loaded e;
    const std::size_t n = e.all().size();
    for (const char* adapter : {"salesforce", "hubspot", "dynamics", "odoo", "tryton", "csv"}) {
        INFO(adapter);
        const std::vector<std::string> all = e.all(adapter);
        CHECK(all.size() == n);
        for (const auto& r : all) {
            const json::value v = json::parse(r);
            CHECK(v.is_object());
            CHECK_FALSE(v.as_object().empty());
        }
        const std::string one = e.result("ACC-7", adapter);
        CHECK(one == all.back());
    }
}

// crmtier_engine_report() seen from a host, on the hand-scored portfolio: 7
// accounts, 3 overdue (ACC-1, ACC-5, ACC-6), 2 declining (ACC-3, ACC-7), 1
// escalation (ACC-7, the blue A).
namespace {
bool has(const std::string& page, const std::string& what) { return page.find(what) != std::string::npos; }
}  // namespace

TEST_CASE("report: NULL options are the defaults; the page is the caller's, NUL-terminated", "[dll][report]") {
    Loaded e;
    char* html = nullptr;
    std::size_t len = 0;
    REQUIRE(api().engine_report(e, nullptr, 0, &html, &len) == CRMTIER_OK);
    REQUIRE(html != nullptr);
    CHECK(std::strlen(html) == len);
    const std::string page(html, len);
    api().free(html);
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(has(page, R"(data-stat="accounts" data-value="7")"));
    CHECK(has(page, R"(data-stat="overdue" data-value="3")"));
    CHECK(has(page, R"(data-stat="declining" data-value="2")"));
    CHECK(has(page, R"(data-stat="escalations" data-value="1")"));
    CHECK(has(page, R"(<article class="escalation" data-rep="rep-3" data-id="ACC-7">)"));
    CHECK(page == e.report("{}"));
    CHECK(page == e.report());
}

TEST_CASE("report: bad options are refused, naming the key; the engine stays as it was", "[dll][report]") {
    Loaded e;
    const std::uint64_t seq = e.seq();
    const std::string changes = e.changes(0);
    auto fails = [&](const std::string& options, int status, const std::string& message) {
        char* html = reinterpret_cast<char*>(1);
        std::size_t len = 7;
        CHECK(api().engine_report(e, options.data(), options.size(), &html, &len) == status);
        CHECK(html == nullptr);
        CHECK(len == 0);
        CHECK(std::string(api().last_error()) == message);
    };
    fails(R"({"ownr":"rep-1"})", CRMTIER_E_CONFIG, "report options: \"ownr\": unknown key");
    fails(R"({"labels":{"tittle":"x"}})", CRMTIER_E_CONFIG,
          "report options: \"labels.tittle\": unknown label (docs/report.md lists them)");
    fails(R"({"owner":"rep-9"})", CRMTIER_E_NOT_FOUND,
          "report options: \"owner\": no account has the owner \"rep-9\" (3 owners, e.g. \"rep-1\")");
    fails(R"({"since":"2026-12-01"})", CRMTIER_E_CONFIG,
          "report options: \"since\": 2026-12-01 is not before the as-of date 2026-11-30");
    fails(R"({"lang":1})", CRMTIER_E_CONFIG, "report options: \"lang\": expected a non-empty string");
    fails("{\"owner\":", CRMTIER_E_PARSE, "report options: column 10: not valid JSON: incomplete JSON");
    CHECK(e.seq() == seq);
    CHECK(e.changes(0) == changes);
    // One rep, and the movers since the prior window began: the engine's
    // sequence and change feed do not move.
    const std::string one = e.report(R"({"owner":"rep-3","since":"2025-06-01"})");
    CHECK(has(one, R"(data-stat="accounts" data-value="3")"));
    CHECK(has(one, R"(id="movers")"));
    CHECK(e.seq() == seq);
    CHECK(e.changes(0) == changes);
}

// "canonical:KEY,...": the canonical adapter answering with some keys of the
// result only (abi/crmtier.h, Adapters). Each key's text is the whole
// result's, in the whole result's order.
TEST_CASE("a canonical fields view writes those keys of the whole result, as it writes them", "[dll]") {
    Loaded e;
    const std::vector<std::string> whole = e.all();
    REQUIRE(!whole.empty());
    // Every key of the whole result, in its order, parsed independently.
    std::vector<std::string> keys;
    for (const auto& kv : obj(whole[0])) keys.emplace_back(kv.key());
    REQUIRE(keys.size() == 20);
    REQUIRE(keys.front() == "id");
    REQUIRE(keys.back() == "reasons");
    std::string every = "canonical:";
    for (std::size_t i = 0; i < keys.size(); ++i) every += (i ? "," : "") + keys[i];

    // All the keys: the whole result, byte for byte.
    CHECK(e.all(every.c_str()) == whole);

    // Three keys, asked in another order and one twice: the whole result's
    // order, each once, the values the whole result has.
    const std::vector<std::string> some = e.all("canonical:next_contact,colour,tier,colour");
    REQUIRE(some.size() == whole.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
        const json::object w = obj(whole[i]), s = obj(some[i]);
        REQUIRE(s.size() == 3);
        auto it = s.begin();
        CHECK(it->key() == "tier");
        CHECK(it->value() == w.at("tier"));
        ++it;
        CHECK(it->key() == "colour");
        CHECK(it->value() == w.at("colour"));
        ++it;
        CHECK(it->key() == "next_contact");
        CHECK(it->value() == w.at("next_contact"));
        CHECK(some[i] == "{\"tier\":" + json::serialize(w.at("tier")) + ",\"colour\":" +
                             json::serialize(w.at("colour")) + ",\"next_contact\":" +
                             json::serialize(w.at("next_contact")) + "}");
    }
    // The arrays, as the whole result writes them.
    const std::string id = str(obj(whole[0]), "id");
    const std::string full = e.result(id);
    const std::string reasons = e.result(id, "canonical:id,reasons");
    const std::size_t at = full.find(",\"reasons\":");
    REQUIRE(at != std::string::npos);
    CHECK(reasons == "{\"id\":" + json::serialize(json::value(id)) + full.substr(at));

    // A save answers the same way: the keys of the result the whole save
    // answers with.
    const std::string rec = R"({"type":"account","id":")" + id + R"(","name":"Renamed","last_contact":"2026-11-29"})";
    const std::string saved = e.save(rec, "canonical:tier,overdue_days,declining");
    const json::object after = obj(e.result(id));
    CHECK(saved == "{\"tier\":" + json::serialize(after.at("tier")) + ",\"overdue_days\":" +
                       json::serialize(after.at("overdue_days")) + ",\"declining\":" +
                       json::serialize(after.at("declining")) + "}");
    CHECK(e.save(rec, "canonical:tier,overdue_days,declining") == saved);
}

TEST_CASE("a canonical fields view with an unknown or empty key is refused, naming it", "[dll]") {
    Loaded e;
    const std::string id = str(obj(e.all()[0]), "id");
    for (const char* bad : {"canonical:tier,bogus", "canonical:", "canonical:tier,,colour", "canonical:Tier", "canonicalx:tier"}) {
        INFO(bad);
        char* out = nullptr;
        std::size_t len = 0;
        const int st = api().engine_result(e, bad, id.data(), id.size(), &out, &len);
        const std::string msg = api().last_error();
        INFO(msg);
        CHECK(st == CRMTIER_E_ADAPTER);
        CHECK(out == nullptr);
        CHECK(msg.find(bad) != std::string::npos);
    }
    CHECK(std::string(api().last_error()).find("unknown adapter") != std::string::npos);  // canonicalx:
    char* out = nullptr;
    std::size_t len = 0;
    CHECK(api().engine_result(e, "canonical:tier,bogus", id.data(), id.size(), &out, &len) == CRMTIER_E_ADAPTER);
    CHECK(std::string(api().last_error()).find("unknown result key \"bogus\"") != std::string::npos);
    // Up to 64 different sets of keys per engine; asking again for one of
    // them is no new set.
    const char* kKeys[] = {"tier", "revenue_tier", "annual_revenue", "prior_revenue", "colour", "peers", "potential"};
    int made = 0;
    for (int mask = 1; mask < 128 && made < 64; ++mask, ++made) {
        std::string name = "canonical:";
        for (int k = 0; k < 7; ++k)
            if (mask & (1 << k)) name += std::string(name.size() > 10 ? "," : "") + kKeys[k];
        REQUIRE_NOTHROW(e.result(id, name.c_str()));
    }
    CHECK_NOTHROW(e.result(id, "canonical:tier"));
    CHECK(api().engine_result(e, "canonical:id,tier,revenue_tier,annual_revenue,prior_revenue,colour,peers,potential",
                              id.data(), id.size(), &out, &len) == CRMTIER_E_ADAPTER);
    CHECK(std::string(api().last_error()).find("more than 64") != std::string::npos);
    CHECK_NOTHROW(e.result(id));
}
