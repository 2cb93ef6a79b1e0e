// abi.dll: crmtier_engine_report() seen from a host, on the hand-scored
// portfolio of portfolio.hpp: 7 accounts, 3 overdue (ACC-1, ACC-5, ACC-6),
// 2 declining (ACC-3, ACC-7), 1 escalation (ACC-7, the blue A).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "plugin_api.hpp"
#include "portfolio.hpp"

using namespace abitest;

namespace {

struct Loaded : Engine {
    Loaded() {
        as_of(kAsOf);
        REQUIRE(load(kPortfolio) == kPortfolioRecords);
    }
};

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
    fails("{\"owner\":", CRMTIER_E_PARSE, "report options: not valid JSON: incomplete JSON");
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
