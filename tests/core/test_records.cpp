#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "base/errors.hpp"
#include "tests/core/fixture.hpp"
#include "base/json_writer.hpp"
#include "base/quote.hpp"
#include "plugin/records.hpp"

using namespace crmtier;

namespace {
Record parse(const std::string& s) { return parse_record_text(s, Limits{}); }
}  // namespace

TEST_CASE("canonical records parse with their optional fields missing", "[records]") {
    auto r = parse(R"({"type":"account","id":"ACC-1"})");
    const auto& a = std::get<AccountRecord>(r);
    CHECK(a.id == "ACC-1");
    CHECK_FALSE(a.employees);
    CHECK_FALSE(a.last_contact);
    r = parse(R"({"type":"account","id":"ACC-1","name":"Acme GmbH","owner":"rep-7","employees":320,
        "territory":"EMEA/DE/Bavaria","industry":"Manufacturing","last_contact":"2026-10-01"})");
    CHECK(*std::get<AccountRecord>(r).employees == 320);
    r = parse(R"({"type":"revenue","id":"INV-9","account_id":"ACC-1","date":"2026-03-15","amount":1250.00,"product":"Furniture/Chairs"})");
    const auto& v = std::get<RevenueRecord>(r);
    CHECK(v.amount == 12500000);
    CHECK(v.account_id == "ACC-1");
    r = parse(R"({"type":"revenue","id":"INV-9","amount":-99.5,"account_id":"A","date":"2026-03-15"})");
    CHECK(std::get<RevenueRecord>(r).amount == -995000);
}

TEST_CASE("a malformed record is refused with the record and the field named", "[records]") {
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"INV-9","account_id":"A","date":"2026-03-15","amount":"12,50"})"),
                      Catch::Contains("revenue \"INV-9\"") && Catch::Contains("\"amount\": expected a number"));
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"INV-9","account_id":"A","date":"2026-02-30","amount":1})"),
                      Catch::Contains("\"date\"") && Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"INV-9","date":"2026-02-03","amount":1})"),
                      Catch::Contains("\"account_id\": missing"));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":"A","employees":-3})"), Catch::Contains("\"employees\": must not be negative"));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":"A","employees":3.5})"), Catch::Contains("\"employees\""));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":"A","emplyees":3})"), Catch::Contains("\"emplyees\": unknown field"));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":""})"), Catch::Contains("\"id\": must not be empty"));
    CHECK_THROWS_WITH(parse(R"({"type":"invoice","id":"A"})"), Catch::Contains("\"type\""));
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"I","account_id":"A","date":"2026-02-03","amount":1e300})"),
                      Catch::Contains("\"amount\""));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":"A\u0000B"})"), Catch::Contains("\"id\": contains a control character"));
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"I","account_id":"A\nB","date":"2026-02-03","amount":1})"),
                      Catch::Contains("\"account_id\": contains a control character"));
    CHECK_THROWS_WITH(parse(R"({"type":"revenue","id":"I","account_id":"A","date":"2026-02-03","amount":10,"amount":1000})"),
                      Catch::Contains("revenue \"I\": field \"amount\": duplicate key"));
    CHECK_THROWS_WITH(parse(R"({"type":"account","id":"A","i\u0064":"B"})"), Catch::Contains("\"id\": duplicate key"));
    CHECK_THROWS_AS(parse(R"({"type":"account","id":"A")"), ParseError);
    CHECK_THROWS_AS(parse(R"([1])"), RecordError);
}

TEST_CASE("dates must be real calendar days", "[records][dates]") {
    Day d;
    std::string why;
    CHECK(parse_date("2024-02-29", d, why));
    CHECK(format_date(d) == "2024-02-29");
    CHECK_FALSE(parse_date("2023-02-29", d, why));
    CHECK_FALSE(parse_date("2026-13-01", d, why));
    CHECK_FALSE(parse_date("2026-1-01", d, why));
    CHECK_FALSE(parse_date("20261101", d, why));
    CHECK_FALSE(parse_date("0001-01-01", d, why));
    CHECK_FALSE(parse_date("2026-11-30T10:00:00Z", d, why));
}

TEST_CASE("money is exact to 1/10000 and prints in its shortest form", "[records][money]") {
    CHECK(format_money(money_from_double(1250.0)) == "1250.0");
    CHECK(format_money(money_from_double(0.1) + money_from_double(0.2)) == "0.3");
    CHECK(format_money(money_from_double(-99.25)) == "-99.25");
    CHECK(format_money(0) == "0.0");
}

TEST_CASE("the JSON writer escapes what JSON requires and nothing else", "[records][json]") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("k").str("plain Ünï \"q\" back\\slash\nnl\ttab\x01" "end").key("n").money(-12345).end_object();
    CHECK(out == "{\"k\":\"plain Ünï \\\"q\\\" back\\\\slash\\nnl\\ttab\\u0001end\",\"n\":-1.2345}");
    CHECK(quoted("A\xFF" "B") == "\"A\xEF\xBF\xBD" "B\"");
    CHECK(quoted(std::string(100, 'x'), 4) == "\"xxxx...\"");
}

