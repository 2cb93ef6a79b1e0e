// Part of abi.dll: a bulk load of JSON Lines large enough to be parsed in
// several parts at once (a part is the lines that start in 4 MB of the
// input, adapters/canonical.cpp) gives the same engine as the same records
// saved one by one in the file's order, whatever crosses a part's boundary
// (an account re-saved, an invoice moved to another account, then deleted);
// and an error is the first bad line's, named by its line in the whole
// input, with nothing loaded.
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/abi/plugin_api.hpp"

using namespace abitest;

namespace {

constexpr std::size_t kPart = 4u << 20;  // adapters/canonical.cpp: Lines::kPartBytes

// ~13 MB of lines (four parts): accounts with 1 kB names, so that few
// records fill a part, and their invoices. Records at the end of the input
// re-save, move and delete records of its beginning.
struct Input {
    std::vector<std::string> lines;
    std::string text() const {
        std::string t;
        for (const auto& l : lines) t += l + "\n";
        return t;
    }
    // The number (from 1) of the first line that starts at or after byte `at`.
    std::size_t line_at(std::size_t at) const {
        std::size_t pos = 0;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (pos >= at) return i + 1;
            pos += lines[i].size() + 1;
        }
        return lines.size() + 1;
    }
};

std::string account(int i, const std::string& owner, int employees) {
    return R"({"type":"account","id":"ACC-)" + std::to_string(i) + R"(","name":")" + std::string(1000, 'n') +
           R"(","owner":")" + owner + R"(","employees":)" + std::to_string(employees) +
           R"(,"territory":"EMEA/DE","industry":"I)" + std::to_string(i % 3) + R"(","last_contact":"2026-10-01"})";
}

std::string invoice(const std::string& id, int acc, const std::string& amount, const char* date = "2026-06-15") {
    return R"({"type":"revenue","id":")" + id + R"(","account_id":"ACC-)" + std::to_string(acc) +
           R"(","date":")" + date + R"(","amount":)" + amount + "}";
}

Input input() {
    Input in;
    for (int i = 0; i < 12000; ++i) {
        in.lines.push_back(account(i, "rep-" + std::to_string(i % 7), 10 + i % 90));
        in.lines.push_back(invoice("INV-" + std::to_string(i), i, std::to_string(100 + i % 900) + ".50"));
    }
    // In the last part: ACC-1 re-saved (a new owner and size), INV-2 moved
    // from ACC-2 to ACC-3 with a new amount, INV-4 deleted, ACC-5 deleted,
    // INV-6 saved twice (the later amount counts).
    in.lines.push_back(account(1, "rep-new", 500));
    in.lines.push_back(invoice("INV-2", 3, "7000"));
    in.lines.push_back(R"({"type":"revenue","id":"INV-4","deleted":true})");
    in.lines.push_back(R"({"type":"account","id":"ACC-5","deleted":true})");
    in.lines.push_back(invoice("INV-6", 6, "1"));
    in.lines.push_back(invoice("INV-6", 6, "2500.25"));
    return in;
}

// The text of a top-level number of a result, as the engine wrote it.
std::string field(const std::string& result, const char* key) {
    const std::string k = std::string("\"") + key + "\":";
    const std::size_t at = result.find(k);
    REQUIRE(at != std::string::npos);
    const std::size_t from = at + k.size();
    return result.substr(from, result.find_first_of(",}", from) - from);
}

// Whether `msg` says "line <n>" (and not a longer number).
bool names_line(const std::string& msg, std::size_t n) {
    const std::string l = "line " + std::to_string(n);
    const std::size_t at = msg.find(l);
    return at != std::string::npos && (at + l.size() == msg.size() || !std::isdigit(static_cast<unsigned char>(msg[at + l.size()])));
}

}  // namespace

