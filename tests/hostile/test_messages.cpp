// Messages a user can act on: where in the input a JSON error is (the line
// and the byte column), the one form of configuration errors, numbers shown
// as people write them, and the bounds of an amount exactly as documented
// (docs/semantics.md#canonical-records). Each case here failed before the
// change that made its message right.
#include <catch2/catch.hpp>

#include <string>

#include "tests/hostile/engine_digest.hpp"

using namespace crmtier_test;

namespace {

const char* kAsOf30 = R"({"as_of":"2026-11-30"})";

struct Outcome {
    int status;
    std::string message;
};

Outcome save(const Engine& e, const std::string& record, const char* adapter = "canonical") {
    const int st = crmtier_engine_save(e.get(), adapter, record.data(), record.size(), nullptr, nullptr);
    return {st, st == CRMTIER_OK ? std::string() : std::string(crmtier_last_error())};
}

Outcome load(const Engine& e, const std::string& data, const char* adapter = "canonical", std::size_t* n = nullptr) {
    const int st = crmtier_engine_load(e.get(), adapter, data.data(), data.size(), n);
    return {st, st == CRMTIER_OK ? std::string() : std::string(crmtier_last_error())};
}

Outcome create(const std::string& config) {
    crmtier_engine* e = nullptr;
    const int st = crmtier_engine_create(config.data(), config.size(), &e);
    crmtier_engine_destroy(e);
    return {st, st == CRMTIER_OK ? std::string() : std::string(crmtier_last_error())};
}

std::string revenue(const std::string& amount) {
    return R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-06-01","amount":)" + amount + "}";
}

}  // namespace

TEST_CASE("JSON errors name the byte column, and the line in bulk input", "[messages]") {
    Engine e(kAsOf30);
    // {bad: the 'b' at byte 2 is where the syntax breaks.
    CHECK(save(e, "{bad").message == "column 2: not valid JSON: syntax error");
    // The record stops after `"amount":`, its 81st byte: the value was due at
    // byte 82.
    const std::string cut = R"({"type":"revenue","id":"INV-2","account_id":"ACC-1","date":"2026-06-01","amount":)";
    REQUIRE(cut.size() == 81);
    CHECK(save(e, cut).message == "column 82: not valid JSON: incomplete JSON");
    // Invalid UTF-8: the column of its first byte.
    CHECK(save(e, "{\"type\":\"account\",\"id\":\"A\xFF\"}").message == "column 26: not valid JSON: invalid UTF-8");
    // Bulk: line and column.
    const std::string data = R"({"type":"account","id":"ACC-1"})" "\n\n" R"({"type":"account","id":"ACC-2",})" "\n";
    const Outcome bulk = load(e, data);
    CHECK(bulk.status == CRMTIER_E_PARSE);
    CHECK(bulk.message == "line 3, column 32: not valid JSON: syntax error");
    // Through a host adapter: its name first.
    CHECK(save(e, R"({"Id":"001",)", "salesforce").message == "salesforce: column 13: not valid JSON: incomplete JSON");
    const Outcome host_bulk = load(e, "{\"__model__\":\"party.party\",\"id\":1}\n{oops\n", "tryton");
    CHECK(host_bulk.message == "tryton: line 2, column 2: not valid JSON: syntax error");
    // The configuration.
    CHECK(create(R"({"as_of":"2026-11-30",})").message == "config: column 23: not valid JSON: syntax error");
}

TEST_CASE("a byte-order mark before JSON Lines is accepted, as before CSV", "[messages]") {
    Engine e(kAsOf30);
    std::size_t n = 0;
    const std::string data = "\xEF\xBB\xBF" R"({"type":"account","id":"ACC-1"})" "\n" + revenue("100") + "\n";
    const Outcome o = load(e, data, "canonical", &n);
    CHECK(o.status == CRMTIER_OK);
    CHECK(o.message.empty());
    CHECK(n == 2);
    // A later line's error still names its line and column.
    const std::string bad = "\xEF\xBB\xBF" R"({"type":"account","id":"ACC-9"})" "\n{x\n";
    CHECK(load(e, bad).message == "line 2, column 2: not valid JSON: syntax error");
    // The first line's column counts from after the mark.
    CHECK(load(e, "\xEF\xBB\xBF{x\n").message == "line 1, column 2: not valid JSON: syntax error");
}

TEST_CASE("every configuration error has the form config: \"path\": why", "[messages]") {
    CHECK(create(R"({"adapters":{"hubspot":{"won_stage":["closedwon"]}}})").message ==
          R"(config: "adapters.hubspot.won_stage": unknown key)");
    CHECK(create(R"({"adapters":{"pipedrive":{}}})").message ==
          R"(config: "adapters.pipedrive": unknown adapter (known: csv, dynamics, hubspot, odoo, salesforce, tryton))");
    CHECK(create(R"({"adapters":{"csv":{"delimiter":"|"}}})").message ==
          R"(config: "adapters.csv.delimiter": expected one of "auto", ",", ";", "\t")");
    CHECK(create(R"({"host":"salesfarce"})").message ==
          R"(config: "host": unknown adapter "salesfarce" (known: canonical, csv, dynamics, hubspot, odoo, salesforce, tryton))");
}

TEST_CASE("numeric bounds are written as plain numbers", "[messages]") {
    CHECK(create(R"({"benchmark":{"percentile":0}})").message ==
          R"(config: "benchmark.percentile": must be between 0.000000001 and 100)");
    CHECK(create(R"({"tiers":{"A":2e9}})").message == R"(config: "tiers.A": must be between 0.000000001 and 1000000000)");
    CHECK(create(R"({"decline":{"threshold":1.5}})").message ==
          R"(config: "decline.threshold": must be between 0.000000001 and 1)");
}

TEST_CASE("an amount beyond 10^12 is refused, 10^12 itself is not", "[messages]") {
    Engine e(kAsOf30);
    e.save(R"({"type":"account","id":"ACC-1"})");
    // 1000000000000.0001 is the double just above 10^12 (10^12 + 2^-13).
    for (const char* ok : {"1000000000000", "1000000000000.0", "-1000000000000", "999999999999.9999"})
        CHECK(save(e, revenue(ok)).status == CRMTIER_OK);
    for (const char* over : {"1000000000000.0001", "-1000000000000.0001", "1000000000000.001", "1e13"}) {
        INFO(over);
        const Outcome o = save(e, revenue(over));
        CHECK(o.status == CRMTIER_E_RECORD);
        CHECK(o.message == R"(revenue "INV-1": field "amount": must be a finite number of at most 1e12 in absolute value)");
    }
    // The same bound through a host adapter, amount as a JSON number and as text.
    const std::string sf = R"({"attributes":{"type":"Opportunity"},"Id":"006A","AccountId":"001A","IsWon":true,"IsClosed":true,"CloseDate":"2026-06-01","Amount":)";
    CHECK(save(e, sf + "1000000000000}", "salesforce").status == CRMTIER_OK);
    CHECK(save(e, sf + "1000000000000.0001}", "salesforce").status == CRMTIER_E_RECORD);
    const std::string hs = R"({"id":"77","properties":{"dealstage":"closedwon","closedate":"2026-05-01","amount":")";
    const std::string hs_end = R"("},"associations":{"companies":{"results":[{"id":"512"}]}}})";
    CHECK(save(e, hs + "1000000000000" + hs_end, "hubspot").status == CRMTIER_OK);
    CHECK(save(e, hs + "1000000000000.0001" + hs_end, "hubspot").status == CRMTIER_E_RECORD);
}
