// The base layer (base/): the calendar, numbers written as text, quoting,
// line iteration. The conversions hosts need are checked against the forms
// they send; the calendar against an independent one.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "base/dates.hpp"
#include "base/json_parse.hpp"
#include "base/json_writer.hpp"
#include "base/lines.hpp"
#include "base/numbers.hpp"
#include "base/quote.hpp"
#include "base/utf8.hpp"

namespace json = boost::json;

namespace {

// The conversions under the names the adapters' tests gave them: a host's
// date or date-time, or a moment in epoch milliseconds, as "YYYY-MM-DD".
std::optional<std::string> iso_date(std::string_view s) {
    const auto d = crmtier::parse_date_time(s);
    return d ? std::optional<std::string>(crmtier::format_date(*d)) : std::nullopt;
}
std::optional<std::string> date_from_epoch_ms(std::int64_t ms) {
    const auto d = crmtier::day_from_epoch_ms(ms);
    return d ? std::optional<std::string>(crmtier::format_date(*d)) : std::nullopt;
}
std::optional<double> decimal(std::string_view s) { return crmtier::parse_decimal(s); }
std::optional<std::int64_t> whole(std::string_view s) { return crmtier::parse_whole(s); }
std::string to_json(const json::value& v) { return crmtier::to_json(v, 64); }

// Howard Hinnant's civil_from_days (public domain): the proleptic Gregorian
// calendar by plain arithmetic, independent of Boost.Date_Time.
std::string civil_from_days(std::int64_t z) {  // days since 1970-01-01
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y), m, d);
    return buf;
}

}  // namespace

TEST_CASE("value conversions: dates, date-times and numbers", "[values]") {
    CHECK(iso_date("2026-03-15") == std::optional<std::string>("2026-03-15"));
    CHECK(iso_date("2026-03-15T10:31:12.000Z") == std::optional<std::string>("2026-03-15"));
    CHECK(iso_date("2026-03-15T23:30:00-05:00") == std::optional<std::string>("2026-03-16"));
    CHECK(iso_date("2026-03-15T01:30:00+02:00") == std::optional<std::string>("2026-03-14"));
    CHECK(iso_date("2026-11-20T16:02:11.000+0000") == std::optional<std::string>("2026-11-20"));
    CHECK(iso_date("2026-11-20 16:02:11") == std::optional<std::string>("2026-11-20"));
    CHECK(iso_date("2024-02-29") == std::optional<std::string>("2024-02-29"));
    CHECK_FALSE(iso_date("2026-02-29"));
    CHECK_FALSE(iso_date("2026-13-01"));
    CHECK_FALSE(iso_date("15.03.2026"));
    CHECK_FALSE(iso_date("2026-03-15T25:00"));
    CHECK_FALSE(iso_date("2026-03-15Tgarbage"));
    CHECK(date_from_epoch_ms(0) == std::optional<std::string>("1970-01-01"));
    CHECK(date_from_epoch_ms(-1) == std::optional<std::string>("1969-12-31"));
    CHECK(date_from_epoch_ms(1773570672000) == std::optional<std::string>("2026-03-15"));
    CHECK(decimal("1250.00") == std::optional<double>(1250.0));
    CHECK(decimal(" -12.5 ") == std::optional<double>(-12.5));
    CHECK(decimal("+3") == std::optional<double>(3.0));
    CHECK_FALSE(decimal("1,250.00"));
    CHECK_FALSE(decimal("inf"));
    CHECK_FALSE(decimal("nan"));
    CHECK_FALSE(decimal("1e999"));
    CHECK_FALSE(decimal(""));
    CHECK_FALSE(decimal("--1"));
    CHECK(whole("320") == std::optional<std::int64_t>(320));
    CHECK(whole("320.0") == std::optional<std::int64_t>(320));
    CHECK_FALSE(whole("320.5"));
    CHECK(to_json(json::parse(R"({"a":[1250.0,0.1,-3,true,null,"x\"y"]})")) == R"({"a":[1250.0,0.1,-3,true,null,"x\"y"]})");
}

TEST_CASE("the calendar agrees with plain arithmetic on every day of 1400..9999", "[values][dates]") {
    // Day numbers count days: one day of epoch milliseconds apart is one day
    // apart, and the date written is the one Hinnant's algorithm gives.
    const auto start = crmtier::day_from_epoch_ms(-17'987'443'200'000);  // 1400-01-01T00:00:00Z
    REQUIRE(start);
    CHECK(crmtier::format_date(*start) == "1400-01-01");
    CHECK_FALSE(crmtier::day_from_epoch_ms(-17'987'443'200'001));  // 1399-12-31T23:59:59.999Z
    CHECK(date_from_epoch_ms(253'402'300'799'999) == std::optional<std::string>("9999-12-31"));
    CHECK_FALSE(crmtier::day_from_epoch_ms(253'402'300'800'000));  // 10000-01-01
    std::int64_t days = -208'188;  // 1400-01-01 in days since 1970-01-01
    for (crmtier::Day d = *start; days <= 2'932'896; ++d, ++days) {
        const std::string text = crmtier::format_date(d);
        REQUIRE(text == civil_from_days(days));
        REQUIRE(crmtier::day_from_epoch_ms(days * 86'400'000) == d);
        REQUIRE(crmtier::parse_date_time(text) == d);
    }
    // The engine's own range, with its reasons.
    crmtier::Day d;
    std::string why;
    CHECK(crmtier::parse_date("1900-01-01", d, why));
    CHECK(crmtier::parse_date("2999-12-31", d, why));
    CHECK_FALSE(crmtier::parse_date("1899-12-31", d, why));
    CHECK(why == "year 1899 is outside 1900..2999");
    CHECK_FALSE(crmtier::parse_date("2100-02-29", d, why));
    CHECK(why == "2100-02-29 does not exist (that month has 28 days)");
    CHECK(crmtier::parse_date("2000-02-29", d, why));
}

