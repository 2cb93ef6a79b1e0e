// Part of abi.dll: crmtier_cursor_next_batch() gives the same bytes, in the
// same order, as crmtier_cursor_next() one result at a time (each result
// followed by "\n"), whatever the range and the number of threads; it skips
// accounts deleted after the cursor was opened; it refuses bad arguments.
#include <catch2/catch.hpp>

#include <string>

#include "tests/abi/plugin_api.hpp"

using namespace abitest;

namespace {

// 3,000 accounts in 40 profiles with revenue, so that ranges are split
// among threads (a part is at least 256 results).
std::string portfolio() {
    std::string out;
    for (int i = 0; i < 3000; ++i) {
        const std::string id = "ACC-" + std::to_string(100000 + i * 7919 % 3000);
        out += R"({"type":"account","id":")" + id + R"(","owner":"rep-)" + std::to_string(i % 9) +
               R"(","employees":)" + std::to_string(5 + i % 300) + R"(,"territory":"EMEA/DE/)" + std::to_string(i % 4) +
               R"(","industry":"I)" + std::to_string(i % 10) + R"(","last_contact":"2026-10-0)" + std::to_string(1 + i % 9) +
               "\"}\n";
        if (i % 5 != 0)
            out += R"({"type":"revenue","id":"INV-)" + std::to_string(i) + R"(","account_id":")" + id +
                   R"(","date":"2026-0)" + std::to_string(1 + i % 9) + R"(-15","amount":)" +
                   std::to_string(100 + (i * 37) % 5000) + ".25}\n";
    }
    return out;
}

std::string one_by_one(crmtier_engine* e, const char* adapter = "canonical") {
    crmtier_cursor* c = nullptr;
    check(api().cursor_open(e, adapter, &c), "cursor_open");
    std::string all;
    for (;;) {
        const char* r = nullptr;
        std::size_t len = 0;
        check(api().cursor_next(c, &r, &len), "cursor_next");
        if (!r) break;
        all.append(r, len).push_back('\n');
    }
    api().cursor_destroy(c);
    return all;
}

std::string in_batches(crmtier_engine* e, std::size_t max_results, unsigned threads, std::size_t& results,
                       const char* adapter = "canonical") {
    crmtier_cursor* c = nullptr;
    check(api().cursor_open(e, adapter, &c), "cursor_open");
    std::string all;
    results = 0;
    for (;;) {
        const char* r = nullptr;
        std::size_t len = 0, count = 0;
        check(api().cursor_next_batch(c, max_results, threads, &r, &len, &count), "cursor_next_batch");
        if (!r) {
            REQUIRE(len == 0);
            REQUIRE(count == 0);
            break;
        }
        REQUIRE(count >= 1);
        REQUIRE(count <= max_results);
        results += count;
        all.append(r, len);
    }
    api().cursor_destroy(c);
    return all;
}

}  // namespace

TEST_CASE("results in batches are the cursor's results, byte for byte, on any number of threads", "[dll][batch]") {
    Engine e(R"({"as_of":"2026-11-30"})");
    REQUIRE(e.load(portfolio()) > 3000);
    const std::string expected = one_by_one(e);
    std::size_t lines = 0;
    for (char ch : expected) lines += ch == '\n';
    REQUIRE(lines == 3000);
    for (std::size_t max : {std::size_t{1}, std::size_t{255}, std::size_t{1000}, std::size_t{100000}})
        for (unsigned threads : {0u, 1u, 2u, 7u}) {
            if (max == 1 && threads > 1) continue;  // (3,000 calls: the same path as threads 1)
            std::size_t n = 0;
            INFO("max_results " << max << ", threads " << threads);
            REQUIRE(in_batches(e, max, threads, n) == expected);
            REQUIRE(n == 3000);
        }
    SECTION("a host adapter's results too") {
        // The same engine's results in Salesforce's shape, both ways.
        const std::string sf = one_by_one(e, "salesforce");
        std::size_t n = 0;
        REQUIRE(in_batches(e, 700, 2, n, "salesforce") == sf);
        REQUIRE(n == 3000);
    }
}

TEST_CASE("a batch skips accounts deleted after the cursor was opened", "[dll][batch]") {
    Engine e(R"({"as_of":"2026-11-30"})");
    e.load(portfolio());
    crmtier_cursor* c = nullptr;
    check(api().cursor_open(e, "canonical", &c), "cursor_open");
    e.save(R"({"type":"account","id":"ACC-100000","deleted":true})");
    e.save(R"({"type":"account","id":"ACC-102999","deleted":true})");
    const char* r = nullptr;
    std::size_t len = 0, count = 0, total = 0;
    std::string all;
    while (true) {
        check(api().cursor_next_batch(c, 1000, 2, &r, &len, &count), "cursor_next_batch");
        if (!r) break;
        total += count;
        all.append(r, len);
    }
    api().cursor_destroy(c);
    CHECK(total == 2998);
    CHECK(all == one_by_one(e));
    CHECK(all.find("\"ACC-100000\"") == std::string::npos);
}

TEST_CASE("a batch refuses bad arguments, saying which", "[dll][batch]") {
    Engine e(R"({"as_of":"2026-11-30"})");
    e.load(portfolio());
    crmtier_cursor* c = nullptr;
    check(api().cursor_open(e, "canonical", &c), "cursor_open");
    const char* r = reinterpret_cast<const char*>(1);
    std::size_t len = 9, count = 9;
    CHECK(api().cursor_next_batch(c, 0, 1, &r, &len, &count) == CRMTIER_E_ARGUMENT);
    CHECK(std::string(api().last_error()).find("max_results") != std::string::npos);
    CHECK((r == nullptr && len == 0 && count == 0));
    CHECK(api().cursor_next_batch(c, 10, 257, &r, &len, &count) == CRMTIER_E_ARGUMENT);
    CHECK(std::string(api().last_error()).find("threads") != std::string::npos);
    CHECK(api().cursor_next_batch(c, 10, 1, nullptr, &len, &count) == CRMTIER_E_ARGUMENT);
    CHECK(api().cursor_next_batch(nullptr, 10, 1, &r, &len, &count) == CRMTIER_E_ARGUMENT);
    // count may be NULL; nothing was consumed by the refused calls.
    CHECK(api().cursor_next_batch(c, 10, 1, &r, &len, nullptr) == CRMTIER_OK);
    CHECK(std::string(r, len).rfind("{\"id\":\"ACC-100000\"", 0) == 0);
    api().cursor_destroy(c);
}
