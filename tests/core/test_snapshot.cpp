#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "crmtier.h"
#include "base/errors.hpp"
#include "tests/core/fixture.hpp"
#include "plugin/snapshot.hpp"

using namespace crmtier;
using namespace crmtier::test;

namespace {

std::string all_results(crmtier_engine* e) {
    crmtier_cursor* c = nullptr;
    REQUIRE(crmtier_cursor_open(e, "canonical", &c) == CRMTIER_OK);
    std::string out;
    for (;;) {
        const char* r = nullptr;
        size_t n = 0;
        REQUIRE(crmtier_cursor_next(c, &r, &n) == CRMTIER_OK);
        if (!r) break;
        out.append(r, n).push_back('\n');
    }
    crmtier_cursor_destroy(c);
    return out;
}

crmtier_engine* engine_with(const std::vector<std::string>& lines) {
    crmtier_engine* e = nullptr;
    const std::string config = R"({"as_of":"2026-11-30"})";
    REQUIRE(crmtier_engine_create(config.data(), config.size(), &e) == CRMTIER_OK);
    for (const auto& l : lines) REQUIRE(crmtier_engine_save(e, "canonical", l.data(), l.size(), nullptr, nullptr) == CRMTIER_OK);
    return e;
}

std::string temp_path(const char* name) {
    return std::string("/tmp/crmtier-test-") + std::to_string(::getpid()) + "-" + name;
}

}  // namespace

TEST_CASE("a snapshot restores every record, the as-of date and exact amounts", "[snapshot]") {
    const std::vector<std::string> lines = {
        manufacturer("X1", R"("name":"Ünïcode \"quoted\"","owner":"rep-1","last_contact":"2026-09-09")"),
        manufacturer("X2"), manufacturer("X3"), account("SOLO"),
        invoice("I1", "X1", "2026-06-01", 90000.1234), invoice("I2", "X2", "2025-02-01", 95000),
        invoice("I3", "X3", "2026-06-01", -12.5), invoice("I4", "GHOST", "2026-06-01", 7)};
    crmtier_engine* a = engine_with(lines);
    const std::string path = temp_path("snap");
    REQUIRE(crmtier_engine_snapshot_save(a, path.c_str()) == CRMTIER_OK);
    crmtier_engine* b = nullptr;
    REQUIRE(crmtier_engine_create("{}", 2, &b) == CRMTIER_OK);  // as-of today, empty
    REQUIRE(crmtier_engine_snapshot_load(b, path.c_str()) == CRMTIER_OK);
    CHECK(all_results(b) == all_results(a));
    // The orphan invoice of GHOST came back too: GHOST's account record brings it in.
    const std::string ghost = account("GHOST");
    char* r = nullptr;
    size_t n = 0;
    REQUIRE(crmtier_engine_save(b, "canonical", ghost.data(), ghost.size(), &r, &n) == CRMTIER_OK);
    CHECK(std::string(r, n).find("\"annual_revenue\":7.0") != std::string::npos);
    crmtier_free(r);
    crmtier_engine_destroy(a);
    crmtier_engine_destroy(b);
    std::remove(path.c_str());
}

TEST_CASE("after a restore the sequence moves on and the change feed reports everything", "[snapshot][changes]") {
    crmtier_engine* a = engine_with({account("KEEP"), account("A2")});
    crmtier_engine* b = engine_with({account("KEEP"), account("OLD"), account("B3"), account("B4"), account("B5")});
    const std::string path = temp_path("seq");
    REQUIRE(crmtier_engine_snapshot_save(a, path.c_str()) == CRMTIER_OK);
    uint64_t before = 0, after = 0;
    crmtier_engine_sequence(b, &before);  // 5 saves
    REQUIRE(crmtier_engine_snapshot_load(b, path.c_str()) == CRMTIER_OK);
    crmtier_engine_sequence(b, &after);
    CHECK(after == before + 1);
    char* c = nullptr;
    size_t n = 0;
    REQUIRE(crmtier_engine_changes(b, before, &c, &n) == CRMTIER_OK);
    CHECK(std::string(c, n) ==
          R"({"since":5,"seq":6,"changed":["A2","KEEP"],"deleted":["B3","B4","B5","OLD"],"resync":false})");
    crmtier_free(c);
    crmtier_engine_destroy(a);
    crmtier_engine_destroy(b);
    std::remove(path.c_str());
}

TEST_CASE("damaged snapshots are refused and the engine stays as it was", "[snapshot]") {
    crmtier_engine* a = engine_with({account("A"), invoice("I", "A", "2026-06-01", 10)});
    const std::string path = temp_path("bad");
    REQUIRE(crmtier_engine_snapshot_save(a, path.c_str()) == CRMTIER_OK);
    const std::string good = snapshot::read_file(path);
    crmtier_engine* b = engine_with({account("B")});
    const std::string before = all_results(b);
    auto refused = [&](const std::string& bytes, const char* says) {
        { std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes; }
        CHECK(crmtier_engine_snapshot_load(b, path.c_str()) == CRMTIER_E_SNAPSHOT);
        CHECK_THAT(crmtier_last_error(), Catch::Contains(says));
        CHECK(all_results(b) == before);
    };
    refused(good.substr(0, good.size() - 3), "truncated");
    std::string flipped = good;
    flipped[40] ^= 0x04;
    refused(flipped, "checksum");
    std::string newer = good;
    newer[8] = 2;
    refused(newer, "newer");
    refused("hello", "not a crmtier snapshot");
    CHECK(crmtier_engine_snapshot_load(b, "/nonexistent/dir/x") == CRMTIER_E_IO);
    CHECK_THAT(crmtier_last_error(), Catch::Contains("/nonexistent/dir/x"));
    CHECK(crmtier_engine_snapshot_save(b, "/nonexistent/dir/x") == CRMTIER_E_IO);
    CHECK(crmtier_engine_snapshot_save(b, nullptr) == CRMTIER_E_ARGUMENT);
    crmtier_engine_destroy(a);
    crmtier_engine_destroy(b);
    std::remove(path.c_str());
}
