// The configurable limits ("limits" in the configuration, plugin/policy.hpp):
// each one, set small, refuses what passes it with its status and a message
// that names the limit, and the engine stays as it was.
#include <catch2/catch.hpp>

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "tests/hostile/engine_digest.hpp"

using namespace crmtier_test;

namespace {

const char* kSmall = R"({"as_of":"2026-11-27","limits":{"max_record_bytes":256,"max_depth":4,"max_accounts":3,)"
                     R"("max_revenue_records":2,"max_id_bytes":8,"max_text_bytes":16}})";

struct Outcome {
    int status;
    std::string message;
    bool unchanged;
};

Outcome save(const Engine& eng, const std::string& rec, const char* adapter = "canonical") {
    const std::string before = digest(eng.get());
    const int st = crmtier_engine_save(eng.get(), adapter, rec.data(), rec.size(), nullptr, nullptr);
    return {st, crmtier_last_error(), digest(eng.get()) == before};
}

Outcome load(const Engine& eng, const std::string& data, const char* adapter = "canonical") {
    const std::string before = digest(eng.get());
    const int st = crmtier_engine_load(eng.get(), adapter, data.data(), data.size(), nullptr);
    return {st, crmtier_last_error(), digest(eng.get()) == before};
}

std::string account(const std::string& id) { return R"({"type":"account","id":")" + id + "\"}"; }
std::string revenue(const std::string& id) {
    return R"({"type":"revenue","id":")" + id + R"(","account_id":"A1","date":"2026-01-01","amount":1})";
}

}  // namespace

TEST_CASE("limits.max_record_bytes: a record or a line over it is CRMTIER_E_LIMIT naming the limit", "[limits]") {
    Engine eng(kSmall);
    const std::string big = R"({"type":"account","id":"A1","name":")" + std::string(300, 'n') + "\"}";
    auto o = save(eng, big);
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_record_bytes") && Catch::Contains("256"));
    CHECK(o.unchanged);
    o = load(eng, account("A1") + "\n" + big + "\n");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("line 2") && Catch::Contains("limits.max_record_bytes"));
    CHECK(o.unchanged);
    const std::string sf = R"({"attributes":{"type":"Account"},"Id":"001","Name":")" + std::string(300, 'n') + "\"}";
    o = save(eng, sf, "salesforce");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_record_bytes"));
    CHECK(o.unchanged);
}

TEST_CASE("limits.max_record_bytes also bounds each line of a host adapter's bulk load",
          "[limits][regression]") {
    // policy.hpp: max_record_bytes is "one record, or one line". The
    // canonical bulk load checks every line; the host adapters' bulk loads
    // (JSON Lines and CSV) do not check any: with max_record_bytes 256 a
    // 300-byte line is loaded.
    Engine eng(R"({"as_of":"2026-11-27","limits":{"max_record_bytes":256}})");
    const std::string sf = R"({"attributes":{"type":"Account"},"Id":"001","Name":")" + std::string(300, 'n') + "\"}\n";
    auto o = load(eng, sf, "salesforce");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_record_bytes"));
    CHECK(o.unchanged);
    const std::string csv = "id,name\nA1," + std::string(300, 'n') + "\n";
    o = load(eng, csv, "csv");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_record_bytes"));
    CHECK(o.unchanged);
}

TEST_CASE("limits.max_depth: nesting past it is refused and names the depth", "[limits]") {
    Engine eng(kSmall);
    const std::string rec = R"({"type":"account","id":"A1","name":[[[["x"]]]]})";
    auto o = save(eng, rec);
    CHECK((o.status == CRMTIER_E_LIMIT || o.status == CRMTIER_E_PARSE));
    CHECK_THAT(o.message, Catch::Contains("deep"));
    CHECK(o.unchanged);
    // Exactly at the limit: parsed, and refused only for its content.
    o = save(eng, R"({"type":"account","id":"A1","name":[["x"]]})");
    CHECK(o.status == CRMTIER_E_RECORD);
    CHECK_THAT(o.message, Catch::Contains("\"name\""));
}

TEST_CASE("limits.max_accounts: the account past it is CRMTIER_E_LIMIT; upserts and deletes still work", "[limits]") {
    Engine eng(kSmall);
    eng.load(account("A1") + "\n" + account("A2") + "\n" + account("A3") + "\n");
    auto o = save(eng, account("A4"));
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_accounts") && Catch::Contains("3"));
    CHECK(o.unchanged);
    o = load(eng, account("A1") + "\n" + account("A5") + "\n");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_accounts"));
    CHECK(o.unchanged);
    // Replacing an existing account does not count against the limit...
    o = save(eng, R"({"type":"account","id":"A1","name":"renamed"})");
    CHECK(o.status == CRMTIER_OK);
    // ...and a delete frees a place.
    eng.save(R"({"type":"account","id":"A2","deleted":true})");
    CHECK(eng.save(account("A4")).find("\"A4\"") != std::string::npos);
}

