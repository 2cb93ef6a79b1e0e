// Damaged snapshot files: truncated at every kind of place, bit-flipped,
// from a newer format, not snapshots at all. Each is refused with
// CRMTIER_E_SNAPSHOT (or CRMTIER_E_IO for a file that cannot be read) and a
// message that says what is wrong, and the engine stays exactly as it was.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <unistd.h>

#include <boost/crc.hpp>

#include "tests/hostile/engine_digest.hpp"

using namespace crmtier_test;

namespace {

std::string temp_path(const char* name) {
    return "/tmp/crmtier-hostile-" + std::to_string(::getpid()) + "-" + name;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_all(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A snapshot of the seed portfolio, as bytes.
std::string good_snapshot() {
    Engine e(kConfig);
    e.load(seed_portfolio());
    const std::string path = temp_path("good");
    check(crmtier_engine_snapshot_save(e.get(), path.c_str()), "snapshot_save");
    std::string bytes = read_all(path);
    std::remove(path.c_str());
    return bytes;
}

struct Refusal {
    int status;
    std::string message;
    bool unchanged;
};

// Loads `bytes` as a snapshot into an engine holding a different portfolio.
Refusal try_load(const std::string& bytes) {
    Engine e(R"({"as_of":"2026-01-15"})");
    e.load(R"({"type":"account","id":"OTHER-1","employees":5})" "\n"
           R"({"type":"revenue","id":"OTHER-I","account_id":"OTHER-1","date":"2025-12-01","amount":99})");
    const std::string before = digest(e.get());
    const std::string path = temp_path("bad");
    write_all(path, bytes);
    const int st = crmtier_engine_snapshot_load(e.get(), path.c_str());
    const std::string message = crmtier_last_error();
    std::remove(path.c_str());
    return {st, message, digest(e.get()) == before};
}

void put32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

TEST_CASE("snapshot: a good file loads and gives back the same results", "[snapshot]") {
    Engine a(kConfig);
    a.load(seed_portfolio());
    const std::string path = temp_path("roundtrip");
    REQUIRE(crmtier_engine_snapshot_save(a.get(), path.c_str()) == CRMTIER_OK);
    Engine b(R"({"as_of":"2020-01-01"})");
    REQUIRE(crmtier_engine_snapshot_load(b.get(), path.c_str()) == CRMTIER_OK);
    std::remove(path.c_str());
    // The results and figures agree (the change feeds differ by design).
    auto results = [](crmtier_engine* e) {
        const std::string d = digest(e);
        return d.substr(d.find("--results--"), d.find("--changes--") - d.find("--results--"));
    };
    CHECK(results(a.get()) == results(b.get()));
}

TEST_CASE("snapshot: truncated files are refused and change nothing", "[snapshot][hostile]") {
    const std::string good = good_snapshot();
    REQUIRE(good.size() > 100);
    std::vector<std::size_t> cuts = {0, 1, 7, 8, 12, 20, 27, 28, 29, good.size() / 2, good.size() - 2, good.size() - 1};
    std::mt19937 rng(7);
    for (int i = 0; i < 20; ++i) cuts.push_back(rng() % good.size());
    for (const std::size_t cut : cuts) {
        INFO("cut at " << cut << " of " << good.size());
        const auto r = try_load(good.substr(0, cut));
        CHECK(r.status == CRMTIER_E_SNAPSHOT);
        CHECK_THAT(r.message, Catch::Contains("snapshot"));
        if (cut >= 28) CHECK_THAT(r.message, Catch::Contains("truncated"));
        CHECK(r.unchanged);
    }
    // Padded: bytes after the end.
    const auto r = try_load(good + "x");
    CHECK(r.status == CRMTIER_E_SNAPSHOT);
    CHECK(r.unchanged);
}

TEST_CASE("snapshot: bit-flipped files are refused and change nothing", "[snapshot][hostile]") {
    const std::string good = good_snapshot();
    std::mt19937 rng(11);
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
        std::string bad = good;
        const std::size_t at = rng() % bad.size();
        const int bit = static_cast<int>(rng() % 8);
        bad[at] = static_cast<char>(bad[at] ^ (1 << bit));
        INFO("bit " << bit << " of byte " << at);
        const auto r = try_load(bad);
        CHECK(r.status == CRMTIER_E_SNAPSHOT);
        if (at >= 28) CHECK_THAT(r.message, Catch::Contains("checksum"));
        CHECK(r.unchanged);
        refused += r.status == CRMTIER_E_SNAPSHOT;
    }
    CHECK(refused == 200);
}

TEST_CASE("snapshot: a newer format version is refused, saying so", "[snapshot][hostile]") {
    std::string bad = good_snapshot();
    put32(bad, 8, 2);  // format version 2, checksum still right (it covers the payload)
    auto r = try_load(bad);
    CHECK(r.status == CRMTIER_E_SNAPSHOT);
    CHECK_THAT(r.message, Catch::Contains("newer"));
    CHECK(r.unchanged);
    put32(bad, 8, 0xFFFFFFFFu);
    r = try_load(bad);
    CHECK(r.status == CRMTIER_E_SNAPSHOT);
    CHECK_THAT(r.message, Catch::Contains("newer"));
    CHECK(r.unchanged);
}

TEST_CASE("snapshot: files that are not snapshots, and paths that are not files", "[snapshot][hostile]") {
    const std::string good = good_snapshot();
    for (const std::string& bytes : {std::string(), std::string("CRMTSNAP"), std::string(64, '\0'),
                                     std::string(R"({"type":"account","id":"ACC-1"})"), std::string("crmtsnap") + good.substr(8)}) {
        INFO("file of " << bytes.size() << " bytes");
        const auto r = try_load(bytes);
        CHECK(r.status == CRMTIER_E_SNAPSHOT);
        CHECK_THAT(r.message, Catch::Contains("snapshot"));
        CHECK(r.unchanged);
    }
    // A payload that checks out (right length and CRC) but is not what a
    // snapshot holds: the content parser refuses it.
    {
        std::string body = "{\"as_of\":\"2026-11-27\",\"seq\":1,\"accounts\":1,\"revenues\":0}\n[\"a\"]\n";
        std::string bad = good.substr(0, 28) + body;
        for (int i = 0; i < 8; ++i) bad[16 + static_cast<std::size_t>(i)] = static_cast<char>((body.size() >> (8 * i)) & 0xff);
        boost::crc_32_type crc;
        crc.process_bytes(body.data(), body.size());
        put32(bad, 24, crc.checksum());
        const auto r = try_load(bad);
        CHECK(r.status == CRMTIER_E_SNAPSHOT);
        CHECK(r.unchanged);
    }
    Engine e(kConfig);
    e.load(seed_portfolio());
    const std::string before = digest(e.get());
    CHECK(crmtier_engine_snapshot_load(e.get(), "/nonexistent/dir/snap") == CRMTIER_E_IO);
    CHECK_THAT(std::string(crmtier_last_error()), Catch::Contains("/nonexistent/dir/snap"));
    CHECK(crmtier_engine_snapshot_load(e.get(), "/tmp") != CRMTIER_OK);
    CHECK(crmtier_engine_snapshot_load(e.get(), "") != CRMTIER_OK);
    CHECK(crmtier_engine_snapshot_load(e.get(), nullptr) == CRMTIER_E_ARGUMENT);
    CHECK(crmtier_engine_snapshot_load(nullptr, "/tmp/x") == CRMTIER_E_ARGUMENT);
    CHECK(crmtier_engine_snapshot_save(e.get(), nullptr) == CRMTIER_E_ARGUMENT);
    CHECK(crmtier_engine_snapshot_save(nullptr, "/tmp/x") == CRMTIER_E_ARGUMENT);
    CHECK(crmtier_engine_snapshot_save(e.get(), "/nonexistent/dir/snap") == CRMTIER_E_IO);
    CHECK(digest(e.get()) == before);
}

#include <sys/resource.h>
#include <sys/wait.h>

TEST_CASE("snapshot: a header that claims millions of records does not make the library reserve memory for them",
          "[snapshot][regression]") {
    // A 100-byte file, checksum right, whose first line says 10,000,000
    // accounts and 100,000,000 revenue records (the default limits) and that
    // holds none. It must be refused as a snapshot whose counts do not
    // match, not answered by reserving ~20 GB (E_NOMEM, or the OOM killer).
    // Run in a child limited to 1 GiB of address space. (Finding 10: the
    // loader reserved for the claimed counts first and answered E_NOMEM.)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    WARN("skipped under sanitizers: RLIMIT_AS and shadow memory do not mix");
#else
    const std::string good = good_snapshot();
    const std::string body = "{\"as_of\":\"2026-11-27\",\"seq\":1,\"accounts\":10000000,\"revenues\":100000000}\n";
    std::string bad = good.substr(0, 28) + body;
    for (int i = 0; i < 8; ++i) bad[16 + static_cast<std::size_t>(i)] = static_cast<char>((body.size() >> (8 * i)) & 0xff);
    boost::crc_32_type crc;
    crc.process_bytes(body.data(), body.size());
    put32(bad, 24, crc.checksum());
    const std::string path = temp_path("huge-header");
    write_all(path, bad);
    Engine e(kConfig);  // made before the limit, in the parent
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        rlimit lim{1u << 30, 1u << 30};
        ::setrlimit(RLIMIT_AS, &lim);
        const int st = crmtier_engine_snapshot_load(e.get(), path.c_str());
        ::_exit(st);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::remove(path.c_str());
    REQUIRE(WIFEXITED(status));
    INFO("status " << WEXITSTATUS(status) << " (8 = out of memory: the library reserved for the claimed counts)");
    CHECK(WEXITSTATUS(status) == CRMTIER_E_SNAPSHOT);
#endif
}
