// abi.determinism: the same input and as-of date give byte-identical output,
// through the library (two engines) and through the reference host (two runs).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <vector>
#include <sstream>
#include <string>

#include "tests/abi/plugin_api.hpp"

using namespace abitest;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every result of the sample, concatenated one a line, as of 2026-11-30.
std::string score_sample(const std::string& data) {
    Engine e;
    e.as_of("2026-11-30");
    CHECK(e.load(data) > 0);
    std::string out;
    for (const auto& r : e.all()) {
        out += r;
        out += '\n';
    }
    out += e.peer_groups();
    out += '\n';
    return out;
}

}  // namespace

TEST_CASE("two engines score the sample byte for byte alike", "[determinism]") {
    const std::string data = slurp(CRMTIER_TEST_SAMPLE);
    const std::string first = score_sample(data);
    const std::string second = score_sample(data);
    REQUIRE(first.size() > 100000);  // about 2,000 accounts
    CHECK(first == second);          // not printed on failure: too long
    CHECK(std::hash<std::string>{}(first) == std::hash<std::string>{}(second));

    // Bulk-loaded or saved one record at a time: the same results.
    Engine one_by_one;
    one_by_one.as_of("2026-11-30");
    std::istringstream lines(data);
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty()) one_by_one.save(line);
    std::string saved;
    for (const auto& r : one_by_one.all()) {
        saved += r;
        saved += '\n';
    }
    CHECK(first.compare(0, saved.size(), saved) == 0);
}

TEST_CASE("the reference host writes identical files twice", "[determinism]") {
    const std::string dir = CRMTIER_TEST_TMPDIR;
    const std::string out1 = dir + "/determinism-1.jsonl", out2 = dir + "/determinism-2.jsonl";
    std::remove(out1.c_str());
    std::remove(out2.c_str());
    for (const std::string& out : {out1, out2}) {
        const std::string cmd = std::string("\"") + CRMTIER_TEST_HOST + "\" score -q --as-of 2026-11-30 -o \"" + out +
                                "\" \"" + CRMTIER_TEST_SAMPLE + "\"";
        INFO(cmd);
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
    const std::string a = slurp(out1), b = slurp(out2);
    REQUIRE(a.size() > 100000);
    CHECK(a == b);

    // And the host's file is what the library gives through the C functions.
    Engine e;
    e.as_of("2026-11-30");
    e.load(slurp(CRMTIER_TEST_SAMPLE));
    std::string lib;
    for (const auto& r : e.all()) {
        lib += r;
        lib += '\n';
    }
    CHECK(a == lib);
}

TEST_CASE("the sample's lines in another order give the same results", "[determinism]") {
    // Records are upserts by id. The sample re-saves some (the same id again
    // at the end, sometimes corrected: the last wins), so keep each id's last
    // record; then their order is not an input, and results and peer groups
    // must not depend on it.
    const std::string data = slurp(CRMTIER_TEST_SAMPLE);
    std::map<std::string, std::string> last;  // type + id -> the record that wins
    std::istringstream in(data);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const json::object o = obj(line);
        last[str(o, "type") + "/" + str(o, "id")] = line;
    }
    REQUIRE(last.size() > 2000);
    std::vector<std::string> lines;
    for (const auto& kv : last) lines.push_back(kv.second);
    std::mt19937 rng(7);
    std::shuffle(lines.begin(), lines.end(), rng);
    std::string shuffled;
    for (const auto& l : lines) shuffled += l + "\n";
    auto results_of = [](const std::string& input, std::string& groups) {
        Engine e;
        e.as_of("2026-11-30");
        e.load(input);
        std::string out;
        for (const auto& r : e.all()) out += r + "\n";
        groups = e.peer_groups();
        return out;
    };
    std::string groups_sorted, groups_shuffled;
    const std::string a = results_of(data, groups_sorted), b = results_of(shuffled, groups_shuffled);
    CHECK(a == b);
    if (a != b) {
        std::ofstream(std::string(CRMTIER_TEST_TMPDIR) + "/order-sorted.jsonl") << a;
        std::ofstream(std::string(CRMTIER_TEST_TMPDIR) + "/order-shuffled.jsonl") << b;
    }
    INFO("sorted:   " << groups_sorted);
    INFO("shuffled: " << groups_shuffled);
    CHECK(groups_sorted == groups_shuffled);
}