TEST_CASE("numbers in messages are written plainly", "[values]") {
    CHECK(crmtier::plain_number(1e-9) == "0.000000001");
    CHECK(crmtier::plain_number(100) == "100");
    CHECK(crmtier::plain_number(1e9) == "1000000000");
    CHECK(crmtier::plain_number(0.8) == "0.8");
    CHECK(crmtier::plain_number(-2.5) == "-2.5");
}

TEST_CASE("quoted(): JSON-quoted, cut at a character boundary, always UTF-8", "[values]") {
    CHECK(crmtier::quoted("ACC-1") == "\"ACC-1\"");
    CHECK(crmtier::quoted("a\"b\nc") == "\"a\\\"b\\nc\"");
    CHECK(crmtier::quoted("A\xFF" "B") == "\"A\xEF\xBF\xBD" "B\"");
    CHECK(crmtier::quoted(std::string(100, 'x'), 4) == "\"xxxx...\"");
    // "é" (2 bytes) across the cut: it goes whole, not half.
    CHECK(crmtier::quoted("xxx\xC3\xA9", 4) == "\"xxx...\"");
    for (std::size_t max : {1, 2, 3, 4, 5, 6, 7})
        CHECK(crmtier::invalid_utf8_at(crmtier::quoted("\xF0\x9F\x98\x80\xC3\xA9", max)) == std::string_view::npos);
}

TEST_CASE("the UTF-8 decoder: lengths and code points by hand, broken sequences refused", "[values][utf8]") {
    using crmtier::utf8_code_point;
    using crmtier::utf8_sequence_at;
    struct Case {
        std::string_view text;
        std::size_t len;
        char32_t cp;
    };
    // A, é (C3 A9), € (E2 82 AC), 😀 (F0 9F 98 80), the last code point U+10FFFF.
    for (const Case c : {Case{"A", 1, 0x41}, Case{"\xC3\xA9", 2, 0xE9}, Case{"\xE2\x82\xAC", 3, 0x20AC},
                         Case{"\xF0\x9F\x98\x80", 4, 0x1F600}, Case{"\xF4\x8F\xBF\xBF", 4, 0x10FFFF}}) {
        INFO(static_cast<std::uint32_t>(c.cp));
        REQUIRE(utf8_sequence_at(c.text, 0) == c.len);
        CHECK(static_cast<std::uint32_t>(utf8_code_point(c.text, 0, c.len)) == static_cast<std::uint32_t>(c.cp));
    }
    // Refused: an overlong "/" (C0 AF), a surrogate (ED A0 80), above U+10FFFF
    // (F4 90 80 80), a sequence cut short, a stray continuation byte.
    for (std::string_view bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
        CHECK(utf8_sequence_at(bad, 0) == 0);
        CHECK(crmtier::invalid_utf8_at(bad) == 0);
    }
    // The second character of "é€": at byte 2.
    CHECK(utf8_sequence_at("\xC3\xA9\xE2\x82\xAC", 2) == 3);
    CHECK(crmtier::invalid_utf8_at("ok \xC3\xA9 \xE2\x82") == 6);
}

TEST_CASE("bulk text line by line: numbers, CRLF, a byte-order mark", "[values][lines]") {
    std::vector<std::pair<std::string, std::size_t>> seen;
    const auto last = crmtier::for_each_line(crmtier::strip_bom("\xEF\xBB\xBF" "a\r\n\n  \nb"), 10,
                                             [&](std::string_view line, std::size_t n) {
                                                 seen.emplace_back(std::string(line), n);
                                             });
    CHECK(last == 14);
    using Seen = std::vector<std::pair<std::string, std::size_t>>;
    CHECK(seen == Seen{{"a", 11}, {"", 12}, {"  ", 13}, {"b", 14}});
    CHECK(crmtier::blank_line("  \t"));
    CHECK_FALSE(crmtier::blank_line(" x"));
    CHECK(crmtier::line_of("a\nb\nc", 4) == 3);
    CHECK(crmtier::strip_bom("\xEF\xBB") == "\xEF\xBB");
}

TEST_CASE("parse_json() names the first key an object repeats, in the same pass", "[values][json]") {
    const auto dup = [](const std::string& text) {
        std::string d = "unset";
        (void)crmtier::parse_json(text, 64, d);
        return d;
    };
    CHECK(dup(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})") == "");  // the same key in other objects
    CHECK(dup(R"({"amount":10,"amount":1000})") == "amount");
    CHECK(dup(R"({"i\u0064":"A","id":"B"})") == "id");                 // one key, two spellings
    // The first repeat in document order: "x" repeats before the inner "y" does.
    CHECK(dup(R"({"x":1,"x":{"y":1,"y":2}})") == "x");
    CHECK(dup(R"({"x":{"y":1,"y":2},"x":1})") == "y");
    // An object of many keys (indexed past the first 16): the repeat of the
    // first key, and of the last, are both found; 5,000 distinct ones are not.
    std::string many = "{";
    for (int i = 0; i < 5000; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
    CHECK(dup(many + "}") == "");
    CHECK(dup(many + ",\"k0\":1}") == "k0");
    CHECK(dup(many + ",\"k4999\":1}") == "k4999");
    // Not JSON is said first, whatever repeats before the break.
    CHECK_THROWS_WITH(dup(R"({"a":1,"a":2,)"), Catch::Contains("not valid JSON"));
}