TEST_CASE("limits.max_revenue_records: the record past it is CRMTIER_E_LIMIT", "[limits]") {
    Engine eng(kSmall);
    eng.load(account("A1") + "\n" + revenue("I1") + "\n" + revenue("I2") + "\n");
    auto o = save(eng, revenue("I3"));
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK_THAT(o.message, Catch::Contains("limits.max_revenue_records") && Catch::Contains("2"));
    CHECK(o.unchanged);
    o = load(eng, revenue("I3") + "\n" + revenue("I4") + "\n");
    CHECK(o.status == CRMTIER_E_LIMIT);
    CHECK(o.unchanged);
    // The same invoice saved again is an upsert, not a third record.
    CHECK(crmtier_engine_save(eng.get(), "canonical", revenue("I2").data(), revenue("I2").size(), nullptr, nullptr) ==
          CRMTIER_OK);
}

TEST_CASE("limits.max_id_bytes and limits.max_text_bytes: the field past them is refused, naming it", "[limits]") {
    Engine eng(kSmall);
    auto o = save(eng, account("A23456789"));
    CHECK((o.status == CRMTIER_E_RECORD || o.status == CRMTIER_E_LIMIT));
    CHECK_THAT(o.message, Catch::Contains("\"id\"") && Catch::Contains("8 bytes"));
    CHECK(o.unchanged);
    o = save(eng, R"({"type":"account","id":"A1","owner":"rep-123456"})");
    CHECK((o.status == CRMTIER_E_RECORD || o.status == CRMTIER_E_LIMIT));
    CHECK_THAT(o.message, Catch::Contains("\"owner\""));
    o = save(eng, R"({"type":"account","id":"A1","name":"12345678901234567"})");
    CHECK((o.status == CRMTIER_E_RECORD || o.status == CRMTIER_E_LIMIT));
    CHECK_THAT(o.message, Catch::Contains("\"name\"") && Catch::Contains("16 bytes"));
    CHECK(o.unchanged);
    o = save(eng, R"({"type":"revenue","id":"I1","account_id":"A1","date":"2026-01-01","amount":1,"product":"12345678901234567"})");
    CHECK((o.status == CRMTIER_E_RECORD || o.status == CRMTIER_E_LIMIT));
    CHECK_THAT(o.message, Catch::Contains("\"product\""));
    // Through a host adapter too.
    o = save(eng, R"({"attributes":{"type":"Account"},"Id":"001","Name":"12345678901234567"})", "salesforce");
    CHECK((o.status == CRMTIER_E_RECORD || o.status == CRMTIER_E_LIMIT));
    CHECK_THAT(o.message, Catch::Contains("name"));
    CHECK(o.unchanged);
}

TEST_CASE("limits: values outside their ranges are configuration errors naming the key", "[limits]") {
    for (const char* cfg : {R"({"limits":{"max_record_bytes":1}})", R"({"limits":{"max_depth":0}})",
                            R"({"limits":{"max_depth":100000}})", R"({"limits":{"max_accounts":0}})",
                            R"({"limits":{"max_revenue_records":-1}})", R"({"limits":{"max_id_bytes":0}})",
                            R"({"limits":{"max_text_bytes":"big"}})", R"({"limits":{"max_nesting":3}})"}) {
        INFO(cfg);
        crmtier_engine* e = nullptr;
        CHECK(crmtier_engine_create(cfg, std::string(cfg).size(), &e) == CRMTIER_E_CONFIG);
        CHECK(e == nullptr);
        CHECK_THAT(std::string(crmtier_last_error()), Catch::Contains("limits."));
    }
}

TEST_CASE("no unbounded growth: re-saving the same records does not grow the engine", "[limits][memory]") {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    Engine eng(kConfig);
    eng.load(seed_portfolio());
    const std::string rec = R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-03-15","amount":48000})";
    for (int i = 0; i < 2000; ++i) eng.save(rec);
    const auto base = static_cast<long long>(mallinfo2().uordblks);
    for (int i = 0; i < 20000; ++i) eng.save(rec);
    CHECK(static_cast<long long>(mallinfo2().uordblks) - base < 64 * 1024);
#else
    WARN("skipped: mallinfo2 does not see a sanitizer's allocator");
#endif
}

TEST_CASE("a portfolio capped by max_accounts does not grow without bound under create/delete churn",
          "[limits][memory][regression]") {
    // Every deleted account stays as a tombstone forever (for the change
    // feed), so a host that creates and deletes accounts grows the engine
    // by ~150 bytes per cycle although limits.max_accounts is 10 and the
    // portfolio is empty: 1,000,000 cycles = ~150 MB. Expected: tombstones
    // bounded (e.g. compacted behind a horizon, with changes(since < horizon)
    // answering "everything changed").
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    Engine eng(R"({"as_of":"2026-11-27","limits":{"max_accounts":10}})");
    auto cycle = [&](int i) {
        eng.save(R"({"type":"account","id":"T-)" + std::to_string(i) + "\"}");
        eng.save(R"({"type":"account","id":"T-)" + std::to_string(i) + R"(","deleted":true})");
    };
    for (int i = 0; i < 1000; ++i) cycle(i);
    const auto base = static_cast<long long>(mallinfo2().uordblks);
    for (int i = 1000; i < 21000; ++i) cycle(i);
    const long long grown = static_cast<long long>(mallinfo2().uordblks) - base;  // may be negative
    INFO("grew by " << grown << " bytes over 20,000 create/delete cycles");
    CHECK(grown < 256 * 1024);
#else
    WARN("skipped: mallinfo2 does not see a sanitizer's allocator");
#endif
}