TEST_CASE("a bulk load parsed in parts gives what saving each line in order gives", "[dll][bulk]") {
    const Input in = input();
    const std::string text = in.text();
    REQUIRE(text.size() > 3 * kPart);  // four parts, parsed on every core

    Engine bulk, saved;
    bulk.as_of("2026-11-30");
    saved.as_of("2026-11-30");
    REQUIRE(bulk.load(text) == in.lines.size());
    for (const auto& l : in.lines) saved.save(l);
    CHECK(bulk.all() == saved.all());
    CHECK(obj(bulk.stats()).at("accounts").to_number<std::int64_t>() == 11999);
    CHECK(obj(bulk.stats()).at("revenue_records").to_number<std::int64_t>() == 11999);

    // Worked out by hand from the lines above.
    CHECK(field(bulk.result("ACC-1"), "annual_revenue") == "101.5");  // INV-1: 100 + 1 % 900 + .50
    CHECK(field(bulk.result("ACC-2"), "annual_revenue") == "0.0");    // INV-2 moved away
    CHECK(field(bulk.result("ACC-3"), "annual_revenue") == "7103.5"); // INV-3 103.50 + INV-2 7000
    CHECK(field(bulk.result("ACC-4"), "annual_revenue") == "0.0");    // INV-4 deleted
    CHECK(field(bulk.result("ACC-6"), "annual_revenue") == "2500.25");
    CHECK_THROWS(bulk.result("ACC-5"));

    SECTION("into an engine that already has records") {
        Engine more, more_saved;
        more.as_of("2026-11-30");
        more_saved.as_of("2026-11-30");
        const std::string first = account(7, "rep-0", 20) + "\n" + invoice("INV-7", 7, "99") + "\n";
        more.load(first);
        more_saved.load(first);
        REQUIRE(more.load(text) == in.lines.size());
        for (const auto& l : in.lines) more_saved.save(l);
        CHECK(more.all() == more_saved.all());
        CHECK(more.all() == bulk.all());  // INV-7 was re-saved by the input
    }
}

TEST_CASE("a bad line in a bulk load parsed in parts is named by its line in the whole input", "[dll][bulk]") {
    Engine e;
    e.as_of("2026-11-30");
    const std::string first = account(1, "rep-0", 20) + "\n";
    e.load(first);
    const std::uint64_t seq = e.seq();
    const std::string before = e.stats();

    auto fails = [&](Input in, std::vector<std::size_t> bad_lines, int status) {
        for (std::size_t n : bad_lines)
            in.lines[n - 1] = invoice("INV-BAD-" + std::to_string(n), 1, "\"lots\"");
        const std::string text = in.text();
        std::size_t loaded = 99;
        const int got = api().engine_load(e, "canonical", text.data(), text.size(), &loaded);
        const std::string msg = api().last_error();
        INFO(msg);
        CHECK(got == status);
        CHECK(loaded == 0);
        CHECK(e.seq() == seq);
        CHECK(e.stats() == before);
        return msg;
    };
    const Input in = input();
    // The first line of the third part, the last line of the second, the
    // very last line, and the first line of all.
    for (std::size_t n : {in.line_at(2 * kPart), in.line_at(2 * kPart) - 1, in.lines.size(), std::size_t{1}}) {
        const std::string msg = fails(in, {n}, CRMTIER_E_RECORD);
        INFO(msg);
        CHECK(names_line(msg, n));
        CHECK(msg.find("INV-BAD-" + std::to_string(n)) != std::string::npos);
        CHECK(msg.find("amount") != std::string::npos);
    }
    // Of two bad lines in different parts, the first is reported.
    const std::size_t a = in.line_at(kPart) + 3, b = in.line_at(3 * kPart) + 1;
    const std::string msg = fails(in, {b, a}, CRMTIER_E_RECORD);
    INFO(msg);
    CHECK(names_line(msg, a));
    CHECK(msg.find("INV-BAD-" + std::to_string(b)) == std::string::npos);
    // Malformed JSON in the last part.
    Input broken = in;
    const std::size_t m = in.line_at(3 * kPart) + 2;
    broken.lines[m - 1] = R"({"type":"account","id":"ACC-X",)";
    const std::string text = broken.text();
    CHECK(api().engine_load(e, "canonical", text.data(), text.size(), nullptr) == CRMTIER_E_PARSE);
    CHECK(names_line(api().last_error(), m));
    CHECK(e.seq() == seq);
}
