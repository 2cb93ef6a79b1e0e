// Every fixture under fixtures/<adapter>/: <case>.<ext> is one on-save input
// for that adapter, <case>.expected.json either the canonical records it must
// give (a JSON array) or the error it must raise ({"error":"record"|"parse",
// "message":"..."}). A new host's fixtures are picked up without code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "base/errors.hpp"
#include "crmtier.h"
#include "tests/adapters/test_util.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using Registry = crmtier::test::Adapters;

namespace {

struct Case {
    std::string adapter, name, input, expected;
};

std::vector<Case> cases() {
    std::vector<Case> out;
    for (const auto& dir : fs::directory_iterator(CRMTIER_ADAPTER_FIXTURES)) {
        if (!dir.is_directory() || dir.path().filename() == "portfolio") continue;
        for (const auto& f : fs::directory_iterator(dir.path())) {
            std::string file = f.path().filename().string();
            if (file.size() > 14 && file.substr(file.size() - 14) == ".expected.json") continue;
            std::string stem = file.substr(0, file.find('.'));
            fs::path expected = dir.path() / (stem + ".expected.json");
            out.push_back({dir.path().filename().string(), stem, f.path().string(), expected.string()});
        }
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) {
        return a.adapter + "/" + a.name < b.adapter + "/" + b.name;
    });
    return out;
}

}  // namespace

TEST_CASE("every host fixture translates to its expected canonical records or error", "[fixtures]") {
    Registry reg(nullptr);
    auto all = cases();
    REQUIRE(all.size() >= 60);
    for (const Case& c : all) {
        INFO(c.adapter << "/" << c.name);
        REQUIRE(fs::exists(c.expected));
        REQUIRE(reg.has(c.adapter));
        json::value expected = json::parse(crmtier::test::read_file(c.expected));
        std::string input = crmtier::test::read_file(c.input);
        if (expected.is_array()) {
            json::array got;
            CHECK_NOTHROW(got = crmtier::test::translate(reg, c.adapter, input));
            CHECK(json::serialize(got) == json::serialize(expected));
            // The same records through the bulk path (JSON Lines: the record on one line).
            std::vector<crmtier::adapters::Translated> bulk;
            std::string one_line = c.adapter == "csv" ? input : json::serialize(json::parse(input));
            CHECK_NOTHROW(reg.translate_bulk(c.adapter, one_line, bulk));
            CHECK(json::serialize(crmtier::test::records(bulk)) == json::serialize(expected));
            if (c.adapter != "csv") {
                // The fixture as written (pretty-printed or not) is a whole document for bulk
                // input too, and so are two of them one after another.
                std::vector<crmtier::adapters::Translated> whole;
                CHECK_NOTHROW(reg.translate_bulk(c.adapter, input + "\n" + input, whole));
                json::array twice = expected.as_array();
                for (const auto& r : expected.as_array()) twice.push_back(r);
                CHECK(json::serialize(crmtier::test::records(whole)) == json::serialize(twice));
            }
        } else {
            const json::object& e = expected.as_object();
            int status = e.at("error") == "parse" ? CRMTIER_E_PARSE : CRMTIER_E_RECORD;
            try {
                crmtier::test::translate(reg, c.adapter, input);
                FAIL("no error raised");
            } catch (const crmtier::Error& err) {
                CHECK(err.status() == status);
                if (e.contains("message")) CHECK(std::string(err.what()) == std::string(e.at("message").as_string()));
            }
        }
    }
}
