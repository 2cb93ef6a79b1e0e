#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "base/json_writer.hpp"
#include "base/numbers.hpp"

using namespace crmtier;

namespace {

// The rule write_number() promises, worked out the plain way: std::to_chars'
// shortest round-trip form, and ".0" when it has no point and no exponent.
std::string reference(double v) {
    char buf[64];
    std::string s(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    if (s.find_first_of(".eE") == std::string::npos) s += ".0";
    return s;
}

std::string written(double v) {
    char buf[kNumberChars];
    return std::string(buf, write_number(buf, v));
}

}  // namespace

TEST_CASE("numbers: the fast path for multiples of 1/10^4 writes what std::to_chars does", "[json]") {
    // Every k / 10^4 for |k| up to 2 * 10^6 (ratios, floors, percentiles),
    // and k at every power of ten up to 10^15 with neighbours (the switches
    // between fixed and scientific notation, and the fast path's edge).
    for (std::int64_t k = -2'000'000; k <= 2'000'000; ++k) {
        const double v = static_cast<double>(k) / 1e4;
        REQUIRE(written(v) == reference(v));
    }
    for (std::int64_t p = 1; p <= 1'000'000'000'000'000; p *= 10)
        for (std::int64_t d : {-11, -7, -3, -1, 0, 1, 3, 9}) {
            for (std::int64_t k : {p + d, p * 7 + d, -(p + d), p * 5 / 4}) {
                const double v = static_cast<double>(k) / 1e4;
                REQUIRE(written(v) == reference(v));
            }
        }
    for (double v : {0.0, -0.0, 1e-9, 1e-5, 1e-4, 0.00015, 95.0, 0.8, 1e10, 99999999999.9999, 1e11, 1e15, 1e22,
                     0.1 + 0.2, 1.0 / 3, -2.2250738585072014e-308, 1.7976931348623157e308})
        CHECK(written(v) == reference(v));
    // Doubles spread over the whole range, bit pattern by bit pattern.
    std::uint64_t x = 5;
    for (int i = 0; i < 200000; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double v;
        std::memcpy(&v, &x, sizeof v);
        if (!std::isfinite(v)) continue;
        REQUIRE(written(v) == reference(v));
    }
}

TEST_CASE("money is written as exact decimals, without trailing zeros", "[json]") {
    CHECK(format_money(0) == "0.0");
    CHECK(format_money(12345) == "1.2345");
    CHECK(format_money(10000) == "1.0");
    CHECK(format_money(-5000) == "-0.5");
    CHECK(format_money(static_cast<Money>(1) << 80) == "120892581961462917470.6176");  // 2^80 / 10^4: past 64 bits
}