// The fast path (parse_record_ref) against the full one (Boost.JSON and
// parse_record): when it takes a record, the fields are the full path's;
// when the full path refuses one, so does it. Strings of many lengths carry
// a quote, a backslash, a control or a non-ASCII byte at every position, so
// the 8-bytes-at-a-time scanner meets each at each offset of a word.
TEST_CASE("the fast path takes a record only as the full path reads it", "[records]") {
    const Limits limits;
    auto full = [&](const std::string& text) -> std::optional<Record> {
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(text, ec);
        if (ec || !v.is_object()) return std::nullopt;
        try {
            return parse_record(v.get_object(), limits);
        } catch (const RecordError&) {
            return std::nullopt;
        }
    };
    const std::string specials[] = {"\"", "\\\\", "\\\"", "\\n", "\x01", "\x1f", "\xc3\xa9", "\x7f", "\n", " ", "/"};
    std::size_t taken = 0, checked = 0;
    for (std::size_t len = 0; len <= 20; ++len)
        for (std::size_t at = 0; at <= len; ++at)
            for (const std::string& sp : specials)
                for (const char* field : {"id", "name", "product"}) {
                    std::string value = std::string(at, 'a') + sp + std::string(len - at, 'b');
                    const bool account = std::string_view(field) == "name";
                    const std::string text =
                        account ? R"({"type":"account","id":"A-1","name":")" + value + R"("})"
                        : std::string_view(field) == "id"
                            ? R"({"type":"revenue","id":")" + value + R"(","account_id":"A","date":"2026-01-02","amount":12.5})"
                            : R"({"type":"revenue","id":"I","account_id":"A","date":"2026-01-02","amount":1,"product":")" + value + R"("})";
                    ++checked;
                    RecordRef ref;
                    const bool fast = parse_record_ref(text, limits, ref);
                    const auto expected = full(text);
                    if (!fast) continue;
                    ++taken;
                    REQUIRE(expected);
                    const RecordRef want = ref_of(*expected);
                    REQUIRE(ref.account == want.account);
                    REQUIRE(ref.id == want.id);
                    REQUIRE(ref.name == want.name);
                    REQUIRE(ref.product == want.product);
                    REQUIRE(ref.amount == want.amount);
                    REQUIRE(ref.date == want.date);
                }
    // Of the specials, a space, a slash and DEL (plain ASCII all) are taken,
    // at every length and place, in each of the three fields.
    CHECK(taken == 231 * 3 * 3);
    CHECK(checked > taken);
}

TEST_CASE("currency: a revenue amount in another currency is converted by the configured rate, else refused",
          "[records][currency]") {
    // docs/semantics.md#canonical-records: the company currency and rates.
    Limits eur;
    eur.currency = parse_policy(R"({"currency":{"company":"EUR","rates":{"USD":0.8,"CHF":1.0625}}})").limits.currency;
    auto amount = [&](const std::string& text) {
        return std::get<RevenueRecord>(parse_record_text(text, eur)).amount;
    };
    const std::string head = R"({"type":"revenue","id":"I","account_id":"A","date":"2026-01-01",)";
    CHECK(amount(head + R"("amount":1500,"currency":"USD"})") == 1200 * 10000);        // 1500 x 0.8
    CHECK(amount(head + R"("amount":100.01,"currency":"CHF"})") == 1062606);          // 106.260625 -> 106.2606
    CHECK(amount(head + R"("amount":-80,"currency":"USD"})") == -64 * 10000);         // a credit note
    CHECK(amount(head + R"("amount":1500,"currency":"EUR"})") == 1500 * 10000);       // the company's own
    CHECK(amount(head + R"("amount":1500})") == 1500 * 10000);                        // none: the company's
    CHECK(amount(head + R"("amount":1500,"currency":null})") == 1500 * 10000);
    CHECK_THROWS_WITH(parse_record_text(head + R"("amount":1,"currency":"GBP"})", eur),
                      "revenue \"I\": field \"currency\": \"GBP\" is not the company currency (\"EUR\") and has no rate: "
                      "add currency.rates.GBP to the configuration, or send the amount in EUR");
    CHECK_THROWS_WITH(parse_record_text(head + R"("amount":1,"currency":"usd"})", eur),
                      "revenue \"I\": field \"currency\": expected an ISO 4217 code such as \"EUR\" (3 capital letters)");
    CHECK_THROWS_WITH(parse_record_text(head + R"("amount":1,"currency":"USD"})", Limits{}),
                      "revenue \"I\": field \"currency\": \"USD\": no company currency configured: set currency.company "
                      "(and currency.rates for the others), or send amounts in one currency without \"currency\"");
    CHECK_THROWS_WITH(parse_record_text(head + R"("amount":1e12,"currency":"CHF"})", eur),
                      "revenue \"I\": field \"amount\": in EUR, must be a finite number of at most 1e12 in absolute value");
    CHECK_THROWS_WITH(parse_record_text(R"({"type":"account","id":"A","currency":"EUR"})", eur),
                      "account \"A\": field \"currency\": unknown field");
}

TEST_CASE("currency: the configuration is checked key by key", "[policy][currency]") {
    CHECK_THROWS_WITH(parse_policy(R"({"currency":{"company":"euro"}})"), Catch::Contains("\"currency.company\": expected an ISO 4217 code"));
    CHECK_THROWS_WITH(parse_policy(R"({"currency":{"rates":{"USD":0.8}}})"), Catch::Contains("\"currency.company\": missing: the company currency"));
    CHECK(parse_policy(R"({"currency":{"company":null,"rates":{}}})").limits.currency.company.empty());
    CHECK_THROWS_WITH(parse_policy(R"({"currency":{"company":"EUR","rates":{"USD":0}}})"),
                      Catch::Contains("\"currency.rates.USD\": expected a number above 0"));
    CHECK_THROWS_WITH(parse_policy(R"({"currency":{"company":"EUR","rates":{"EUR":1}}})"),
                      Catch::Contains("\"currency.rates.EUR\": the company currency takes no rate"));
    CHECK_THROWS_WITH(parse_policy(R"({"currency":{"company":"EUR","rate":{}}})"), Catch::Contains("\"currency.rate\": unknown key"));
    CHECK(parse_policy(R"({"currency":{"company":"EUR"}})").limits.currency.company == "EUR");
}
